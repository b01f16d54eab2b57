package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabelNames;

/**
 * The straw man of the original project: a report mentioning 胃 or 食管 is upper GI (1), else one mentioning 肠
 * or 肛门 is lower GI (2), else neither (0). The network has to beat this to be worth its cost.
 */
public final class KeywordRuleBaseline {
    private KeywordRuleBaseline() {
    }

    public static int predict(String text) {
        if (text.contains("胃") || text.contains("食管")) {
            return 1;
        }
        if (text.contains("肠") || text.contains("肛门")) {
            return 2;
        }
        return 0;
    }

    public static int[] predict(Corpus corpus) {
        return corpus.records().stream().mapToInt(r -> predict(r.text())).toArray();
    }

    public static ClassificationReport evaluate(Corpus corpus) {
        return ClassificationReport.of(corpus.labels(), predict(corpus), LabelNames.namesFor(corpus.numClasses()));
    }
}
