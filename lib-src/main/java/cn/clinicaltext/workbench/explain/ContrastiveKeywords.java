package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.io.Progress;
import me.tongfei.progressbar.ProgressBar;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Class-contrastive keywords: what the model uses for one class rather than for all of them. Every text is
 * explained toward every class (signed scores, {@link Explainer#classScores}); for a token w and class c,
 *
 * <pre>
 *   contrast(w, c) = mean over occurrences of w of [ a_c(w) - mean_{c' != c} a_{c'}(w) ]
 * </pre>
 *
 * so a token that pushes every class alike (a frequent opening character, say) scores near 0 whatever its raw
 * attribution. Tokens in fewer than {@code minSupport} texts are left out. Beside it, a data-side contrast that does
 * not involve the model: the weighted log-odds of w in texts labelled c against the other texts with an informative
 * Dirichlet prior (Monroe, Colaresi and Quinn 2008, eq. 16-22), the prior being the pooled counts; its z-score
 * above about 2 means w is over-represented in class c.
 */
public final class ContrastiveKeywords {
    /** Tokens in fewer texts than this are not ranked. */
    public static final int DEFAULT_MIN_SUPPORT = 5;

    /**
     * @param meanToward   mean signed attribution toward the class
     * @param meanOthers   mean signed attribution toward the other classes
     * @param logOddsZ     weighted log-odds z-score of the token in texts labelled with the class (NaN unlabelled)
     */
    public record Entry(String token, int support, int occurrences, double meanToward, double meanOthers,
                        double contrast, double logOddsZ) {
    }

    private final List<String> classNames;
    private final List<List<Entry>> byClass;
    private final int minSupport;
    private final String method;

    private ContrastiveKeywords(List<String> classNames, List<List<Entry>> byClass, int minSupport, String method) {
        this.classNames = classNames;
        this.byClass = byClass;
        this.minSupport = minSupport;
        this.method = method;
    }

    /** Explains every record toward every class and ranks the tokens of each class by contrast. */
    public static ContrastiveKeywords of(Explainer explainer, List<LabeledText> records, int minSupport) {
        List<String> names = explainer.classifier().labels();
        int k = names.size();
        // per token: occurrences, sum of attribution toward each class, texts, and token counts by true label
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, Integer> support = new LinkedHashMap<>();
        long[] tokensByClass = new long[k];
        boolean labelled = !records.isEmpty() && records.stream().allMatch(r -> r.label() >= 0);
        try (ProgressBar bar = Progress.bar("attribution toward every class", records.size())) {
            for (LabeledText r : records) {
                float[][] scores = explainer.classScores(r.text());
                List<String> tokens = explainer.tokens(r.text());
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < tokens.size(); i++) {
                    String w = tokens.get(i);
                    double[] s = sums.computeIfAbsent(w, x -> new double[k + 1]);
                    s[k]++;
                    for (int c = 0; c < k; c++) {
                        s[c] += scores[c][i];
                    }
                    if (labelled) {
                        counts.computeIfAbsent(w, x -> new int[k])[r.label()]++;
                        tokensByClass[r.label()]++;
                    }
                    if (seen.add(w)) {
                        support.merge(w, 1, Integer::sum);
                    }
                }
                bar.step();
            }
        }
        long allTokens = 0;
        for (long n : tokensByClass) {
            allTokens += n;
        }
        List<List<Entry>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, double[]> e : sums.entrySet()) {
                int sup = support.get(e.getKey());
                if (sup < minSupport) {
                    continue;
                }
                double[] s = e.getValue();
                double occurrences = s[k];
                double toward = s[c] / occurrences;
                double others = 0;
                for (int d = 0; d < k; d++) {
                    others += d == c ? 0 : s[d] / occurrences;
                }
                others = k > 1 ? others / (k - 1) : 0;
                double z = labelled ? logOddsZ(counts.get(e.getKey()), c, tokensByClass, allTokens) : Double.NaN;
                entries.add(new Entry(e.getKey(), sup, (int) occurrences, toward, others, toward - others, z));
            }
            entries.sort(Comparator.comparingDouble(Entry::contrast).reversed().thenComparing(Entry::token));
            byClass.add(entries);
        }
        return new ContrastiveKeywords(names, byClass, minSupport,
                explainer.settings().with("score", Score.SIGNED).label());
    }

    /**
     * Weighted log-odds with an informative Dirichlet prior alpha_w = y_w (pooled count), alpha_0 = n (all tokens):
     * delta = log((y_wc + a_w) / (n_c + a_0 - y_wc - a_w)) - log((y_wr + a_w) / (n_r + a_0 - y_wr - a_w)),
     * var ~ 1 / (y_wc + a_w) + 1 / (y_wr + a_w), z = delta / sqrt(var); r = the other classes pooled.
     */
    static double logOddsZ(int[] byClass, int c, long[] tokensByClass, long allTokens) {
        double pooled = 0;
        for (int n : byClass) {
            pooled += n;
        }
        double yc = byClass[c];
        double yr = pooled - yc;
        double nc = tokensByClass[c];
        double nr = allTokens - nc;
        double a = pooled;
        double a0 = allTokens;
        double delta = Math.log((yc + a) / (nc + a0 - yc - a)) - Math.log((yr + a) / (nr + a0 - yr - a));
        double var = 1 / (yc + a) + 1 / (yr + a);
        return delta / Math.sqrt(var);
    }

    public List<String> classNames() {
        return classNames;
    }

    public int minSupport() {
        return minSupport;
    }

    /** Entries of one class, highest contrast first. */
    public List<Entry> entries(int classIndex) {
        return byClass.get(classIndex);
    }

    /** The {@code n} highest-contrast tokens of a class with a positive contrast. */
    public List<String> top(int classIndex, int n) {
        List<String> out = new ArrayList<>();
        for (Entry e : byClass.get(classIndex)) {
            if (out.size() == n || e.contrast() <= 0) {
                break;
            }
            out.add(e.token());
        }
        return out;
    }

    /** The top {@code n} rows of every class, one table each. */
    public List<Table> tables(int n) {
        List<Table> out = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            out.add(table(c, n));
        }
        return out;
    }

    /** The top {@code n} rows of one class. */
    public Table table(int classIndex, int n) {
        StringColumn token = StringColumn.create("token");
        IntColumn support = IntColumn.create("texts");
        DoubleColumn toward = DoubleColumn.create("mean attribution toward " + classNames.get(classIndex));
        DoubleColumn others = DoubleColumn.create("toward the others");
        DoubleColumn contrast = DoubleColumn.create("contrast");
        DoubleColumn z = DoubleColumn.create("log-odds z (labels)");
        for (Entry e : byClass.get(classIndex).subList(0, Math.min(n, byClass.get(classIndex).size()))) {
            token.append(e.token());
            support.append(e.support());
            toward.append(round(e.meanToward()));
            others.append(round(e.meanOthers()));
            contrast.append(round(e.contrast()));
            z.append(Math.round(e.logOddsZ() * 100) / 100.0);
        }
        return Table.create("Contrastive keywords for " + classNames.get(classIndex) + " (" + method + "; at least "
                + minSupport + " texts)", token, support, toward, others, contrast, z);
    }

    private static double round(double x) {
        return Math.round(x * 100000) / 100000.0;
    }
}
