package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bag-of-characters baseline for any labelled data: multinomial naive Bayes over character unigrams and
 * bigrams with add-one (Laplace) smoothing, fitted on the training split. It needs no tokenizer, vocabulary or
 * training loop, so it is the floor a network must clear on a researcher's own data (on ChnSentiCorp hotel reviews,
 * see the README for how it compares with the fastText-style figure).
 * <p>
 * log p(c | x) = log prior_c + sum over the text's n-grams g of log (count_c(g) + 1) / (total_c + |V|)
 */
public final class CharNgramBaseline implements Baseline {
    private final Map<String, int[]> counts;
    private final long[] totals;
    private final double[] logPrior;
    private final int vocabulary;

    private CharNgramBaseline(Map<String, int[]> counts, long[] totals, double[] logPrior) {
        this.counts = counts;
        this.totals = totals;
        this.logPrior = logPrior;
        this.vocabulary = counts.size();
    }

    /** Counts the n-grams of each class in the training texts. */
    public static CharNgramBaseline fit(Corpus train) {
        int k = train.numClasses();
        Map<String, int[]> counts = new HashMap<>();
        long[] totals = new long[k];
        long[] docs = new long[k];
        for (LabeledText r : train.records()) {
            docs[r.label()]++;
            for (String g : ngrams(r.text())) {
                counts.computeIfAbsent(g, x -> new int[k])[r.label()]++;
                totals[r.label()]++;
            }
        }
        double[] logPrior = new double[k];
        for (int c = 0; c < k; c++) {
            // add-one on the class counts too, so a class absent from training is unlikely, not impossible
            logPrior[c] = Math.log((docs[c] + 1.0) / (train.size() + k));
        }
        return new CharNgramBaseline(counts, totals, logPrior);
    }

    @Override
    public String name() {
        return "character n-gram naive Bayes";
    }

    public int predict(String text) {
        double[] score = logPrior.clone();
        for (String g : ngrams(text)) {
            int[] n = counts.get(g);
            for (int c = 0; c < score.length; c++) {
                score[c] += Math.log(((n == null ? 0 : n[c]) + 1.0) / (totals[c] + vocabulary + 1.0));
            }
        }
        int best = 0;
        for (int c = 1; c < score.length; c++) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public int[] predict(Corpus corpus) {
        return corpus.records().stream().mapToInt(r -> predict(r.text())).toArray();
    }

    /** Every character and every pair of adjacent characters (by code point), whitespace dropped. */
    static List<String> ngrams(String text) {
        int[] cps = text.codePoints().filter(c -> !Character.isWhitespace(c)).toArray();
        ArrayList<String> out = new ArrayList<>(2 * cps.length);
        for (int i = 0; i < cps.length; i++) {
            out.add(new String(cps, i, 1));
            if (i + 1 < cps.length) {
                out.add(new String(cps, i, 2));
            }
        }
        return out;
    }
}
