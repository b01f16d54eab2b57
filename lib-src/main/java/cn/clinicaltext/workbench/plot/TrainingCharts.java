package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.train.EpochStats;
import cn.clinicaltext.workbench.train.History;
import cn.clinicaltext.workbench.train.TrainingResult;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;
import java.util.TreeMap;

/** Training curves: loss and accuracy per epoch, train against validation, with the early-stopping epoch marked. */
public final class TrainingCharts {
    private TrainingCharts() {
    }

    /**
     * Train and validation loss per epoch, the learning rate of every step on the right axis (the schedule is
     * piecewise linear, so its knots and the epoch ends draw it exactly), best epoch marked.
     */
    public static XYChart loss(TrainingResult result, String title) {
        XYChart chart = lossChart(result.history(), title);
        List<EpochStats> rows = result.history().rows();
        double stepsPerEpoch = rows.isEmpty() ? 1 : (double) rows.get(0).step() / rows.get(0).epoch();
        long lastStep = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step();
        TreeMap<Long, Double> points = new TreeMap<>();
        points.put(0L, (double) result.schedule().rate(0));
        for (long k : result.schedule().steps()) {
            if (k <= lastStep) {
                points.put(k, (double) result.schedule().rate(k));
            }
        }
        rows.forEach(r -> points.put(r.step(), (double) result.schedule().rate(r.step())));
        double[] x = points.keySet().stream().mapToDouble(k -> k / stepsPerEpoch).toArray();
        double[] lrScaled = points.values().stream().mapToDouble(v -> v * 1e4).toArray();
        XYSeries lr = chart.addSeries("learning rate (per step)", x, lrScaled);
        lr.setYAxisGroup(1);
        lr.setLineStyle(SeriesLines.DASH_DASH);
        lr.setMarker(SeriesMarkers.NONE);
        chart.setYAxisGroupTitle(1, "learning rate (x 1e-4)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        double maxLr = 0;
        for (double v : lrScaled) {
            maxLr = Math.max(maxLr, v);
        }
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, Math.max(1e-9, maxLr * 1.05));
        markBest(chart, result.bestEpoch(), 0.0, rows.size());
        return chart;
    }

    /** Train and validation loss per epoch, best epoch marked (a constant learning rate: no rate axis). */
    public static XYChart loss(History history, int bestEpoch, String title) {
        XYChart chart = lossChart(history, title);
        markBest(chart, bestEpoch, 0.0, history.size());
        return chart;
    }

    private static XYChart lossChart(History history, String title) {
        XYChart chart = base(title, "loss");
        List<EpochStats> rows = history.rows();
        chart.addSeries("train loss", epochs(rows), rows.stream().mapToDouble(EpochStats::trainLoss).toArray());
        chart.addSeries("val loss", epochs(rows), rows.stream().mapToDouble(EpochStats::valLoss).toArray());
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisMin(0.0);
        return chart;
    }

    /**
     * Train and validation accuracy, best epoch marked. The test split is not drawn: it is scored once, at the
     * end (notebook 04); choosing by a curve of test scores would make it a second validation set.
     */
    public static XYChart accuracy(TrainingResult result, String title) {
        return accuracy(result.history(), result.bestEpoch(), title);
    }

    /** Train and validation accuracy per epoch of any history, best epoch marked. */
    public static XYChart accuracy(History history, int bestEpoch, String title) {
        XYChart chart = base(title, "accuracy");
        List<EpochStats> rows = history.rows();
        chart.addSeries("train", epochs(rows), rows.stream().mapToDouble(EpochStats::trainAccuracy).toArray());
        chart.addSeries("val", epochs(rows), rows.stream().mapToDouble(EpochStats::valAccuracy).toArray());
        double low = rows.stream().mapToDouble(r -> Math.min(r.trainAccuracy(), r.valAccuracy())).min().orElse(0);
        double high = rows.stream().mapToDouble(r -> Math.max(r.trainAccuracy(), r.valAccuracy())).max().orElse(1);
        // curves within a few points of each other get ticks 0.002 apart: with two decimals their labels repeat and
        // XChart shows one (notebook 08's head on bge, all between 0.965 and 0.98, had a single label)
        chart.getStyler().setYAxisDecimalPattern(high - low < 0.05 ? "0.000" : "0.00");
        if (rows.size() == 1) {
            // one epoch is a zero-width x range, where XChart draws the best-epoch line beside the points instead of
            // through them: the axis then runs from 0, as the loss chart's does
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax(1.0);
        }
        markBest(chart, bestEpoch, low, rows.size());
        return chart;
    }

    private static XYChart base(String title, String yTitle) {
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.WIDTH + 60).height(FigureStyle.HEIGHT + 30)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build());
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return chart;
    }

    /** A vertical line at the best epoch, labelled at height {@code labelY} (in data units, inside the plot). */
    private static void markBest(XYChart chart, int bestEpoch, double labelY, int lastEpoch) {
        if (bestEpoch > 0) {
            chart.addAnnotation(new AnnotationLine(bestEpoch, true, false));
            // the label is centred on its x: beside the line (not across it), on its left near the right-hand axis
            double x = bestEpoch > 0.8 * lastEpoch ? bestEpoch - 0.1 * lastEpoch : bestEpoch + 0.08 * lastEpoch;
            chart.addAnnotation(new AnnotationText("best epoch " + bestEpoch, x, labelY, false));
        }
    }

    private static double[] epochs(List<EpochStats> rows) {
        return rows.stream().mapToDouble(EpochStats::epoch).toArray();
    }
}
