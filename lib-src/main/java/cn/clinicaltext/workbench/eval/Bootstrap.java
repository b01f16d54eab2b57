package cn.clinicaltext.workbench.eval;

import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Percentile bootstrap confidence intervals (Efron and Tibshirani 1993) of accuracy, macro-F1 and per-class F1:
 * the test texts are resampled with replacement, the scores recomputed on each resample, and the 2.5th and 97.5th
 * percentiles taken. Seeded, so the intervals are reproducible.
 */
public final class Bootstrap {
    public static final int DEFAULT_RESAMPLES = 1000;

    private Bootstrap() {
    }

    /** A point estimate with its 95% interval. */
    public record Interval(double estimate, double low, double high) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", estimate, low, high);
        }
    }

    /** Intervals of accuracy, macro-F1 and each class's F1. */
    public record Intervals(Interval accuracy, Interval macroF1, Interval[] f1) {
    }

    public static Intervals of(int[] truth, int[] predicted, List<String> labelNames, int resamples, long seed) {
        ClassificationReport full = ClassificationReport.of(truth, predicted, labelNames);
        int n = truth.length;
        int k = labelNames.size();
        double[] acc = new double[resamples];
        double[] macro = new double[resamples];
        double[][] f1 = new double[k][resamples];
        RandomGenerator random = new MersenneTwister(seed);
        int[] t = new int[n];
        int[] p = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                t[i] = truth[j];
                p[i] = predicted[j];
            }
            ClassificationReport rep = ClassificationReport.of(t, p, labelNames);
            acc[r] = rep.accuracy();
            macro[r] = rep.macroF1();
            for (int c = 0; c < k; c++) {
                f1[c][r] = rep.f1()[c];
            }
        }
        Interval[] perClass = new Interval[k];
        for (int c = 0; c < k; c++) {
            perClass[c] = interval(full.f1()[c], f1[c]);
        }
        return new Intervals(interval(full.accuracy(), acc), interval(full.macroF1(), macro), perClass);
    }

    /**
     * The mean of {@code values} with its percentile-bootstrap 95% interval (values resampled with replacement).
     * NaN values are left out; with none left the estimate and bounds are NaN.
     */
    public static Interval mean(double[] values, int resamples, long seed) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        int n = v.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] means = new double[resamples];
        RandomGenerator random = new MersenneTwister(seed);
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += v[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        return interval(Arrays.stream(v).average().orElseThrow(), means);
    }

    static Interval interval(double estimate, double[] samples) {
        Percentile pct = new Percentile();
        pct.setData(samples);
        return new Interval(estimate, pct.evaluate(2.5), pct.evaluate(97.5));
    }
}
