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

    /**
     * How well integrated gradients add up (completeness): the distribution of |gap| = |sum of signed scores -
     * (p(text) - p(baseline))|, the share of texts within the settings' tolerance, and the steps used.
     */
    public static Table completeness(List<Attribution> all) {
        DescriptiveStatistics gaps = new DescriptiveStatistics();
        DescriptiveStatistics steps = new DescriptiveStatistics();
        int within = 0;
        double tolerance = all.isEmpty() ? Double.NaN : all.get(0).settings().tolerance();
        for (Attribution a : all) {
            if (!Double.isNaN(a.completenessGap())) {
                gaps.addValue(Math.abs(a.completenessGap()));
                steps.addValue(a.steps());
                within += Math.abs(a.completenessGap()) <= tolerance ? 1 : 0;
            }
        }
        StringColumn what = StringColumn.create("measure");
        DoubleColumn value = DoubleColumn.create("value");
        String label = all.isEmpty() ? "" : all.get(0).settings().label();
        if (gaps.getN() == 0) {
            return Table.create("Completeness: not defined for " + label, what, value);
        }
        add(what, value, "|gap|, median", gaps.getPercentile(50));
        add(what, value, "|gap|, 90th percentile", gaps.getPercentile(90));
        add(what, value, "|gap|, max", gaps.getMax());
        add(what, value, "share of texts with |gap| <= " + tolerance, (double) within / gaps.getN());
        add(what, value, "steps, median", steps.getPercentile(50));
        add(what, value, "steps, max", steps.getMax());
        return Table.create("Completeness over " + gaps.getN() + " texts (" + label + ")", what, value);
    }

    private static void add(StringColumn what, DoubleColumn value, String name, double v) {
        what.append(name);
        value.append(round(v));
    }

    /**
     * The network against keyword rules on one split (e.g. the one learnt from contrastive attributions, the
     * original's frequency-learnt one), and the hand-written 胃/食管, 肠/肛门 rule only when
     * {@code withHandWrittenRule} (it means something only for the three GI classes).
     */
    public static Table comparison(Corpus corpus, ClassificationReport network, List<String> labelNames,
                                   List<KeywordRuleClassifier> rules) {
        StringColumn model = StringColumn.create("classifier");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn f1 = DoubleColumn.create("macro F1");
        model.append("ALBERT (network)");
        acc.append(round(network.accuracy()));
        f1.append(round(network.macroF1()));
        for (KeywordRuleClassifier r : rules) {
            ClassificationReport rep = r.evaluate(corpus, labelNames);
            model.append(r.name());
            acc.append(round(rep.accuracy()));
            f1.append(round(rep.macroF1()));
        }
        if (KeywordRuleBaseline.appliesTo(labelNames)) {
            ClassificationReport hand = KeywordRuleBaseline.evaluate(corpus);
            model.append("hand-written rule (胃/食管, 肠/肛门)");
            acc.append(round(hand.accuracy()));
            f1.append(round(hand.macroF1()));
        }
        return Table.create("Classifiers on " + corpus.size() + " texts", model, acc, f1);
    }

    /** Whether a comparison includes the GI hand-written rule. */

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
