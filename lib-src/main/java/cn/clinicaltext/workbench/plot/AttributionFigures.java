package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.explain.Attribution;
import cn.clinicaltext.workbench.explain.Faithfulness;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Attribution figures: heatmaps of texts (each token on a cell coloured by its score, rows wrapped, a colour bar),
 * their HTML twin for notebooks, and the deletion-curve chart.
 */
public final class AttributionFigures {
    private static final int CELL = 18;
    private static final int LINE = 24;
    private static final int MARGIN = 10;
    private static final int CAPTION = 16;

    private AttributionFigures() {
    }

    /** White (0) to the palette's vermilion (1), readable in print and for colour-blind readers. */
    static Color colour(float score) {
        float s = Math.max(0f, Math.min(1f, score));
        Color hot = new Color(0xD55E00);
        return new Color(Math.round(255 + s * (hot.getRed() - 255)), Math.round(255 + s * (hot.getGreen() - 255)),
                Math.round(255 + s * (hot.getBlue() - 255)));
    }

    /** A panel of texts, one block each (caption with true/predicted class and probability, then the heatmap). */
    public static Drawing heatmap(List<Attribution> texts, int tokensPerLine, String title) {
        Font font = FigureStyle.font(Font.PLAIN, 13);
        Font small = FigureStyle.font(Font.PLAIN, 10);
        Font bold = FigureStyle.font(Font.BOLD, 13);
        List<List<List<Integer>>> lines = new ArrayList<>();
        int rows = 0;
        for (Attribution a : texts) {
            List<List<Integer>> ls = new ArrayList<>();
            for (int start = 0; start < a.tokens().size(); start += tokensPerLine) {
                List<Integer> line = new ArrayList<>();
                for (int i = start; i < Math.min(a.tokens().size(), start + tokensPerLine); i++) {
                    line.add(i);
                }
                ls.add(line);
            }
            lines.add(ls);
            rows += ls.size();
        }
        int width = 2 * MARGIN + tokensPerLine * CELL + 70;
        int height = 2 * MARGIN + 22 + texts.size() * (CAPTION + 6) + rows * LINE;
        int totalRows = rows;
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
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                g.setColor(Color.BLACK);
                g.setFont(bold);
                g.drawString(title, MARGIN, MARGIN + 12);
                int y = MARGIN + 22;
                for (int t = 0; t < texts.size(); t++) {
                    Attribution a = texts.get(t);
                    g.setFont(small);
                    g.setColor(Color.DARK_GRAY);
                    String caption = String.format(Locale.ROOT, "%s%s  →  %s (p = %.2f)",
                            a.label() >= 0 ? "true " : "", a.label() >= 0 ? String.valueOf(a.label()) : "",
                            a.targetName(), a.targetProbability());
                    g.drawString(caption, MARGIN, y + 11);
                    y += CAPTION + 6;
                    for (List<Integer> line : lines.get(t)) {
                        int x = MARGIN;
                        for (int i : line) {
                            g.setColor(colour(a.scores()[i]));
                            g.fillRect(x, y, CELL - 1, LINE - 4);
                            g.setColor(Color.BLACK);
                            g.setFont(font);
                            String tok = a.tokens().get(i);
                            FontMetrics fm = g.getFontMetrics();
                            int w = fm.stringWidth(tok);
                            Font f = w > CELL - 2 ? font.deriveFont(font.getSize2D() * (CELL - 2) / w) : font;
                            g.setFont(f);
                            fm = g.getFontMetrics();
                            g.drawString(tok, x + (CELL - 1 - fm.stringWidth(tok)) / 2, y + LINE - 9);
                            x += CELL;
                        }
                        y += LINE;
                    }
                }
                // colour bar
                int bx = width - MARGIN - 14;
                int by = MARGIN + 26;
                int bh = Math.max(60, Math.min(160, totalRows * LINE));
                for (int i = 0; i < bh; i++) {
                    g.setColor(colour(1f - (float) i / (bh - 1)));
                    g.fillRect(bx, by + i, 12, 1);
                }
                g.setColor(Color.DARK_GRAY);
                g.drawRect(bx, by, 12, bh);
                g.setFont(small);
                g.drawString("1", bx - 10, by + 8);
                g.drawString("0", bx - 10, by + bh);
                g.drawString("score", bx - 30, by + bh + 14);
            }
        };
    }

    /** The same texts as an HTML fragment (tokens on coloured backgrounds) for inline notebook display. */
    public static Html html(List<Attribution> texts) {
        StringBuilder b = new StringBuilder("<div style=\"font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif;"
                + " line-height: 1.9\">");
        for (Attribution a : texts) {
            b.append("<div style=\"margin-bottom:8px\"><div style=\"font-size:80%;color:#555\">")
                    .append(a.label() >= 0 ? "true " + a.label() + " &rarr; " : "")
                    .append(escape(a.targetName())).append(String.format(Locale.ROOT, " (p = %.2f)", a.targetProbability()))
                    .append("</div>");
            for (int i = 0; i < a.tokens().size(); i++) {
                Color c = colour(a.scores()[i]);
                b.append(String.format(Locale.ROOT, "<span title=\"%.3f\" style=\"background:#%02x%02x%02x;padding:1px 1px\">",
                        a.scores()[i], c.getRed(), c.getGreen(), c.getBlue())).append(escape(a.tokens().get(i))).append("</span>");
            }
            b.append("</div>");
        }
        return new Html(b.append("</div>").toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Mean target probability as top-attributed vs random tokens are removed. */
    public static XYChart deletionCurves(Faithfulness f, String title) {
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.WIDTH).height(FigureStyle.HEIGHT)
                .title(title).xAxisTitle("tokens removed").yAxisTitle("mean p(explained class)").build());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        double[] k = new double[f.maxK() + 1];
        for (int i = 0; i <= f.maxK(); i++) {
            k[i] = i;
        }
        chart.addSeries(String.format(Locale.ROOT, "top-attributed first (AOPC %.3f)", f.aopcTop()), k, f.topCurve())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries(String.format(Locale.ROOT, "random (AOPC %.3f)", f.aopcRandom()), k, f.randomCurve())
                .setMarker(SeriesMarkers.SQUARE);
        return chart;
    }
}
