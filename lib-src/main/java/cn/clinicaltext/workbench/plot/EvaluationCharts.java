package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.eval.Calibration;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;

/** Figures of a model evaluation: per-class F1 with intervals, reliability diagram. */
public final class EvaluationCharts {
    private EvaluationCharts() {
    }

    /** Per-class F1 of the model with 95% bootstrap intervals, next to the keyword rule's F1. */
    public static CategoryChart f1ByClass(ModelEvaluation e, String title) {
        CategoryChart chart = FigureStyle.apply(new CategoryChartBuilder().width(FigureStyle.WIDTH)
                .height(FigureStyle.HEIGHT).title(title).xAxisTitle("class").yAxisTitle("F1").build());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        chart.getStyler().setErrorBarsColorSeriesColor(false);
        List<Number> model = new ArrayList<>();
        List<Number> err = new ArrayList<>();
        List<Number> rule = new ArrayList<>();
        for (int c = 0; c < e.labelNames().size(); c++) {
            var ci = e.intervals().f1()[c];
            model.add(ci.estimate());
            // XChart draws symmetric error bars: the larger side of the (asymmetric) interval
            err.add(Math.max(ci.estimate() - ci.low(), ci.high() - ci.estimate()));
            rule.add(e.baseline().f1()[c]);
        }
        CategorySeries s = chart.addSeries("model (95% CI)", e.labelNames(), model, err);
        s.setFillColor(FigureStyle.PALETTE[0]);
        chart.addSeries("keyword rule", e.labelNames(), rule).setFillColor(FigureStyle.PALETTE[1]);
        return chart;
    }

    /** Reliability diagram: accuracy against mean confidence per bin; the diagonal is perfect calibration. */
    public static XYChart reliability(Calibration c, String title) {
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.HEIGHT + 120).height(FigureStyle.HEIGHT + 40)
                .title(title).xAxisTitle("confidence").yAxisTitle("accuracy").build());
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[]{0, 1}, new double[]{0, 1});
        diagonal.setLineStyle(SeriesLines.DASH_DASH);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(java.awt.Color.GRAY);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int b = 0; b < c.bins(); b++) {
            if (c.binCount()[b] > 0) {
                x.add(c.binConfidence()[b]);
                y.add(c.binAccuracy()[b]);
            }
        }
        chart.addSeries(String.format(java.util.Locale.ROOT, "model (ECE %.3f)", c.ece()), x, y).setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }
}
