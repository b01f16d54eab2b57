package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.explain.AttributionDiagnostics;
import cn.clinicaltext.workbench.explain.Explainer;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.TextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Checks whether a model's attributions can be believed, on a seeded sample of a labelled "
                + "file: completeness, the position control (a class-neutral prefix shifts every text), sanity checks "
                + "(cascading parameter randomisation; --permuted-model for data randomisation) and ERASER "
                + "faithfulness against random, for the chosen settings and the alternatives, with texts/s.",
                "Prints the tables; --out writes them to a file too."})
final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "saved model folder")
    Path model;

    @Option(names = "--data", required = true, description = "labelled texts (text<TAB>label), e.g. a test split")
    Path data;

    @Option(names = "--texts", defaultValue = "200", description = "sample size (default ${DEFAULT-VALUE})")
    int texts;

    @Option(names = "--prefix", required = true,
            description = "class-neutral prefix for the position control, ending in punctuation, e.g. '检查如下：'")
    String prefix;

    @Option(names = "--permuted-model", description = "a model trained on permuted labels (optional)")
    Path permutedModel;

    @Option(names = "--seed", defaultValue = "7", description = "sample, random rankings, bootstrap (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "also write the report here (atomically)")
    Path out;

    @Mixin
    ExplainOptions options = new ExplainOptions();

    @Override
    public Integer call() throws Exception {
        if (texts < 1) {
            throw new IllegalArgumentException("--texts must be positive, got " + texts);
        }
        if (out != null) {
            AtomicFiles.checkWritable(out);
        }
        try (TextClassifier classifier = SavedModel.classifier(model);
             TextClassifier permuted = permutedModel == null ? null : SavedModel.classifier(permutedModel)) {
            Corpus corpus = CorpusReader.read(data, classifier.labels().size());
            List<LabeledText> sample = new ArrayList<>(corpus.records());
            Collections.shuffle(sample, new Random(seed));
            sample = sample.subList(0, Math.min(texts, sample.size()));
            AttributionDiagnostics.Plan plan = AttributionDiagnostics.Plan.standard(prefix, seed);
            if (permuted != null) {
                if (!permuted.labels().equals(classifier.labels())) {
                    // its maps are compared class for class with the model's: the classes must be the same
                    throw new IllegalArgumentException("--permuted-model " + permutedModel + " has the classes "
                            + permuted.labels() + ", the model " + model + " has " + classifier.labels() + "; give"
                            + " the permuted-label model trained on the same data");
                }
                plan = plan.withPermutedLabelModel(permuted);
            }
            String report = AttributionDiagnostics.run(Explainer.of(classifier, options.settings()), sample, plan)
                    .report();
            System.out.println(report);
            if (out != null) {
                AtomicFiles.writeString(out, report);
            }
        }
        return 0;
    }
}
