package cn.clinicaltext.workbench.eval;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Mean and standard deviation of test scores over models that differ only in their seed (a run's
 * {@code model-seed<S>} folders): the figure a paper should report.
 */
public final class MultiSeedSummary {
    private MultiSeedSummary() {
    }

    /** Accuracy and macro-F1 of several models, as statistics over the models. */
    public record Scores(DescriptiveStatistics accuracy, DescriptiveStatistics macroF1) {
        public static Scores of(Collection<ModelEvaluation> models) {
            DescriptiveStatistics acc = new DescriptiveStatistics();
            DescriptiveStatistics macro = new DescriptiveStatistics();
            for (ModelEvaluation e : models) {
                acc.addValue(e.report().accuracy());
                macro.addValue(e.report().macroF1());
            }
            return new Scores(acc, macro);
        }
    }

    /** Mean and sd of test scores over models that differ only in their seed, scored on the same texts. */
    public static Table of(Map<String, ModelEvaluation> bySeed) {
        Scores scores = Scores.of(bySeed.values());
        DescriptiveStatistics acc = scores.accuracy();
        DescriptiveStatistics macro = scores.macroF1();
        int n = bySeed.size();
        return Table.create("Test scores over " + n + " seeds (mean ± sd" + (n < 2 ? "; sd needs two seeds" : "") + ")",
                IntColumn.create("seeds", new int[]{n}),
                DoubleColumn.create("accuracy mean", new double[]{round(acc.getMean())}),
                DoubleColumn.create("accuracy sd", new double[]{n < 2 ? Double.NaN : round(acc.getStandardDeviation())}),
                DoubleColumn.create("macro F1 mean", new double[]{round(macro.getMean())}),
                DoubleColumn.create("macro F1 sd", new double[]{n < 2 ? Double.NaN : round(macro.getStandardDeviation())}),
                StringColumn.create("models", List.of(String.join(", ", bySeed.keySet()))));
    }

    private static double round(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 10000) / 10000.0;
    }
}
