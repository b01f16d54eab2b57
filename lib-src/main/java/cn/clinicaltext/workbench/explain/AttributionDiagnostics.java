package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.model.TextClassifier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every check that says whether to believe a model's attribution maps, on one sample of texts: completeness of the
 * default method, the position control, the sanity checks (cascading randomisation, and a model trained on permuted
 * labels when one is given), and ERASER faithfulness of the default method next to the alternatives, with each
 * method's speed.
 *
 * @param maps          the attributions of each method, the explainer's settings first
 * @param completeness  completeness-gap distribution of the explainer's method
 * @param position      the position control
 * @param sanity        cascading randomisation stages, then the permuted-label model when given
 * @param faithfulness  ERASER for the explainer's settings first, then each alternative
 * @param speed         texts per second of each method on this sample
 */
public record AttributionDiagnostics(Map<ExplainSettings, List<Attribution>> maps, Table completeness,
                                     PositionProfile position, List<SanityChecks.Row> sanity,
                                     List<Eraser> faithfulness, Table speed) {

    /**
     * What to run.
     *
     * @param prefix              the position control's class-neutral prefix (ends in punctuation, so that it
     *                            tokenizes the same alone and before a text)
     * @param maxPositions        positions profiled
     * @param alternatives        settings compared with the explainer's for faithfulness
     * @param permutedLabelModel  a model trained on permuted labels (data-randomisation check), or null to skip it
     */
    public record Plan(String prefix, int maxPositions, long seed, List<ExplainSettings> alternatives,
                       TextClassifier permutedLabelModel) {
        public Plan {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isEmpty()) {
                throw new IllegalArgumentException("the position control needs a non-empty prefix");
            }
            alternatives = List.copyOf(alternatives);
        }

        /**
         * The usual plan: the explainer's method against the other baselines, gradient x input, occlusion and the
         * original project's settings; no permuted-label model.
         */
        public static Plan standard(String prefix, long seed) {
            ExplainSettings d = ExplainSettings.DEFAULT;
            return new Plan(prefix, 40, seed, List.of(d.with("baseline", ReferenceInput.ZERO),
                    d.with("baseline", ReferenceInput.MASK),
                    d.with("method", Method.GRADIENT_X_INPUT), d.with("method", Method.OCCLUSION),
                    d.with("method", Method.OCCLUSION, "occlusionWindow", 3), ExplainSettings.ORIGINAL), null);
        }

        public Plan withPermutedLabelModel(TextClassifier model) {
            return new Plan(prefix, maxPositions, seed, alternatives, model);
        }
    }

    public static AttributionDiagnostics run(Explainer explainer, List<LabeledText> records, Plan plan) {
        Map<String, Double> speed = new LinkedHashMap<>();
        Map<ExplainSettings, List<Attribution>> all = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        List<Attribution> maps = explainer.explainAll(records);
        all.put(explainer.settings(), maps);
        speed.put(explainer.settings().label(), records.size() / ((System.nanoTime() - t0) / 1e9));
        Table completeness = Attributions.completeness(maps);
        List<LabeledText> shifted = new ArrayList<>();
        for (LabeledText r : records) {
            shifted.add(new LabeledText(plan.prefix() + r.text(), r.label()));
        }
        List<Attribution> control = explainer.explainAll(shifted);
        int prefixTokens = explainer.classifier().encode(plan.prefix()).tokenIds().length - 2;
        PositionProfile position = PositionProfile.compare(maps, control, prefixTokens, plan.prefix(),
                plan.maxPositions(), plan.seed());
        List<SanityChecks.Row> sanity = new ArrayList<>(SanityChecks.cascade(explainer, records, maps, plan.seed()));
        if (plan.permutedLabelModel() != null) {
            sanity.add(SanityChecks.compare("model trained on permuted labels", maps,
                    explainer.on(plan.permutedLabelModel()).explainAll(records), plan.seed()));
        }
        List<Eraser> faithfulness = new ArrayList<>();
        faithfulness.add(Eraser.of(explainer.classifier(), maps, plan.seed()));
        for (ExplainSettings s : plan.alternatives()) {
            if (all.containsKey(s)) {
                continue;  // the explainer's own settings, or a repeat: already measured
            }
            long t = System.nanoTime();
            List<Attribution> other = explainer.with(s).explainAll(records);
            speed.put(s.label(), records.size() / ((System.nanoTime() - t) / 1e9));
            all.put(s, other);
            faithfulness.add(Eraser.of(explainer.classifier(), other, plan.seed()));
        }
        StringColumn method = StringColumn.create("method");
        DoubleColumn rate = DoubleColumn.create("texts/s");
        speed.forEach((k, v) -> {
            method.append(k);
            rate.append(Math.round(v * 100) / 100.0);
        });
        return new AttributionDiagnostics(all, completeness, position, sanity, faithfulness,
                Table.create("Attribution speed on " + records.size() + " texts (this machine, "
                        + Runtime.getRuntime().availableProcessors() + " cores)", method, rate));
    }

    /** The explainer's own maps (the first method). */
    public List<Attribution> defaultMaps() {
        return maps.values().iterator().next();
    }

    /** Sanity checks as a table. */
    public Table sanityTable() {
        return SanityChecks.toTable(sanity, "Sanity checks: rank correlation with the trained model's maps (low is good)");
    }

    /** Aggregate faithfulness of every method. */
    public Table faithfulnessComparison() {
        return Eraser.compare(faithfulness);
    }

    /** The whole report as Markdown-like text (tables printed by Tablesaw), for the command line and logs. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(completeness.printAll()).append("\n\n");
        b.append(position.summary().printAll()).append("\n\n");
        b.append(sanityTable().printAll()).append("\n\n");
        b.append(faithfulness.get(0).toTable().printAll()).append("\n\n");
        b.append(faithfulnessComparison().printAll()).append("\n\n");
        b.append(speed.printAll()).append('\n');
        return b.toString();
    }
}
