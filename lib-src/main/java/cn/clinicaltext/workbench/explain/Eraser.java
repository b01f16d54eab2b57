package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.eval.Bootstrap;
import cn.clinicaltext.workbench.model.TextClassifier;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Faithfulness in the sense of ERASER (DeYoung et al. 2020). For the k highest-scoring tokens of a text (the
 * rationale) and the explained class t:
 *
 * <pre>
 *   comprehensiveness = p_t(text) - p_t(text with the rationale deleted)     (high: the rationale was needed)
 *   sufficiency       = p_t(text) - p_t(the rationale alone, in order)       (low: the rationale suffices)
 * </pre>
 *
 * at k = 1..5 tokens and at 10% and 20% of the text (at least one token), for the attribution's ranking and for a
 * seeded random ranking of the same text. Tokens are deleted, not masked, as in ERASER. Each figure is a mean over
 * texts with a percentile-bootstrap 95% interval; the paired difference (attribution minus random) gets its own
 * interval. "mean over cuts" averages each text's values over the cuts it has (ERASER's aggregate).
 */
public final class Eraser {
    /** Absolute cuts (tokens) and relative ones (fractions of the text). */
    public static final int[] TOKEN_CUTS = {1, 2, 3, 4, 5};
    public static final double[] FRACTION_CUTS = {0.1, 0.2};

    /**
     * One cut, over the texts long enough for it (longer than k tokens).
     *
     * @param comprehensiveness   of the attribution's ranking
     * @param randomComprehensiveness of a random ranking
     * @param comprehensivenessGain paired difference, attribution minus random
     */
    public record Row(String cut, int texts, Bootstrap.Interval comprehensiveness,
                      Bootstrap.Interval randomComprehensiveness, Bootstrap.Interval comprehensivenessGain,
                      Bootstrap.Interval sufficiency, Bootstrap.Interval randomSufficiency) {
    }

    private final String method;
    private final List<Row> rows;

    private Eraser(String method, List<Row> rows) {
        this.method = method;
        this.rows = rows;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The aggregate row (mean over cuts). */
    public Row aggregate() {
        return rows.get(rows.size() - 1);
    }

    public String method() {
        return method;
    }

    /** Scores the attributions of {@code classifier}; {@code seed} fixes the random rankings and the bootstrap. */
    public static Eraser of(TextClassifier classifier, List<Attribution> attributions, long seed) {
        int cuts = TOKEN_CUTS.length + FRACTION_CUTS.length;
        double[][][] values = new double[4][cuts + 1][attributions.size()];
        Random random = new Random(seed);
        for (int a = 0; a < attributions.size(); a++) {
            Attribution at = attributions.get(a);
            int[] ids = classifier.encode(at.text()).tokenIds();
            int n = ids.length - 2;
            List<Integer> ranked = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ranked.add(i);
            }
            List<Integer> shuffled = new ArrayList<>(ranked);
            Collections.shuffle(shuffled, random);
            ranked.sort(Comparator.comparingDouble(i -> -at.raw()[i]));
            List<int[]> variants = new ArrayList<>();
            variants.add(ids);
            int[] ks = new int[cuts];
            for (int c = 0; c < cuts; c++) {
                ks[c] = c < TOKEN_CUTS.length ? TOKEN_CUTS[c]
                        : Math.max(1, (int) Math.round(FRACTION_CUTS[c - TOKEN_CUTS.length] * n));
                for (List<Integer> order : List.of(ranked, shuffled)) {
                    List<Integer> top = order.subList(0, Math.min(ks[c], n));
                    variants.add(TokenDeletion.without(ids, top));
                    variants.add(TokenDeletion.only(ids, top));
                }
            }
            float[] p = TokenDeletion.probabilities(classifier, variants, at.target());
            double[] sums = new double[4];
            int used = 0;
            for (int c = 0; c < cuts; c++) {
                boolean applies = ks[c] < n;
                for (int v = 0; v < 4; v++) {
                    // v: 0 comprehensiveness, 1 sufficiency (attribution); 2, 3 the same for random
                    double value = applies ? p[0] - p[1 + 4 * c + v] : Double.NaN;
                    values[v][c][a] = value;
                    if (applies) {
                        sums[v] += value;
                    }
                }
                used += applies ? 1 : 0;
            }
            for (int v = 0; v < 4; v++) {
                values[v][cuts][a] = used == 0 ? Double.NaN : sums[v] / used;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c <= cuts; c++) {
            String name = c < TOKEN_CUTS.length ? "top " + TOKEN_CUTS[c]
                    : c < cuts ? String.format(Locale.ROOT, "top %.0f%%", 100 * FRACTION_CUTS[c - TOKEN_CUTS.length])
                    : "mean over cuts";
            double[] gain = new double[attributions.size()];
            int texts = 0;
            for (int a = 0; a < gain.length; a++) {
                gain[a] = values[0][c][a] - values[2][c][a];
                texts += Double.isNaN(gain[a]) ? 0 : 1;
            }
            long s = seed + 1000L * c;
            rows.add(new Row(name, texts, mean(values[0][c], s), mean(values[2][c], s), mean(gain, s),
                    mean(values[1][c], s), mean(values[3][c], s)));
        }
        String label = attributions.isEmpty() ? "" : attributions.get(0).settings().label();
        return new Eraser(label, rows);
    }

    private static Bootstrap.Interval mean(double[] v, long seed) {
        return Bootstrap.mean(v, Bootstrap.DEFAULT_RESAMPLES, seed);
    }

    /** One row per cut: comprehensiveness and sufficiency of the attributions and of random, with intervals. */
    public Table toTable() {
        StringColumn cut = StringColumn.create("rationale");
        IntColumn texts = IntColumn.create("texts");
        StringColumn comp = StringColumn.create("comprehensiveness");
        StringColumn compRandom = StringColumn.create("comprehensiveness, random");
        StringColumn gain = StringColumn.create("difference (paired)");
        StringColumn suff = StringColumn.create("sufficiency");
        StringColumn suffRandom = StringColumn.create("sufficiency, random");
        for (Row r : rows) {
            cut.append(r.cut());
            texts.append(r.texts());
            comp.append(format(r.comprehensiveness()));
            compRandom.append(format(r.randomComprehensiveness()));
            gain.append(format(r.comprehensivenessGain()));
            suff.append(format(r.sufficiency()));
            suffRandom.append(format(r.randomSufficiency()));
        }
        return Table.create("ERASER faithfulness (" + method + "; 95% bootstrap intervals)", cut, texts, comp,
                compRandom, gain, suff, suffRandom);
    }

    /** "0.123 [0.100, 0.150]". */
    static String format(Bootstrap.Interval i) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", i.estimate(), i.low(), i.high());
    }

    /** Aggregate comprehensiveness and sufficiency of several methods side by side. */
    public static Table compare(List<Eraser> methods) {
        StringColumn name = StringColumn.create("method");
        StringColumn comp = StringColumn.create("comprehensiveness");
        StringColumn gain = StringColumn.create("minus random (paired)");
        StringColumn suff = StringColumn.create("sufficiency");
        for (Eraser e : methods) {
            Row r = e.aggregate();
            name.append(e.method());
            comp.append(format(r.comprehensiveness()));
            gain.append(format(r.comprehensivenessGain()));
            suff.append(format(r.sufficiency()));
        }
        if (!methods.isEmpty()) {
            Row r = methods.get(0).aggregate();
            name.append("random ranking");
            comp.append(format(r.randomComprehensiveness()));
            gain.append("");
            suff.append(format(r.randomSufficiency()));
        }
        return Table.create("Faithfulness by method, mean over cuts (ERASER)", name, comp, gain, suff);
    }
}
