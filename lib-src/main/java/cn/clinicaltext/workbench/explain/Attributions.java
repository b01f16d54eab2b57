package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.eval.ClassificationReport;
import cn.clinicaltext.workbench.eval.KeywordRuleBaseline;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Summaries over many attributions for the attribution notebook. */
public final class Attributions {
    private Attributions() {
    }

    /**
     * Examples for a figure: for each class the correctly classified text the model is surest of, then the
     * misclassified text it is surest of (when there is one).
     */
    public static List<Attribution> examples(List<Attribution> all, int numClasses) {
        List<Attribution> out = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            int cls = c;
            all.stream().filter(a -> a.predicted() == cls && a.label() == cls)
                    .max(Comparator.comparingDouble(Attribution::targetProbability)).ifPresent(out::add);
        }
        all.stream().filter(a -> a.label() >= 0 && a.predicted() != a.label())
                .max(Comparator.comparingDouble(Attribution::targetProbability)).ifPresent(out::add);
        return out;
    }

    /** How well the attributions add up (completeness): the gap's mean and largest absolute value. */
    public static Table completeness(List<Attribution> all, int steps) {
        DescriptiveStatistics gaps = new DescriptiveStatistics();
        all.forEach(a -> gaps.addValue(Math.abs(a.completenessGap())));
        StringColumn what = StringColumn.create("completeness gap |sum(attributions) - (p(x) - p(baseline))|");
        DoubleColumn value = DoubleColumn.create("value");
        what.append("mean");
        value.append(round(gaps.getMean()));
        what.append("median");
        value.append(round(gaps.getPercentile(50)));
        what.append("max");
        value.append(round(gaps.getMax()));
        return Table.create("Completeness over " + all.size() + " texts, " + steps + " steps", what, value);
    }

    /** The network, the keyword rule learnt from its attributions and the hand-written rule on one split. */
    public static Table comparison(Corpus corpus, ClassificationReport network, KeywordRuleClassifier learnt) {
        ClassificationReport rule = learnt.evaluate(corpus);
        ClassificationReport hand = KeywordRuleBaseline.evaluate(corpus);
        StringColumn model = StringColumn.create("classifier");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn f1 = DoubleColumn.create("macro F1");
        model.append("ALBERT (network)");
        acc.append(round(network.accuracy()));
        f1.append(round(network.macroF1()));
        model.append("keywords learnt from attributions");
        acc.append(round(rule.accuracy()));
        f1.append(round(rule.macroF1()));
        model.append("hand-written rule (胃/食管, 肠/肛门)");
        acc.append(round(hand.accuracy()));
        f1.append(round(hand.macroF1()));
        return Table.create("Classifiers on " + corpus.size() + " texts", model, acc, f1);
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
