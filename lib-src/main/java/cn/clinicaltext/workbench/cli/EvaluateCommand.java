package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.eval.Baseline;
import cn.clinicaltext.workbench.eval.CharNgramBaseline;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import cn.clinicaltext.workbench.eval.ModelSpeed;
import cn.clinicaltext.workbench.eval.PairedTest;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.TextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Scores a saved model on a labelled file: prints the metrics and writes them as JSON.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "saved model folder, e.g. weights/albert-tiny")
    Path model;

    @Option(names = "--data", required = true, description = "labelled file (text<TAB>label)")
    Path data;

    @Option(names = "--json", description = "where to write the metrics (default: MODEL/metrics-<file>.json)")
    Path json;

    @Option(names = "--baseline-train", paramLabel = "FILE", description = "training file for the bag-of-characters"
            + " baseline scored beside the model (default: the model's own training file, when provenance.json names"
            + " it and its SHA-256 still matches)")
    Path baselineTrain;

    @Option(names = "--versus", paramLabel = "MODEL", description = "another saved model, scored on the same texts and"
            + " paired with this one (McNemar's exact test, paired bootstrap): two starts, a student and its teacher")
    Path versus;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            AtomicFiles.checkWritable(json);
        }
        try (SavedModel.Loaded loaded = SavedModel.load(model);
             TextClassifier other = versus == null ? null : SavedModel.classifier(versus)) {
            ModelChecks.warnIfUnfinished(model);
            evaluate(loaded, other);
        }
        return 0;
    }

    private void evaluate(SavedModel.Loaded loaded, TextClassifier other) throws Exception {
        TextClassifier classifier = loaded.classifier();
        if (other != null && !other.labels().equals(classifier.labels())) {
            throw new IllegalArgumentException("--versus " + versus + " has the classes " + other.labels() + ", but "
                    + model + " has " + classifier.labels() + ": a paired test needs the same classes");
        }
        Corpus corpus = CorpusReader.read(data, classifier.labels().size());
        Path trainFile = baselineTrain != null ? baselineTrain : loaded.model().trainingFile().orElse(null);
        String split = data.getFileName().toString();
        Baseline baseline;
        if (trainFile != null) {
            baseline = CharNgramBaseline.fit(CorpusReader.read(trainFile, classifier.labels().size()));
            System.out.println("Baseline: " + baseline.name() + ", fitted on " + trainFile);
        } else {
            System.out.println("No bag-of-characters baseline: the model's training file was not found (its"
                    + " provenance.json names none, or the file has moved or changed; give it with --baseline-train)");
            baseline = ModelEvaluation.defaultBaseline(classifier.labels());
        }
        // with --versus the model's timed passes give its probabilities, so it is not run once more to score it
        ModelSpeed speed = other == null ? null : ModelSpeed.inference(classifier, corpus.texts());
        float[][] probs = speed != null ? speed.probabilities()
                : classifier.probabilities(corpus.texts(), TextClassifier.DEFAULT_BATCH);
        ModelEvaluation e = ModelEvaluation.of(probs, classifier.labels(), corpus, split, baseline);
        System.out.println(e.summaryTable().print());
        if (!e.versusBaselineLine().isEmpty()) {
            System.out.println(e.versusBaselineLine());
        }
        Map<String, Object> extra = other == null ? Map.of() : Map.of("versus", pair(e, speed, other, corpus));
        System.out.println(e.perClassTable().print());
        if (!e.zeroF1Line().isEmpty()) {
            System.out.println(e.zeroF1Line());
        }
        System.out.println(e.report().confusion().toTable().print());
        Path out = json != null ? json : model.resolve("metrics-" + data.getFileName().toString().replaceFirst("\\.txt$", "") + ".json");
        e.writeJson(out, extra);
        System.out.println("metrics written to " + out);
    }

    /**
     * The other model scored on the same texts and paired with this one; timed on them in this process right after
     * this one ({@code speed}). Prints the comparison and returns it as the metrics JSON's "versus" entry.
     */
    private Map<String, Object> pair(ModelEvaluation e, ModelSpeed speed, TextClassifier other, Corpus corpus) {
        ModelSpeed otherSpeed = ModelSpeed.inference(other, corpus.texts());
        ModelEvaluation o = ModelEvaluation.of(otherSpeed.probabilities(), other.labels(), corpus, e.split(), null);
        PairedTest paired = e.versus(o);
        System.out.println(e.versusLine(o, paired, versus.toString()));
        System.out.println(String.format(Locale.ROOT, "Inference on the %d texts (the fastest of %d passes each):"
                + " model %.1f texts/s, %s %.1f texts/s (%.2f×)", corpus.size(), ModelSpeed.TIMED_PASSES,
                speed.textsPerSecond(), versus, otherSpeed.textsPerSecond(),
                speed.textsPerSecond() / otherSpeed.textsPerSecond()));
        Map<String, Object> json = e.versusJson(o, paired, versus.toString());
        Map<String, Object> perSecond = new LinkedHashMap<>();
        perSecond.put("model", speed.textsPerSecond());
        perSecond.put("other", otherSpeed.textsPerSecond());
        perSecond.put("timed_passes", ModelSpeed.TIMED_PASSES);
        json.put("texts_per_second", perSecond);
        return json;
    }
}
