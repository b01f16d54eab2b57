package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.eval.ClassificationReport;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * A keyword rule learnt from attributions instead of written by hand: each class's top extracted keywords; a text
 * goes to the class whose keywords it contains most (longest keyword wins ties), else to class 0. It shows how
 * much of the network's behaviour the keyword tables capture.
 */
public final class KeywordRuleClassifier {
    private final List<List<String>> keywords;

    private KeywordRuleClassifier(List<List<String>> keywords) {
        this.keywords = keywords;
    }

    /** The {@code perClass} most frequent keywords of each predicted class (class 0 too, as evidence for it). */
    public static KeywordRuleClassifier fromAttributions(List<Attribution> attributions, int numClasses, int perClass,
                                                         float threshold) {
        List<List<String>> kw = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            Table t = Keywords.frequencies(attributions, c, threshold, false, "class " + c);
            List<String> words = new ArrayList<>();
            for (int r = 0; r < Math.min(perClass, t.rowCount()); r++) {
                words.add(t.stringColumn("keyword").get(r));
            }
            kw.add(words);
        }
        return new KeywordRuleClassifier(kw);
    }

    public List<List<String>> keywords() {
        return keywords;
    }

    public int predict(String text) {
        int best = 0;
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

    public ClassificationReport evaluate(Corpus corpus) {
        int[] pred = corpus.records().stream().mapToInt(r -> predict(r.text())).toArray();
        return ClassificationReport.of(corpus.labels(), pred, LabelNames.namesFor(corpus.numClasses()));
    }
}
