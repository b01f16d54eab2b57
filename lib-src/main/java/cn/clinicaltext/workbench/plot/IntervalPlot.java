package cn.clinicaltext.workbench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.List;
import java.util.Locale;

/**
 * Estimates with their intervals drawn as they are: a dot at the estimate and a line from the lower to the upper
 * bound, so a percentile-bootstrap interval stays asymmetric and inside the metric's range (XChart's error bars are
 * symmetric: a class with F1 0.99 and interval [0.97, 1.00] got a bar above 1). One group of categories on the x
 * axis, one series per colour, the legend below the plot.
 */
public final class IntervalPlot {
    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int TOP = 40;
    private static final int AXIS_LABELS = 44;
    private static final int LEGEND_ROW = 20;

    /**
     * One series: an estimate and interval per category (NaN where absent).
     *
     * @param name legend entry
     */
    public record Series(String name, double[] estimate, double[] low, double[] high) {
    }

    private IntervalPlot() {
    }

    /**
     * A figure of the series over the categories; the value axis spans [yMin, yMax] and says so (a zoomed axis that
     * does not start at 0 is labelled as such by its ticks).
     */
    public static Drawing of(String title, String yTitle, List<String> categories, List<Series> series,
                             double yMin, double yMax) {
        int width = Math.max(FigureStyle.WIDTH, LEFT + RIGHT + categories.size() * (40 + 28 * series.size()));
        int plotHeight = FigureStyle.HEIGHT - 80;
        int height = TOP + plotHeight + AXIS_LABELS + LEGEND_ROW * series.size() + 12;
        return Drawing.of(width, height, g -> {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Font titleFont = FigureStyle.font(Font.BOLD, 14);
            Font tick = FigureStyle.font(Font.PLAIN, 11);
            Font label = FigureStyle.font(Font.PLAIN, 12);
            Font value = FigureStyle.font(Font.PLAIN, 10);
            g.setFont(titleFont);
            g.setColor(Color.BLACK);
            FontMetrics tf = g.getFontMetrics();
            g.drawString(title, (width - tf.stringWidth(title)) / 2, 22);
            int x0 = LEFT;
            int x1 = width - RIGHT;
            int y0 = TOP;
            int y1 = TOP + plotHeight;
            // value axis: 5 gridlines with ticks
            g.setFont(tick);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i <= 5; i++) {
                double v = yMin + (yMax - yMin) * i / 5;
                int y = (int) Math.round(y1 - (v - yMin) / (yMax - yMin) * plotHeight);
                g.setColor(new Color(0xE0E0E0));
                g.drawLine(x0, y, x1, y);
                g.setColor(Color.DARK_GRAY);
                String s = String.format(Locale.ROOT, "%.2f", v);
                g.drawString(s, x0 - 6 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
            }
            g.drawLine(x0, y0, x0, y1);
            g.drawLine(x0, y1, x1, y1);
            g.setFont(label);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            FontMetrics lm = g.getFontMetrics();
            g.drawString(yTitle, -(y0 + y1 + lm.stringWidth(yTitle)) / 2, 16);
            g.setTransform(saved);
            double slot = (double) (x1 - x0) / categories.size();
            for (int c = 0; c < categories.size(); c++) {
                double centre = x0 + slot * (c + 0.5);
                g.setFont(label);
                g.setColor(Color.DARK_GRAY);
                String name = categories.get(c);
                int w = g.getFontMetrics().stringWidth(name);
                if (w > slot - 4) {
                    g.setFont(label.deriveFont(label.getSize2D() * (float) (slot - 4) / w));
                    w = g.getFontMetrics().stringWidth(name);
                }
                g.drawString(name, (int) (centre - w / 2.0), y1 + 20);
                double spread = Math.min(28, (slot - 20) / Math.max(1, series.size()));
                for (int s = 0; s < series.size(); s++) {
                    Series ser = series.get(s);
                    double est = ser.estimate()[c];
                    if (Double.isNaN(est)) {
                        continue;
                    }
                    double x = centre + (s - (series.size() - 1) / 2.0) * spread;
                    Color colour = FigureStyle.PALETTE[s % FigureStyle.PALETTE.length];
                    g.setColor(colour);
                    g.setStroke(new BasicStroke(2f));
                    double lo = Math.max(yMin, ser.low()[c]);
                    double hi = Math.min(yMax, ser.high()[c]);
                    double ylo = y1 - (lo - yMin) / (yMax - yMin) * plotHeight;
                    double yhi = y1 - (hi - yMin) / (yMax - yMin) * plotHeight;
                    g.draw(new Line2D.Double(x, ylo, x, yhi));
                    g.draw(new Line2D.Double(x - 4, ylo, x + 4, ylo));
                    g.draw(new Line2D.Double(x - 4, yhi, x + 4, yhi));
                    double ye = y1 - (Math.max(yMin, Math.min(yMax, est)) - yMin) / (yMax - yMin) * plotHeight;
                    g.fill(new Ellipse2D.Double(x - 4, ye - 4, 8, 8));
                    g.setStroke(new BasicStroke(1f));
                    // the value beside the outer series only, so labels never cross a neighbour's interval
                    g.setFont(value);
                    g.setColor(Color.BLACK);
                    String v = String.format(Locale.ROOT, "%.3f", est);
                    int vw = g.getFontMetrics().stringWidth(v);
                    if (s == series.size() - 1) {
                        g.drawString(v, (float) x + 7, (float) ye + 4);
                    } else if (s == 0) {
                        g.drawString(v, (float) x - 7 - vw, (float) ye + 4);
                    }
                }
            }
            // legend below the axis labels, one row per series
            g.setFont(tick);
            int ly = y1 + AXIS_LABELS;
            for (int s = 0; s < series.size(); s++) {
                g.setColor(FigureStyle.PALETTE[s % FigureStyle.PALETTE.length]);
                g.fill(new Ellipse2D.Double(x0, ly + s * LEGEND_ROW - 8, 8, 8));
                g.setColor(Color.DARK_GRAY);
                g.drawString(series.get(s).name(), x0 + 14, ly + s * LEGEND_ROW);
            }
        });
    }
}
