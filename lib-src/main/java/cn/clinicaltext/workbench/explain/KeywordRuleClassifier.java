package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.eval.ClassificationReport;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A keyword rule learnt from attributions instead of written by hand: each class's top keywords; a text goes to the
 * class whose keywords it contains most (longest keyword wins ties), else to a fallback class. It shows how much of
 * the network's behaviour the keyword tables capture.
 */
public final class KeywordRuleClassifier {
    private final String name;
    private final List<List<String>> keywords;
    private final int fallback;

    private KeywordRuleClassifier(String name, List<List<String>> keywords, int fallback) {
        this.name = name;
        this.keywords = keywords;
        this.fallback = fallback;
    }

    /** How it was learnt, for tables. */
    public String name() {
        return name;
    }

    /**
     * The {@code perClass} highest-contrast tokens of each class (positive contrast only); texts with none of them go
     * to the class the explained texts were most often predicted as.
     */
    public static KeywordRuleClassifier fromContrastive(ContrastiveKeywords table, List<Attribution> explained,
                                                        int perClass) {
        int k = table.classNames().size();
        List<List<String>> kw = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            kw.add(table.top(c, perClass));
        }
        int[] predicted = new int[k];
        explained.forEach(a -> predicted[a.predicted()]++);
        int fallback = 0;
        for (int c = 1; c < k; c++) {
            fallback = predicted[c] > predicted[fallback] ? c : fallback;
        }
        return new KeywordRuleClassifier("top " + perClass + " contrastive keywords per class", kw, fallback);
    }

    /**
     * The original's way: the {@code perClass} most frequent thresholded keywords of each predicted class (class 0
     * too, as evidence for it); texts with none go to class 0.
     */
    public static KeywordRuleClassifier fromAttributions(List<Attribution> attributions, int numClasses, int perClass,
                                                         float threshold) {
        List<List<String>> kw = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            Table t = Keywords.frequencies(attributions, c, threshold, Keywords.Extraction.ALL_WORDS, "class " + c);
            List<String> words = new ArrayList<>();
            for (int r = 0; r < Math.min(perClass, t.rowCount()); r++) {
                words.add(t.stringColumn("keyword").get(r));
            }
            kw.add(words);
        }
        return new KeywordRuleClassifier(String.format(Locale.ROOT,
                "top %d thresholded keywords per class (original's way, threshold %.2f)", perClass, threshold), kw, 0);
    }

    public List<List<String>> keywords() {
        return keywords;
    }

    public int predict(String text) {
        int best = fallback;
        double bestScore = 0;
        for (int c = 0; c < keywords.size(); c++) {
            double score = 0;
            for (String w : keywords.get(c)) {
                if (text.contains(w)) {
                    score += 1 + 0.01 * w.length();
                }
            }
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    public ClassificationReport evaluate(Corpus corpus, List<String> labelNames) {
        int[] pred = corpus.records().stream().mapToInt(r -> predict(r.text())).toArray();
        return ClassificationReport.of(corpus.labels(), pred, labelNames);
    }
}
