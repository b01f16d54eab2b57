package cn.clinicaltext.workbench.plot;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusStatistics;
import cn.clinicaltext.workbench.data.DataSplit;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Figures describing a corpus: class balance, length distributions, discriminating characters, confusion. */
public final class CorpusCharts {
    private CorpusCharts() {
    }

    /** Bar chart of texts per class, with counts on the bars. */
    public static CategoryChart classBalance(Corpus corpus, String title) {
        List<String> names = corpus.labelNames();
        long[] counts = corpus.classCounts();
        List<Number> values = new ArrayList<>();
        for (long c : counts) {
            values.add(c);
        }
        CategoryChart chart = FigureStyle.apply(new CategoryChartBuilder().width(FigureStyle.WIDTH)
                .height(FigureStyle.HEIGHT).title(title).xAxisTitle("class").yAxisTitle("texts").build());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(FigureStyle.font(Font.PLAIN, 11));
        chart.getStyler().setLabelsPosition(0.95);
        chart.addSeries("texts", names, values);
        return chart;
    }

    /** Class shares in each split, side by side: stratification should make the bars of a class equal. */
    public static CategoryChart splitBalance(DataSplit split, String title) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < split.parts().size(); i++) {
            parts.add(List.of("train", "val", "test").get(i) + " (n=" + split.parts().get(i).size() + ")");
        }
        int classes = split.train().numClasses();
        CategoryChart chart = FigureStyle.apply(new CategoryChartBuilder().width(FigureStyle.WIDTH)
                .height(FigureStyle.HEIGHT).title(title).xAxisTitle("split").yAxisTitle("share of texts").build());
        chart.getStyler().setYAxisMax(1.0);
        List<String> names = split.train().labelNames();
        for (int c = 0; c < classes; c++) {
            List<Number> shares = new ArrayList<>();
            for (Corpus part : split.parts()) {
                shares.add(part.size() == 0 ? 0.0 : (double) part.classCounts()[c] / part.size());
            }
            chart.addSeries(names.get(c), parts, shares);
        }
        return chart;
    }

    /** Share of texts the length axis shows at least; a long tail beyond is counted in the axis title. */
    static final double LENGTH_AXIS_QUANTILE = 0.99;

    /**
     * Share of each class's texts by length (frequency polygons in bins of {@code binWidth}), with the model's
     * maxlen marked: the part right of the line is cut by truncation. The axis ends at the 99th percentile (or just
     * past maxlen) so a few very long texts do not squash the rest; how many lie beyond is said on the axis.
     */
    public static XYChart lengthDistribution(Corpus corpus, int[] lengths, String unit, int binWidth, int maxlen,
                                             String title) {
        int[] sorted = lengths.clone();
        Arrays.sort(sorted);
        int longest = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        int quantile = sorted.length == 0 ? 0 : sorted[(int) Math.floor(LENGTH_AXIS_QUANTILE * (sorted.length - 1))];
        int max = Math.min(longest, Math.max(quantile, maxlen + binWidth));
        long beyond = Arrays.stream(lengths).filter(l -> l / binWidth > max / binWidth).count();
        int bins = max / binWidth + 1;
        String axis = "length (" + unit + ", bins of " + binWidth + ")"
                + (beyond > 0 ? "; " + beyond + " texts longer than " + ((max / binWidth + 1) * binWidth)
                + " (up to " + longest + ") not shown" : "");
        XYChart chart = FigureStyle.apply(new XYChartBuilder().width(FigureStyle.WIDTH).height(FigureStyle.HEIGHT)
                .title(title).xAxisTitle(axis).yAxisTitle("share of the class's texts").build());
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax((double) Math.max(maxlen + binWidth, (max / binWidth + 1) * binWidth));
        int[] labels = corpus.labels();
        List<String> names = corpus.labelNames();
        double top = 0;
        for (int c = 0; c < corpus.numClasses(); c++) {
            double[] share = new double[bins];
            int n = 0;
            for (int i = 0; i < lengths.length; i++) {
                if (labels[i] == c) {
                    if (lengths[i] / binWidth < bins) {
                        share[lengths[i] / binWidth]++;
                    }
                    n++;
                }
            }
            double[] x = new double[bins];
            for (int b = 0; b < bins; b++) {
                x[b] = b * binWidth + binWidth / 2.0;
                share[b] = n == 0 ? 0 : share[b] / n;
                top = Math.max(top, share[b]);
            }
            chart.addSeries(names.get(c), x, share).setMarker(SeriesMarkers.CIRCLE);
        }
        if (maxlen > 0) {
            AnnotationLine line = new AnnotationLine(maxlen, true, false);
            chart.addAnnotation(line);
            // beside the line near the top, where the curves (which fall with length) leave room
            double xMax = Math.max(maxlen + binWidth, (max / binWidth + 1) * binWidth);
            chart.addAnnotation(new AnnotationText("maxlen " + maxlen, maxlen + 0.07 * xMax, 0.92 * top, false));
        }
        return chart;
    }

    /**
     * The characters that best tell the classes apart: for the {@code k} characters with the largest spread of
     * document share across classes, the share of each class's texts containing them.
     */
    public static CategoryChart discriminatingCharacters(Corpus corpus, int k, String title) {
        int classes = corpus.numClasses();
        long[] sizes = corpus.classCounts();
        List<Map<String, int[]>> perClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            perClass.add(CorpusStatistics.ngramCounts(corpus, c, 1));
        }
        Map<String, int[]> all = CorpusStatistics.ngramCounts(corpus, -1, 1);
        List<String> top = all.keySet().stream()
                .sorted(Comparator.comparingDouble((String g) -> -spread(g, perClass, sizes)).thenComparing(g -> g))
                .limit(k).toList();
        CategoryChart chart = FigureStyle.apply(new CategoryChartBuilder().width(FigureStyle.WIDTH + 140)
                .height(FigureStyle.HEIGHT).title(title).xAxisTitle("character").yAxisTitle("share of texts containing it")
                .build());
        // below the plot: inside, the legend covered the tallest bars (seen with the 2026-11-26 corpus)
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setYAxisMax(1.0);
        List<String> names = corpus.labelNames();
        for (int c = 0; c < classes; c++) {
            List<Number> shares = new ArrayList<>();
            for (String g : top) {
                int[] s = perClass.get(c).get(g);
                shares.add(s == null || sizes[c] == 0 ? 0.0 : (double) s[1] / sizes[c]);
            }
            chart.addSeries(names.get(c), top, shares);
        }
        return chart;
    }

    private static double spread(String gram, List<Map<String, int[]>> perClass, long[] sizes) {
        double min = 1;
        double max = 0;
        for (int c = 0; c < perClass.size(); c++) {
            int[] s = perClass.get(c).get(gram);
            double share = s == null || sizes[c] == 0 ? 0 : (double) s[1] / sizes[c];
            min = Math.min(min, share);
            max = Math.max(max, share);
        }
        return max - min;
    }
}
