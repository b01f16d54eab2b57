package cn.clinicaltext.workbench.eval;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two classifiers on the same test texts, compared text by text: McNemar's exact test on the texts only one of
 * them gets right, and a paired percentile bootstrap of the differences in accuracy and macro-F1 (both resampled
 * with the same indices each time, so the pairing is kept).
 *
 * @param onlyA            texts A gets right and B wrong (McNemar's b)
 * @param onlyB            texts B gets right and A wrong (McNemar's c)
 * @param mcnemarP         exact two-sided p: min(1, 2 P(X &le; min(b, c))), X ~ Binomial(b + c, 1/2)
 * @param accuracyDiff     accuracy of A minus B with its 95% interval
 * @param macroF1Diff      macro-F1 of A minus B with its 95% interval
 * @param macroF1P         two-sided bootstrap p of the macro-F1 difference: twice the share of resamples on the
 *                         other side of 0 (at least 1/resamples)
 */
public record PairedTest(int n, int onlyA, int onlyB, double mcnemarP, Bootstrap.Interval accuracyDiff,
                         Bootstrap.Interval macroF1Diff, double macroF1P) {

    public static PairedTest of(int[] truth, int[] a, int[] b, List<String> labelNames, int resamples, long seed) {
        int n = truth.length;
        if (a.length != n || b.length != n) {
            throw new IllegalArgumentException("a paired test needs both predictions on the same " + n + " texts");
        }
        int onlyA = 0;
        int onlyB = 0;
        for (int i = 0; i < n; i++) {
            boolean ra = a[i] == truth[i];
            boolean rb = b[i] == truth[i];
            if (ra && !rb) {
                onlyA++;
            } else if (rb && !ra) {
                onlyB++;
            }
        }
        int discordant = onlyA + onlyB;
        double p = discordant == 0 ? 1.0
                : Math.min(1.0, 2 * new BinomialDistribution(null, discordant, 0.5)
                .cumulativeProbability(Math.min(onlyA, onlyB)));
        ClassificationReport fa = ClassificationReport.of(truth, a, labelNames);
        ClassificationReport fb = ClassificationReport.of(truth, b, labelNames);
        double[] accDiff = new double[resamples];
        double[] f1Diff = new double[resamples];
        RandomGenerator random = new MersenneTwister(seed);
        int[] t = new int[n];
        int[] pa = new int[n];
        int[] pb = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                t[i] = truth[j];
                pa[i] = a[j];
                pb[i] = b[j];
            }
            ClassificationReport ra = ClassificationReport.of(t, pa, labelNames);
            ClassificationReport rb = ClassificationReport.of(t, pb, labelNames);
            accDiff[r] = ra.accuracy() - rb.accuracy();
            f1Diff[r] = ra.macroF1() - rb.macroF1();
        }
        double observed = fa.macroF1() - fb.macroF1();
        long otherSide = Arrays.stream(f1Diff).filter(d -> observed >= 0 ? d <= 0 : d >= 0).count();
        double f1P = Math.min(1.0, Math.max(1.0 / resamples, 2.0 * otherSide / resamples));
        return new PairedTest(n, onlyA, onlyB, p, Bootstrap.interval(fa.accuracy() - fb.accuracy(), accDiff),
                Bootstrap.interval(observed, f1Diff), f1P);
    }

    /** As JSON, A and B called by the given names ({@code only_model_right}, {@code only_baseline_right}, ...). */
    public Map<String, Object> toJson(String a, String b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("only_" + a + "_right", onlyA);
        m.put("only_" + b + "_right", onlyB);
        m.put("mcnemar_exact_p", mcnemarP);
        m.put("accuracy_difference", accuracyDiff.estimate());
        m.put("accuracy_difference_ci95", new double[]{accuracyDiff.low(), accuracyDiff.high()});
        m.put("macro_f1_difference", macroF1Diff.estimate());
        m.put("macro_f1_difference_ci95", new double[]{macroF1Diff.low(), macroF1Diff.high()});
        m.put("macro_f1_difference_bootstrap_p", macroF1P);
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d texts; only A right %d, only B right %d, McNemar exact p %.4f;"
                + " accuracy A-B %s; macro-F1 A-B %s (bootstrap p %.4f)", n, onlyA, onlyB, mcnemarP, accuracyDiff,
                macroF1Diff, macroF1P);
    }
}
