package cn.clinicaltext.workbench.plot;

import java.awt.Graphics2D;

/** A figure drawn directly with Java2D (for what XChart has no chart type for), saved by {@link Figures}. */
public interface Drawing {
    int width();

    int height();

    /** Paints the figure at its size in points (1/72 inch). */
    void paint(Graphics2D g);
}
