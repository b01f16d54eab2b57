package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.eval.ModelSpeed;
import cn.clinicaltext.workbench.model.TextClassifier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model costs to use on this machine, and what its attributions say (notebook 09): inference texts per second
 * ({@link ModelSpeed}), integrated-gradients texts per second, and its attributions of a sample, each text explained
 * toward its true class ({@link Explainer#explainLabels}) so that two models' maps explain the same class.
 *
 * @param model      what tables call it
 * @param parameters its weights, embeddings included
 * @param maps       its attributions of the sample, in order
 */
public record ModelCosts(String model, long parameters, double inferenceTextsPerSecond,
                         double attributionTextsPerSecond, List<Attribution> maps) {

    /**
     * Times {@code classifier} on {@code texts} (inference) and on {@code sample} (attribution with {@code settings},
     * after one text to warm up), one after the other in this process.
     */
    public static ModelCosts measure(String model, TextClassifier classifier, List<String> texts,
                                     List<LabeledText> sample, ExplainSettings settings) {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("no texts to explain for " + model);
        }
        ModelSpeed inference = ModelSpeed.inference(classifier, texts);
        Explainer explainer = Explainer.of(classifier, settings);
        explainer.explainLabels(sample.subList(0, 1));
        long t0 = System.nanoTime();
        List<Attribution> maps = explainer.explainLabels(sample);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new ModelCosts(model, classifier.params().count(), inference.textsPerSecond(), sample.size() / seconds,
                List.copyOf(maps));
    }

    /** One row per model: weights, inference and attribution texts/s, and each speed as a multiple of the first's. */
    public static Table table(List<ModelCosts> models) {
        StringColumn name = StringColumn.create("model");
        LongColumn params = LongColumn.create("weights");
        DoubleColumn inference = DoubleColumn.create("inference texts/s");
        DoubleColumn inferenceRatio = DoubleColumn.create("inference × first");
        DoubleColumn attribution = DoubleColumn.create("integrated gradients texts/s");
        DoubleColumn attributionRatio = DoubleColumn.create("integrated gradients × first");
        ModelCosts first = models.get(0);
        for (ModelCosts m : models) {
            name.append(m.model());
            params.append(m.parameters());
            inference.append(round(m.inferenceTextsPerSecond()));
            inferenceRatio.append(round(m.inferenceTextsPerSecond() / first.inferenceTextsPerSecond()));
            attribution.append(round(m.attributionTextsPerSecond()));
            attributionRatio.append(round(m.attributionTextsPerSecond() / first.attributionTextsPerSecond()));
        }
        return Table.create("Cost per text on this machine (" + Runtime.getRuntime().availableProcessors()
                + " cores; × first: against " + first.model() + ")", name, params, inference, inferenceRatio,
                attribution, attributionRatio);
    }

    /**
     * Do the other models rely on the same tokens as the first (a student against its teacher)? Per text, the
     * Spearman rank correlation of the two models' scores (signed, and of magnitudes), mean over the sample with
     * bootstrap intervals ({@link SanityChecks#compare}). Only models that read the first's tokens can be compared
     * token by token (the same vocabulary and maxlen); the others are left out and named in the title.
     */
    public static Table agreement(List<ModelCosts> models, long seed) {
        ModelCosts first = models.get(0);
        List<SanityChecks.Row> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ModelCosts m : models.subList(1, models.size())) {
            if (sameTokens(first.maps(), m.maps())) {
                rows.add(SanityChecks.compare(m.model(), first.maps(), m.maps(), seed));
            } else {
                skipped.add(m.model());
            }
        }
        return SanityChecks.toTable(rows, "Attribution agreement with " + first.model() + " on "
                + first.maps().size() + " texts (toward each text's true class)"
                + (skipped.isEmpty() ? "" : "; not comparable token by token (another vocabulary): "
                + String.join(", ", skipped)));
    }

    private static boolean sameTokens(List<Attribution> a, List<Attribution> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).tokens().equals(b.get(i).tokens())) {
                return false;
            }
        }
        return true;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
