package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.eval.Bootstrap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Locale;

/**
 * Does attribution follow the words or the position? The profile is the mean share of a text's attribution at each
 * token position (|score_i| / sum_j |score_j|, over the texts that reach position i). The control explains the same
 * texts behind a class-neutral prefix: if the attributions follow the words, the profile shifts right by the
 * prefix's length and the prefix itself takes little; if they follow the position, position 1 keeps its share
 * whatever token now stands there.
 *
 * @param original       share by position (index 0 = first text token) of the texts as they are
 * @param control        the same behind the prefix (index 0 = first prefix token)
 * @param prefixTokens   tokens in the prefix
 * @param stats          the control's summary figures, see {@link #summary()}
 */
public record PositionProfile(double[] original, double[] control, int prefixTokens, String prefix, Stats stats) {

    /**
     * @param topAtFirst             share of texts whose top token is their first token (original)
     * @param controlTopAtFirst      the same in the control (the top token is the prefix's first token)
     * @param controlTopAtShiftedFirst share of control texts whose top token is the original first token, now after
     *                               the prefix
     * @param prefixShare            mean share of the control's attribution on the prefix
     * @param rankCorrelation        mean Spearman correlation between a text's original scores and its control scores
     *                               on the same tokens, with its interval
     * @param agreement              share of texts whose predicted class the prefix leaves unchanged
     * @param meanProbabilityChange  mean |p_t(prefix + text) - p_t(text)| of the explained class
     */
    public record Stats(int texts, double topAtFirst, double controlTopAtFirst, double controlTopAtShiftedFirst,
                        double prefixShare, Bootstrap.Interval rankCorrelation, double agreement,
                        double meanProbabilityChange) {
    }

    /** Mean attribution share by position; positions at or beyond {@code maxPositions} are left out. */
    public static double[] shares(List<Attribution> attributions, int maxPositions) {
        double[] sum = new double[maxPositions];
        int[] n = new int[maxPositions];
        for (Attribution a : attributions) {
            double total = 0;
            for (float v : a.raw()) {
                total += Math.abs(v);
            }
            for (int i = 0; i < Math.min(maxPositions, a.raw().length); i++) {
                sum[i] += total == 0 ? 0 : Math.abs(a.raw()[i]) / total;
                n[i]++;
            }
        }
        double[] out = new double[maxPositions];
        for (int i = 0; i < maxPositions; i++) {
            out[i] = n[i] == 0 ? Double.NaN : sum[i] / n[i];
        }
        return out;
    }

    /** The comparison of already computed attributions (the control's texts are the originals behind the prefix). */
    public static PositionProfile compare(List<Attribution> original, List<Attribution> control, int prefixTokens,
                                          String prefix, int maxPositions, long seed) {
        int texts = original.size();
        double topFirst = 0;
        double controlTopFirst = 0;
        double controlTopShifted = 0;
        double prefixShare = 0;
        double agree = 0;
        double change = 0;
        double[] correlations = new double[texts];
        SpearmansCorrelation spearman = new SpearmansCorrelation();
        for (int t = 0; t < texts; t++) {
            Attribution o = original.get(t);
            Attribution c = control.get(t);
            int top = argmaxAbs(o.raw());
            int controlTop = argmaxAbs(c.raw());
            topFirst += top == 0 ? 1 : 0;
            controlTopFirst += controlTop == 0 ? 1 : 0;
            controlTopShifted += controlTop == prefixTokens ? 1 : 0;
            double total = 0;
            double onPrefix = 0;
            for (int i = 0; i < c.raw().length; i++) {
                total += Math.abs(c.raw()[i]);
                onPrefix += i < prefixTokens ? Math.abs(c.raw()[i]) : 0;
            }
            prefixShare += total == 0 ? 0 : onPrefix / total;
            agree += o.predicted() == c.predicted() ? 1 : 0;
            change += Math.abs(o.targetProbability() - c.targetProbability());
            // the same tokens: original 0..m-1 against control prefixTokens..prefixTokens+m-1 (the control may be
            // cut shorter by maxlen)
            int m = Math.min(o.raw().length, c.raw().length - prefixTokens);
            if (m >= 3) {
                double[] a = new double[m];
                double[] b = new double[m];
                for (int i = 0; i < m; i++) {
                    a[i] = o.raw()[i];
                    b[i] = c.raw()[prefixTokens + i];
                }
                double r = spearman.correlation(a, b);
                correlations[t] = r;
            } else {
                correlations[t] = Double.NaN;
            }
        }
        Stats stats = new Stats(texts, topFirst / texts, controlTopFirst / texts, controlTopShifted / texts,
                prefixShare / texts, Bootstrap.mean(correlations, Bootstrap.DEFAULT_RESAMPLES, seed), agree / texts,
                change / texts);
        return new PositionProfile(shares(original, maxPositions), shares(control, maxPositions), prefixTokens, prefix,
                stats);
    }

    private static int argmaxAbs(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        return best;
    }

    /** The control's figures as a table, each with what it should be when attributions follow the words. */
    public Table summary() {
        StringColumn what = StringColumn.create("measure");
        StringColumn value = StringColumn.create("value");
        StringColumn expect = StringColumn.create("if attribution follows the words");
        add(what, value, expect, "texts", String.valueOf(stats.texts()), "");
        add(what, value, expect, "top token is the first token (texts as they are)", pct(stats.topAtFirst()), "");
        add(what, value, expect, "top token is the prefix's first token (control)", pct(stats.controlTopAtFirst()),
                "near 0");
        add(what, value, expect, "top token is the text's first token, now after the prefix (control)",
                pct(stats.controlTopAtShiftedFirst()), "near the first row");
        add(what, value, expect, "attribution share on the " + prefixTokens + "-token prefix",
                pct(stats.prefixShare()), "small");
        add(what, value, expect, "Spearman correlation, same tokens with and without the prefix",
                Eraser.format(stats.rankCorrelation()), "high");
        add(what, value, expect, "predictions unchanged by the prefix", pct(stats.agreement()),
                "near 100% (else the prefix is not neutral)");
        add(what, value, expect, "mean |change| of p(explained class)",
                String.format(Locale.ROOT, "%.3f", stats.meanProbabilityChange()), "near 0");
        return Table.create("Position control: prefix \"" + prefix + "\"", what, value, expect);
    }

    /** Share by position for both, one row per position (1-based). */
    public Table toTable() {
        IntColumn position = IntColumn.create("position");
        DoubleColumn o = DoubleColumn.create("share, texts as they are");
        DoubleColumn c = DoubleColumn.create("share, behind the prefix");
        for (int i = 0; i < original.length; i++) {
            position.append(i + 1);
            o.append(original[i]);
            c.append(control[i]);
        }
        return Table.create("Attribution share by position", position, o, c);
    }

    private static void add(StringColumn w, StringColumn v, StringColumn e, String what, String value, String expect) {
        w.append(what);
        v.append(value);
        e.append(expect);
    }

    private static String pct(double x) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }
}
