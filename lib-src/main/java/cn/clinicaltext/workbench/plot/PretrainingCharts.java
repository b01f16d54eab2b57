package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.eval.StartComparison;
import cn.clinicaltext.workbench.eval.TeacherComparison;
import cn.clinicaltext.workbench.train.PretrainHistory;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Figures of masked-LM pretraining: its curves, and fine-tuning from different starts over seeds. */
public final class PretrainingCharts {
    private PretrainingCharts() {
    }

    /** Masked-LM loss (left axis) and accuracy on the masked tokens (right axis), train and validation, by step. */
    public static XYChart maskedLm(PretrainHistory history, String title) {
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.WIDTH + 60).height(FigureStyle.HEIGHT + 30)
                .title(title).xAxisTitle("optimiser step").yAxisTitle("masked-LM loss").build());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(4);
        List<PretrainHistory.Row> rows = history.rows();
        double[] steps = rows.stream().mapToDouble(PretrainHistory.Row::step).toArray();
        chart.addSeries("train loss", steps, rows.stream().mapToDouble(PretrainHistory.Row::trainLoss).toArray());
        chart.addSeries("val loss", steps, rows.stream().mapToDouble(PretrainHistory.Row::valLoss).toArray());
        XYSeries ta = chart.addSeries("train accuracy", steps, rows.stream().mapToDouble(PretrainHistory.Row::trainAccuracy).toArray());
        XYSeries va = chart.addSeries("val accuracy", steps, rows.stream().mapToDouble(PretrainHistory.Row::valAccuracy).toArray());
        for (XYSeries s : new XYSeries[]{ta, va}) {
            s.setYAxisGroup(1);
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
        chart.setYAxisGroupTitle(1, "accuracy on masked tokens");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 1.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        return chart;
    }

    /**
     * Test accuracy and macro-F1 of each start as mean ± 1 sd over seeds (error bars); the number of seeds in each
     * start's label. Per-seed scores and their bootstrap intervals are in {@link StartComparison#runsTable()}.
     */
    public static CategoryChart startComparison(StartComparison comparison, String title) {
        return meanScores(comparison.summary().asMap(), title, "start of fine-tuning");
    }

    /** Students beside their teacher and the baseline (notebook 09): mean ± sd of each model's test scores. */
    public static CategoryChart teacherComparison(TeacherComparison comparison, String title) {
        return meanScores(comparison.summary().asMap(), title, "model");
    }

    /** Mean ± sd over seeds of test accuracy and macro-F1 ({@code summary}: [0] accuracy, [1] macro-F1) per model. */
    private static CategoryChart meanScores(Map<String, DescriptiveStatistics[]> summary, String title, String xAxis) {
        List<String> labels = new ArrayList<>();
        summary.forEach((name, s) -> labels.add(name + " (n=" + s[0].getN() + ")"));
        // one category label per model; five long ones (notebook 09) overlapped at the width that fits four starts
        CategoryChart chart = FigureStyle.apply(new CategoryChartBuilder()
                .width(FigureStyle.WIDTH + 60 + 90 * Math.max(0, labels.size() - 4))
                .height(FigureStyle.HEIGHT + 30 + (labels.size() > 4 ? 40 : 0)).title(title).xAxisTitle(xAxis)
                .yAxisTitle("test score, mean ± sd over seeds").build());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setMarkerSize(9);
        if (labels.size() > 4) {
            chart.getStyler().setXAxisLabelRotation(20);
        }
        chart.getStyler().setYAxisDecimalPattern("0.00");
        String[] metric = {"accuracy", "macro-F1"};
        double low = 1;
        double high = 0;
        for (int m = 0; m < 2; m++) {
            List<Double> mean = new ArrayList<>();
            List<Double> sd = new ArrayList<>();
            for (DescriptiveStatistics[] s : summary.values()) {
                double mu = s[m].getMean();
                double dev = s[m].getN() < 2 ? 0 : s[m].getStandardDeviation();
                mean.add(mu);
                sd.add(dev);
                low = Math.min(low, mu - dev);
                high = Math.max(high, mu + dev);
            }
            chart.addSeries(metric[m], labels, mean, sd).setMarker(m == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        }
        double pad = Math.max(0.01, (high - low) * 0.25);
        chart.getStyler().setYAxisMin(Math.max(0, low - pad));
        chart.getStyler().setYAxisMax(Math.min(1, high + pad));
        return chart;
    }

}
