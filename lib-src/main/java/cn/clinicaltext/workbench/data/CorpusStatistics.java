package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Descriptive statistics of a corpus as tables: class balance, text lengths, frequent characters and bigrams. */
public final class CorpusStatistics {
    private CorpusStatistics() {
    }

    /** Count and share of each class. */
    public static Table classBalance(Corpus corpus) {
        List<String> names = corpus.labelNames();
        long[] counts = corpus.classCounts();
        StringColumn name = StringColumn.create("class");
        IntColumn count = IntColumn.create("texts");
        DoubleColumn share = DoubleColumn.create("share");
        for (int c = 0; c < counts.length; c++) {
            name.append(names.get(c));
            count.append((int) counts[c]);
            share.append(round(corpus.size() == 0 ? 0 : (double) counts[c] / corpus.size(), 4));
        }
        name.append("all");
        count.append(corpus.size());
        share.append(1.0);
        return Table.create("Class balance", name, count, share);
    }

    /** Token counts of each text, [CLS] and [SEP] included, without truncation. */
    public static int[] tokenLengths(Corpus corpus, BertTokenizer tokenizer) {
        return tokenLengths(corpus.texts(), tokenizer);
    }

    /** The same for texts without labels (what predict and explain are given). */
    public static int[] tokenLengths(List<String> texts, BertTokenizer tokenizer) {
        return texts.stream().mapToInt(t -> tokenizer.encode(t, 0).length()).toArray();
    }

    public static int[] characterLengths(Corpus corpus) {
        return corpus.records().stream().mapToInt(LabeledText::characters).toArray();
    }

    /**
     * Per class and overall: median, 95th percentile and maximum length in characters and in tokens, and the
     * share of texts longer than {@code maxlen} tokens (those are cut when the model reads them).
     */
    public static Table lengths(Corpus corpus, BertTokenizer tokenizer, int maxlen) {
        int[] chars = characterLengths(corpus);
        int[] tokens = tokenLengths(corpus, tokenizer);
        int[] labels = corpus.labels();
        List<String> names = corpus.labelNames();
        Table table = Table.create("Text lengths (tokens include [CLS] and [SEP]; maxlen " + maxlen + ")");
        StringColumn name = StringColumn.create("class");
        IntColumn n = IntColumn.create("texts");
        DoubleColumn charMedian = DoubleColumn.create("chars median");
        DoubleColumn charP95 = DoubleColumn.create("chars p95");
        IntColumn charMax = IntColumn.create("chars max");
        DoubleColumn tokMedian = DoubleColumn.create("tokens median");
        DoubleColumn tokP95 = DoubleColumn.create("tokens p95");
        IntColumn tokMax = IntColumn.create("tokens max");
        IntColumn over = IntColumn.create("over maxlen");
        DoubleColumn overShare = DoubleColumn.create("share over maxlen");
        for (int c = -1; c < corpus.numClasses(); c++) {
            DescriptiveStatistics cs = new DescriptiveStatistics();
            DescriptiveStatistics ts = new DescriptiveStatistics();
            int overCount = 0;
            for (int i = 0; i < labels.length; i++) {
                if (c < 0 || labels[i] == c) {
                    cs.addValue(chars[i]);
                    ts.addValue(tokens[i]);
                    if (tokens[i] > maxlen) {
                        overCount++;
                    }
                }
            }
            name.append(c < 0 ? "all" : names.get(c));
            n.append((int) cs.getN());
            charMedian.append(cs.getN() == 0 ? Double.NaN : cs.getPercentile(50));
            charP95.append(cs.getN() == 0 ? Double.NaN : round(cs.getPercentile(95), 1));
            charMax.append((int) (cs.getN() == 0 ? 0 : cs.getMax()));
            tokMedian.append(ts.getN() == 0 ? Double.NaN : ts.getPercentile(50));
            tokP95.append(ts.getN() == 0 ? Double.NaN : round(ts.getPercentile(95), 1));
            tokMax.append((int) (ts.getN() == 0 ? 0 : ts.getMax()));
            over.append(overCount);
            overShare.append(cs.getN() == 0 ? 0 : round((double) overCount / cs.getN(), 4));
        }
        table.addColumns(name, n, charMedian, charP95, charMax, tokMedian, tokP95, tokMax, over, overShare);
        return table;
    }

    /** The token count that the given share of the texts fit in (nearest rank, so it covers them); 0 for none. */
    public static int lengthCovering(int[] tokenLengths, double share) {
        if (tokenLengths.length == 0) {
            return 0;
        }
        int[] sorted = tokenLengths.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(share * sorted.length) - 1)];
    }

    /**
     * One line for a run's log when texts are cut, e.g. "2,028 of 6,211 training texts (32.7%) are longer than
     * maxlen 128 tokens ..." (ChnSentiCorp): there, reading whole reviews (maxlen 256) raised the random start's
     * validation macro-F1 on all three seeds (README, "Real data"), so a user should see what a maxlen cuts.
     * Empty when nothing is.
     */
    public static String truncationReport(Corpus corpus, BertTokenizer tokenizer, int maxlen, String what) {
        int[] tokens = tokenLengths(corpus, tokenizer);
        long cut = Arrays.stream(tokens).filter(n -> n > maxlen).count();
        if (cut == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%,d of %,d %s (%.1f%%) are longer than maxlen %d tokens and are cut to"
                        + " their beginning; 95%% of the texts fit in %d tokens, all in %d (--maxlen; at most the"
                        + " model's position embeddings)", cut, tokens.length, what, 100.0 * cut / tokens.length,
                maxlen, lengthCovering(tokens, 0.95), lengthCovering(tokens, 1.0));
    }

    /** Texts longer than {@code maxlen} tokens, longest first: what truncation will cut. */
    public static Table longerThan(Corpus corpus, BertTokenizer tokenizer, int maxlen) {
        int[] tokens = tokenLengths(corpus, tokenizer);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] > maxlen) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.comparingInt((Integer i) -> tokens[i]).reversed());
        IntColumn line = IntColumn.create("line");
        IntColumn label = IntColumn.create("label");
        IntColumn length = IntColumn.create("tokens");
        StringColumn text = StringColumn.create("text");
        for (int i : idx) {
            LabeledText r = corpus.records().get(i);
            line.append(r.line());
            label.append(r.label());
            length.append(tokens[i]);
            text.append(r.text());
        }
        return Table.create("Texts over maxlen " + maxlen + " tokens: " + idx.size(), line, label, length, text);
    }

    /**
     * The {@code k} most frequent character n-grams of each class (n = 1 characters, n = 2 bigrams), side by side.
     * N-grams are taken within runs of letters and digits, so punctuation never joins a bigram. Share is the
     * fraction of the class's texts that contain the n-gram.
     */
    public static Table topNgrams(Corpus corpus, int n, int k) {
        List<String> names = corpus.labelNames();
        Table table = Table.create("Most frequent " + (n == 1 ? "characters" : n + "-grams") + " per class");
        IntColumn rank = IntColumn.create("rank");
        for (int i = 1; i <= k; i++) {
            rank.append(i);
        }
        table.addColumns(rank);
        long[] classSizes = corpus.classCounts();
        for (int c = 0; c < corpus.numClasses(); c++) {
            Map<String, int[]> stats = ngramCounts(corpus, c, n);
            List<Map.Entry<String, int[]>> top = stats.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> e.getValue()[0]).reversed()
                            .thenComparing(Map.Entry::getKey))
                    .limit(k).toList();
            StringColumn gram = StringColumn.create(names.get(c));
            IntColumn count = IntColumn.create(names.get(c) + " count");
            DoubleColumn share = DoubleColumn.create(names.get(c) + " in texts");
            for (int i = 0; i < k; i++) {
                if (i < top.size()) {
                    gram.append(top.get(i).getKey());
                    count.append(top.get(i).getValue()[0]);
                    share.append(round((double) top.get(i).getValue()[1] / Math.max(1, classSizes[c]), 3));
                } else {
                    gram.appendMissing();
                    count.appendMissing();
                    share.appendMissing();
                }
            }
            table.addColumns(gram, count, share);
        }
        return table;
    }

    /** n-gram → {occurrences, texts containing it} over the texts of one class (label -1: all texts). */
    public static Map<String, int[]> ngramCounts(Corpus corpus, int label, int n) {
        Map<String, int[]> stats = new HashMap<>();
        for (LabeledText r : corpus.records()) {
            if (label >= 0 && r.label() != label) {
                continue;
            }
            Set<String> inText = new HashSet<>();
            int[] cps = r.text().codePoints().toArray();
            for (int i = 0; i + n <= cps.length; i++) {
                boolean word = true;
                for (int j = i; j < i + n; j++) {
                    word &= Character.isLetterOrDigit(cps[j]);
                }
                if (word) {
                    String g = new String(cps, i, n);
                    stats.computeIfAbsent(g, x -> new int[2])[0]++;
                    if (inText.add(g)) {
                        stats.get(g)[1]++;
                    }
                }
            }
        }
        return stats;
    }

    private static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }
}
