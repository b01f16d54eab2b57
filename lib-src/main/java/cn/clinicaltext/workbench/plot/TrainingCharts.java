package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.train.EpochStats;
import cn.clinicaltext.workbench.train.History;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;

/** Training curves: loss and accuracy per epoch, train against validation, with the early-stopping epoch marked. */
public final class TrainingCharts {
    private TrainingCharts() {
    }

    /** Train and validation loss, learning rate on the right axis, best epoch marked. */
    public static XYChart loss(History history, int bestEpoch, String title) {
        XYChart chart = base(title, "loss");
        List<EpochStats> rows = history.rows();
        chart.addSeries("train loss", epochs(rows), rows.stream().mapToDouble(EpochStats::trainLoss).toArray());
        chart.addSeries("val loss", epochs(rows), rows.stream().mapToDouble(EpochStats::valLoss).toArray());
        double[] lrScaled = rows.stream().mapToDouble(r -> r.learningRate() * 1e4).toArray();
        XYSeries lr = chart.addSeries("learning rate", epochs(rows), lrScaled);
        lr.setYAxisGroup(1);
        lr.setLineStyle(SeriesLines.DASH_DASH);
        lr.setMarker(SeriesMarkers.NONE);
        chart.setYAxisGroupTitle(1, "learning rate at epoch end (x 1e-4)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        double maxLr = 0;
        for (double v : lrScaled) {
            maxLr = Math.max(maxLr, v);
        }
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, Math.max(1e-9, maxLr * 1.05));
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        markBest(chart, bestEpoch, 0.0);
        return chart;
    }

    /** Train, validation and (when present) test accuracy, best epoch marked. */
    public static XYChart accuracy(History history, int bestEpoch, String title) {
        XYChart chart = base(title, "accuracy");
        List<EpochStats> rows = history.rows();
        chart.addSeries("train", epochs(rows), rows.stream().mapToDouble(EpochStats::trainAccuracy).toArray());
        chart.addSeries("val", epochs(rows), rows.stream().mapToDouble(EpochStats::valAccuracy).toArray());
        if (rows.stream().noneMatch(r -> Double.isNaN(r.testAccuracy()))) {
            chart.addSeries("test", epochs(rows), rows.stream().mapToDouble(EpochStats::testAccuracy).toArray());
        }
        chart.getStyler().setYAxisDecimalPattern("0.00");
        double low = rows.stream().mapToDouble(r -> Math.min(r.trainAccuracy(), r.valAccuracy())).min().orElse(0);
        markBest(chart, bestEpoch, low);
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
    private static void markBest(XYChart chart, int bestEpoch, double labelY) {
        if (bestEpoch > 0) {
            chart.addAnnotation(new AnnotationLine(bestEpoch, true, false));
            chart.addAnnotation(new AnnotationText("best epoch " + bestEpoch, bestEpoch, labelY, false));
        }
    }

    private static double[] epochs(List<EpochStats> rows) {
        return rows.stream().mapToDouble(EpochStats::epoch).toArray();
    }
}
