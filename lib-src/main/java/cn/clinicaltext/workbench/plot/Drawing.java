package cn.clinicaltext.workbench.plot;

import java.awt.Graphics2D;
import java.util.function.Consumer;

/** A figure drawn directly with Java2D (for what XChart has no chart type for), saved by {@link Figures}. */
public interface Drawing {
    int width();

    int height();

    /** Paints the figure at its size in points (1/72 inch). */
    void paint(Graphics2D g);

    /** A figure of the given size painted by {@code painter}. */
    static Drawing of(int width, int height, Consumer<Graphics2D> painter) {
        return new Drawing() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public void paint(Graphics2D g) {
                painter.accept(g);
            }
        };
    }
}
