package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.TextClassifier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Do the attributions mean something? Deletion curves: remove the k highest-attributed tokens of a text (or k
 * random ones) and watch the explained class's probability; attributions that matter make it fall faster than
 * random removal. AOPC (Samek et al. 2017) is the mean drop over k = 1..K.
 *
 * @param topCurve    mean target probability after removing the top-k tokens, k = 0..K
 * @param randomCurve the same for random tokens (averaged over a few seeded orders)
 */
public record Faithfulness(int maxK, double[] topCurve, double[] randomCurve, double aopcTop, double aopcRandom,
                           int texts) {

    public static Faithfulness of(TextClassifier classifier, List<Attribution> attributions, int maxK, long seed) {
        double[] top = new double[maxK + 1];
        double[] rnd = new double[maxK + 1];
        int[] counts = new int[maxK + 1];
        Random random = new Random(seed);
        int randomOrders = 3;
        for (Attribution a : attributions) {
            int[] ids = classifier.encode(a.text()).tokenIds();
            int n = ids.length - 2;
            List<Integer> byScore = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byScore.add(i);
            }
            byScore.sort(Comparator.comparingDouble(i -> -a.raw()[i]));
            double[] curve = curve(classifier, ids, byScore, a.target(), maxK);
            double[] r = new double[maxK + 1];
            for (int o = 0; o < randomOrders; o++) {
                List<Integer> order = new ArrayList<>(byScore);
                Collections.shuffle(order, random);
                double[] c = curve(classifier, ids, order, a.target(), maxK);
                for (int k = 0; k <= maxK; k++) {
                    r[k] += c[k] / randomOrders;
                }
            }
            for (int k = 0; k <= Math.min(maxK, n); k++) {
                top[k] += curve[k];
                rnd[k] += r[k];
                counts[k]++;
            }
        }
        for (int k = 0; k <= maxK; k++) {
            top[k] = counts[k] == 0 ? Double.NaN : top[k] / counts[k];
            rnd[k] = counts[k] == 0 ? Double.NaN : rnd[k] / counts[k];
        }
        return new Faithfulness(maxK, top, rnd, aopc(top), aopc(rnd), attributions.size());
    }

    private static double aopc(double[] curve) {
        double sum = 0;
        int n = 0;
        for (int k = 1; k < curve.length; k++) {
            if (!Double.isNaN(curve[k])) {
                sum += curve[0] - curve[k];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Target probability after removing the first k tokens of {@code order}, k = 0..min(K, tokens), in one batch. */
    private static double[] curve(TextClassifier classifier, int[] ids, List<Integer> order, int target, int maxK) {
        int n = ids.length - 2;
        int kMax = Math.min(maxK, n);
        List<int[]> variants = new ArrayList<>();
        for (int k = 0; k <= kMax; k++) {
            variants.add(TokenDeletion.without(ids, order.subList(0, k)));
        }
        float[] p = TokenDeletion.probabilities(classifier, variants, target);
        double[] out = new double[maxK + 1];
        Arrays.fill(out, Double.NaN);
        for (int k = 0; k <= kMax; k++) {
            out[k] = p[k];
        }
        return out;
    }

    public Table toTable() {
        var k = IntColumn.create("tokens removed");
        var t = DoubleColumn.create("p(target), top-attributed removed");
        var r = DoubleColumn.create("p(target), random removed");
        for (int i = 0; i <= maxK; i++) {
            k.append(i);
            t.append(Math.round(topCurve[i] * 10000) / 10000.0);
            r.append(Math.round(randomCurve[i] * 10000) / 10000.0);
        }
        return Table.create(String.format(Locale.ROOT,
                "Deletion curves over %d texts: AOPC %.4f (attributions) vs %.4f (random)", texts, aopcTop, aopcRandom), k, t, r);
    }
}
