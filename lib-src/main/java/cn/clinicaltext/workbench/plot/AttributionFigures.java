package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.explain.Attribution;
import cn.clinicaltext.workbench.explain.Faithfulness;
import cn.clinicaltext.workbench.explain.PositionProfile;
import cn.clinicaltext.workbench.explain.Score;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
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

    private static final Color FOR = new Color(0xD55E00);
    private static final Color AGAINST = new Color(0x0072B2);

    /**
     * Magnitudes: white (0) to the palette's vermilion (1). Signed scores (-1..1): a diverging map, blue against the
     * explained class, white at 0, vermilion for it (Okabe-Ito colours, readable for colour-blind readers and in
     * grey-scale print by lightness).
     */
    static Color colour(float score, Score kind) {
        if (kind == Score.MAGNITUDE) {
            return blend(FOR, Math.max(0f, Math.min(1f, score)));
        }
        float s = Math.max(-1f, Math.min(1f, score));
        return s >= 0 ? blend(FOR, s) : blend(AGAINST, -s);
    }

    private static Color blend(Color hot, float s) {
        return new Color(Math.round(255 + s * (hot.getRed() - 255)), Math.round(255 + s * (hot.getGreen() - 255)),
                Math.round(255 + s * (hot.getBlue() - 255)));
    }

    /** The caption over a text: true class when known, explained class and its probability. */
    private static String caption(Attribution a) {
        return String.format(Locale.ROOT, "%s%s (p = %.2f)", a.hasLabel() ? "true " + a.labelName() + "  →  explained " : "",
                a.targetName(), a.targetProbability());
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
        Score kind = texts.isEmpty() ? Score.MAGNITUDE : texts.get(0).settings().score();
        int width = 2 * MARGIN + tokensPerLine * CELL + 90;
        int height = 2 * MARGIN + 22 + texts.size() * (CAPTION + 6) + rows * LINE;
        int totalRows = rows;
        return Drawing.of(width, height, g -> {
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
                g.drawString(caption(a), MARGIN, y + 11);
                y += CAPTION + 6;
                for (List<Integer> line : lines.get(t)) {
                    int x = MARGIN;
                    for (int i : line) {
                        g.setColor(colour(a.scores()[i], kind));
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
            float low = kind == Score.SIGNED ? -1f : 0f;
            for (int i = 0; i < bh; i++) {
                g.setColor(colour(1f - (1f - low) * i / (bh - 1), kind));
                g.fillRect(bx, by + i, 12, 1);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(bx, by, 12, bh);
            g.setFont(small);
            FontMetrics sm = g.getFontMetrics();
            String top = kind == Score.SIGNED ? "for +1" : "1";
            String bottom = kind == Score.SIGNED ? "against −1" : "0";
            g.drawString(top, bx - 4 - sm.stringWidth(top), by + 8);
            if (kind == Score.SIGNED) {
                g.drawString("0", bx - 4 - sm.stringWidth("0"), by + bh / 2 + 4);
            }
            g.drawString(bottom, bx - 4 - sm.stringWidth(bottom), by + bh);
        });
    }

    /** The same texts as an HTML fragment (tokens on coloured backgrounds) for inline notebook display. */
    public static Html html(List<Attribution> texts) {
        StringBuilder b = new StringBuilder("<div style=\"font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif;"
                + " line-height: 1.9\">");
        for (Attribution a : texts) {
            b.append("<div style=\"margin-bottom:8px\"><div style=\"font-size:80%;color:#555\">")
                    .append(escape(caption(a))).append("</div>");
            for (int i = 0; i < a.tokens().size(); i++) {
                Color c = colour(a.scores()[i], a.settings().score());
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
        // bottom left: both curves start near the top, and in the top right the legend covered the random curve
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
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

    /**
     * Attribution share by position for the texts as they are and behind the control's prefix, with the prefix's
     * extent marked: when attributions follow the words, the second curve is the first moved right by the prefix.
     */
    public static XYChart positionProfile(PositionProfile p, String title) {
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.WIDTH).height(FigureStyle.HEIGHT)
                .title(title).xAxisTitle("token position").yAxisTitle("mean share of |attribution|").build());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern("0");
        addProfile(chart, "texts as they are", p.original(), SeriesMarkers.CIRCLE);
        addProfile(chart, "behind the prefix \"" + p.prefix() + "\"", p.control(), SeriesMarkers.SQUARE);
        double top = 0;
        for (double v : p.original()) {
            top = Double.isNaN(v) ? top : Math.max(top, v);
        }
        for (double v : p.control()) {
            top = Double.isNaN(v) ? top : Math.max(top, v);
        }
        chart.addSeries("end of prefix", new double[]{p.prefixTokens() + 0.5, p.prefixTokens() + 0.5},
                new double[]{0, top}).setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
        return chart;
    }

    private static void addProfile(XYChart chart, String name, double[] shares, Marker marker) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            if (!Double.isNaN(shares[i])) {
                x.add(i + 1.0);
                y.add(shares[i]);
            }
        }
        chart.addSeries(name, x, y).setMarker(marker);
    }
}
