package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.eval.Bootstrap;
import cn.clinicaltext.workbench.eval.Calibration;
import cn.clinicaltext.workbench.eval.ConfusionMatrix;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import cn.clinicaltext.workbench.eval.RunComparison;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Figures of a model evaluation: per-class F1 with intervals, reliability diagram. */
public final class EvaluationCharts {
    private EvaluationCharts() {
    }

    /** Per-class F1 of the model and of its baseline, each with its 95% bootstrap interval as computed. */
    public static Drawing f1ByClass(ModelEvaluation e, String title) {
        List<IntervalPlot.Series> series = new ArrayList<>();
        series.add(f1Series("model (" + e.corpus().size() + " texts, 95% bootstrap CI)", e.intervals()));
        if (e.baseline() != null) {
            series.add(f1Series(e.baselineName() + " (95% bootstrap CI)", e.baselineIntervals()));
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < e.labelNames().size(); c++) {
            names.add(e.labelNames().get(c) + " (n=" + e.report().confusion().support(c) + ")");
        }
        return IntervalPlot.of(title, "F1", names, series, 0.0, 1.0);
    }

    private static IntervalPlot.Series f1Series(String name, Bootstrap.Intervals iv) {
        int k = iv.f1().length;
        double[] est = new double[k];
        double[] lo = new double[k];
        double[] hi = new double[k];
        for (int c = 0; c < k; c++) {
            est[c] = iv.f1()[c].estimate();
            lo[c] = iv.f1()[c].low();
            hi[c] = iv.f1()[c].high();
        }
        return new IntervalPlot.Series(name, est, lo, hi);
    }

    /**
     * Accuracy and macro-F1 of each run's main model with 95% intervals; the value axis is zoomed to the intervals
     * (its ticks say where it starts).
     */
    public static Drawing runComparison(RunComparison comparison, String title) {
        List<IntervalPlot.Series> series = new ArrayList<>();
        double min = 1;
        for (RunComparison.Run r : comparison.runs()) {
            var iv = r.main().intervals();
            series.add(new IntervalPlot.Series(comparison.label(r),
                    new double[]{iv.accuracy().estimate(), iv.macroF1().estimate()},
                    new double[]{iv.accuracy().low(), iv.macroF1().low()},
                    new double[]{iv.accuracy().high(), iv.macroF1().high()}));
            min = Math.min(min, Math.min(iv.accuracy().low(), iv.macroF1().low()));
        }
        double yMin = Math.max(0, Math.floor((min - 0.05) * 10) / 10);
        return IntervalPlot.of(title, "test score", List.of("accuracy", "macro F1"), series, yMin, 1.0);
    }

    /** Bins with fewer texts than this are drawn hollow: their accuracy is too uncertain to read. */
    static final int SPARSE_BIN = 10;

    /**
     * Reliability diagram: accuracy against mean confidence per bin (bin width 1/bins), each bin's text count
     * written above it; bins with fewer than {@value #SPARSE_BIN} texts hollow, and no line joining bins (a line
     * through sparse bins reads as a zig-zag that means nothing). The diagonal is perfect calibration.
     */
    public static XYChart reliability(Calibration c, String title) {
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.HEIGHT + 160).height(FigureStyle.HEIGHT + 60)
                .title(title).xAxisTitle(String.format(Locale.ROOT, "confidence (bins of %.2f; n = texts per bin)",
                        1.0 / c.bins()))
                .yAxisTitle("accuracy").build());
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.08);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(9);
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[]{0, 1}, new double[]{0, 1});
        diagonal.setLineStyle(SeriesLines.DASH_DASH);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.GRAY);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> sx = new ArrayList<>();
        List<Double> sy = new ArrayList<>();
        for (int b = 0; b < c.bins(); b++) {
            int n = c.binCount()[b];
            if (n > 0) {
                (n >= SPARSE_BIN ? x : sx).add(c.binConfidence()[b]);
                (n >= SPARSE_BIN ? y : sy).add(c.binAccuracy()[b]);
                chart.addAnnotation(new AnnotationText("n=" + n, c.binConfidence()[b],
                        Math.min(1.04, c.binAccuracy()[b] + 0.05), false));
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "%d+ texts (ECE %.3f)", SPARSE_BIN,
                    c.ece()), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(SeriesLines.NONE);
            s.setMarkerColor(FigureStyle.PALETTE[0]);
        }
        if (!sx.isEmpty()) {
            XYSeries s = chart.addSeries("fewer than " + SPARSE_BIN + " texts", sx, sy);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(SeriesLines.NONE);
            s.setMarkerColor(new Color(0xBBBBBB));
        }
        return chart;
    }

    /**
     * The confusion matrix as a heat map: each cell gives its count and its share of the true class (one format,
     * "n (xx.x%)"), coloured by that share on a labelled colour bar; true classes down, predicted across.
     */
    public static Drawing confusionMatrix(ConfusionMatrix cm, String title) {
        int k = cm.numClasses();
        Font tickFont = FigureStyle.font(Font.PLAIN, 12);
        Font cellFont = FigureStyle.font(Font.PLAIN, 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics pm = probe.createGraphics().getFontMetrics(tickFont);
        int labelWidth = cm.labelNames().stream().mapToInt(pm::stringWidth).max().orElse(40);
        int cell = Math.max(86, Math.min(140, 420 / k));
        int left = 40 + labelWidth + 12;
        int top = 46;
        int barWidth = 14;
        int width = left + k * cell + 30 + barWidth + 70;
        int height = top + k * cell + 70;
        return Drawing.of(width, height, g -> {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(FigureStyle.font(Font.BOLD, 14));
            FontMetrics tf = g.getFontMetrics();
            g.drawString(title, (width - tf.stringWidth(title)) / 2, 24);
            for (int t = 0; t < k; t++) {
                for (int p = 0; p < k; p++) {
                    double share = cm.rowShare(t, p);
                    int x = left + p * cell;
                    int y = top + t * cell;
                    g.setColor(blues(Double.isNaN(share) ? 0 : share));
                    g.fillRect(x, y, cell - 2, cell - 2);
                    g.setColor(share > 0.55 ? Color.WHITE : Color.BLACK);
                    g.setFont(cellFont);
                    FontMetrics fm = g.getFontMetrics();
                    String count = String.valueOf(cm.count(t, p));
                    String pct = Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
                    g.drawString(count, x + (cell - 2 - fm.stringWidth(count)) / 2, y + cell / 2 - 4);
                    g.drawString(pct, x + (cell - 2 - fm.stringWidth(pct)) / 2, y + cell / 2 + fm.getAscent());
                }
            }
            g.setFont(tickFont);
            g.setColor(Color.DARK_GRAY);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < k; i++) {
                String name = cm.labelNames().get(i);
                g.drawString(name, left - 10 - fm.stringWidth(name), top + i * cell + cell / 2 + fm.getAscent() / 2 - 2);
                int w = fm.stringWidth(name);
                g.drawString(name, left + i * cell + (cell - 2 - w) / 2, top + k * cell + 18);
            }
            g.setFont(FigureStyle.font(Font.PLAIN, 12));
            FontMetrics am = g.getFontMetrics();
            String xTitle = "predicted class";
            g.drawString(xTitle, left + (k * cell - am.stringWidth(xTitle)) / 2, top + k * cell + 44);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            String yTitle = "true class";
            g.drawString(yTitle, -(top + (k * cell + am.stringWidth(yTitle)) / 2), 18);
            g.setTransform(saved);
            // colour bar with its scale and title
            int bx = left + k * cell + 30;
            int bh = k * cell - 2;
            // one gradient, not 1-point strips (those show as bands at 300 dpi); blues() is linear too
            g.setPaint(new GradientPaint(bx, top, blues(1), bx, top + bh, blues(0)));
            g.fillRect(bx, top, barWidth, bh);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(bx, top, barWidth, bh);
            g.setFont(FigureStyle.font(Font.PLAIN, 10));
            FontMetrics sm = g.getFontMetrics();
            for (int i = 0; i <= 4; i++) {
                int y = top + (int) Math.round(bh * (1 - i / 4.0));
                g.drawLine(bx + barWidth, y, bx + barWidth + 3, y);
                g.drawString(String.format(Locale.ROOT, "%d%%", 25 * i), bx + barWidth + 5, y + sm.getAscent() / 2 - 1);
            }
            saved = g.getTransform();
            g.rotate(Math.PI / 2);
            String barTitle = "share of the true class";
            g.drawString(barTitle, top + (bh - sm.stringWidth(barTitle)) / 2, -(bx + barWidth + 44));
            g.setTransform(saved);
        });
    }

    /** White to dark blue (ColorBrewer Blues end points). */
    private static Color blues(double t) {
        t = Math.max(0, Math.min(1, t));
        Color a = new Color(0xF7FBFF);
        Color b = new Color(0x08306B);
        return new Color((int) (a.getRed() + t * (b.getRed() - a.getRed())), (int) (a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) (a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
