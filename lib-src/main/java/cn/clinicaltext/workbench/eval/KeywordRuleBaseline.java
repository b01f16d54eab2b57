package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabelNames;

import java.util.List;

/**
 * The straw man of the original project: a report mentioning 胃 or 食管 is upper GI (1), else one mentioning 肠
 * or 肛门 is lower GI (2), else neither (0). It only means something for the digestive-tract classes
 * ({@link #appliesTo}); for other data the {@link CharNgramBaseline} stands beside the network.
 */
public final class KeywordRuleBaseline implements Baseline {
    public static final KeywordRuleBaseline INSTANCE = new KeywordRuleBaseline();

    private KeywordRuleBaseline() {
    }

    /** Whether the classes are this project's own three (the rule's labels mean nothing elsewhere). */
    public static boolean appliesTo(List<String> labelNames) {
        return labelNames.equals(LabelNames.DIGESTIVE_TRACT);
    }

    @Override
    public String name() {
        return "keyword rule";
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

    @Override
    public int[] predict(Corpus corpus) {
        return corpus.records().stream().mapToInt(r -> predict(r.text())).toArray();
    }

    public static ClassificationReport evaluate(Corpus corpus) {
        return ClassificationReport.of(corpus.labels(), INSTANCE.predict(corpus), corpus.labelNames());
    }
}
