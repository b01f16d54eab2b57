package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.eval.Baseline;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import cn.clinicaltext.workbench.eval.MultiSeedSummary;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.ModelSize;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.run.Run;
import cn.clinicaltext.workbench.run.RunSpec;
import cn.clinicaltext.workbench.train.Trainer;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.train.TrainingResult;
import cn.clinicaltext.workbench.train.TrainingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the ALBERT classifier on DIR/train.txt and val.txt (and test.txt if present), printing"
                + " one line per epoch; an interrupted run resumes when started again with the same --out. Settings"
                + " start from a preset or run file (--preset, --spec; without either, the default preset); every"
                + " option below overrides one of them.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    SpecOptions run;

    @Option(names = "--pretrained", descriptionKey = "pretrained", description = "where the weights start:"
            + " bge-small-zh-v1.5, auto (Google's ALBERT-tiny in albert_tiny_google_zh/ if present, else"
            + " bge-small-zh-v1.5), a checkpoint folder (Google ALBERT or BERT, Hugging Face, ONNX, a pretrain"
            + " output), or none for a random start")
    String pretrained;

    @Option(names = "--out", description = "model folder (default: the project's weights/ and the run's name, from the data folder"
            + " and a hash of the settings); with several --seeds, OUT-seedS each")
    Path out;

    @Option(names = "--seed", description = "one model with this seed of initialisation, batch order and dropout"
            + " (without --seed or --seeds: one model with the first of the preset's seeds)")
    Long seed;

    @Option(names = "--epochs", descriptionKey = "training.loop.maxEpochs")
    Integer epochs;

    @Option(names = "--min-steps", descriptionKey = "training.loop.minSteps")
    Integer minSteps;

    @Option(names = "--batch-size", descriptionKey = "training.data.batchSize")
    Integer batchSize;

    @Option(names = "--maxlen", descriptionKey = "training.data.maxlen")
    Integer maxlen;

    @Option(names = "--lr", descriptionKey = "training.learningRate.peak")
    Float lr;

    @Option(names = "--warmup", descriptionKey = "training.learningRate.warmup")
    Double warmup;

    @Option(names = "--decay-end", descriptionKey = "training.learningRate.decayEnd")
    Double decayEnd;

    @Option(names = "--final-lr-fraction", descriptionKey = "training.learningRate.finalFraction")
    Float finalLrFraction;

    @Option(names = "--patience", descriptionKey = "training.loop.patience")
    Integer patience;

    @Option(names = "--monitor", descriptionKey = "training.loop.monitor",
            description = "metric for the best epoch and early stopping: ${COMPLETION-CANDIDATES}")
    TrainingConfig.Monitor monitor;

    @Option(names = "--dropout", descriptionKey = "training.regularisation.hiddenDropout", description = "all dropout rates at once")
    Float dropout;

    @Option(names = "--hidden-dropout", descriptionKey = "training.regularisation.hiddenDropout")
    Float hiddenDropout;

    @Option(names = "--attention-dropout", descriptionKey = "training.regularisation.attentionDropout")
    Float attentionDropout;

    @Option(names = "--classifier-dropout", descriptionKey = "training.regularisation.classifierDropout")
    Float classifierDropout;

    @Option(names = "--weight-decay", descriptionKey = "training.optimiser.weightDecay")
    Float weightDecay;

    @Option(names = "--clip-norm", descriptionKey = "training.optimiser.clipNorm")
    Float clipNorm;

    @Option(names = "--label-smoothing", descriptionKey = "training.regularisation.labelSmoothing")
    Float labelSmoothing;

    @Option(names = "--class-weights", descriptionKey = "training.regularisation.classWeights",
            description = "${COMPLETION-CANDIDATES}")
    TrainingConfig.ClassWeights classWeights;

    @Option(names = "--lazy-adam", negatable = true, descriptionKey = "training.optimiser.lazyAdam")
    Boolean lazyAdam;

    @Option(names = "--threads", descriptionKey = "training.loop.threads")
    Integer threads;

    @Option(names = "--fgm", descriptionKey = "training.regularisation.fgmEpsilon")
    Float fgm;

    @Option(names = "--gradient-penalty", descriptionKey = "training.regularisation.gradientPenalty")
    Float gradientPenalty;

    @Option(names = "--pooling", descriptionKey = "training.pooling",
            description = "what the classifier reads: ${COMPLETION-CANDIDATES}")
    Pooling pooling;

    @Option(names = "--tiny", description = "a tiny model instead of ALBERT-tiny (for quick checks, no pretrained weights)")
    boolean tiny;

    @Spec
    CommandSpec command;

    /**
     * Every training option given, as the run-file setting it names ({@code descriptionKey}, e.g.
     * {@code training.data.maxlen=64}): the options are shortcuts for {@code --set}, with no setting copied by hand.
     * --dropout sets the three rates, before any rate given on its own (which then wins).
     */
    List<String> optionSettings() {
        List<String> out = new ArrayList<>();
        if (dropout != null) {
            for (String rate : List.of("hiddenDropout", "attentionDropout", "classifierDropout")) {
                out.add("training.regularisation." + rate + "=" + dropout);
            }
        }
        out.addAll(SpecOptions.givenSettings(command, "training.", command.findOption("--dropout")));
        return out;
    }

    /** The whole run: spec options, then the training options above, the model and the start. */
    RunSpec spec() throws IOException {
        RunSpec spec = run.spec().withSettings(optionSettings());
        Map<String, Object> b = new LinkedHashMap<>();
        if (seed != null) {
            b.put("seeds", List.of(seed));
        }
        if (tiny) {
            b.put("model", ModelSize.TINY);
            b.put("pretrained", null);
        }
        if (pretrained != null) {
            b.put("pretrained", ProjectPaths.startSetting(pretrained));
        }
        return Records.with(spec, b);
    }

    @Override
    public Integer call() throws Exception {
        RunSpec spec = spec();                                       // settings are checked before any data is read
        SpecOptions.requireData(spec);
        // one model unless --seeds or a run file asks for several (the presets' seed lists are for whole runs)
        boolean several = run.seeds != null && !run.seeds.isEmpty() || run.specFile != null;
        if (!several) {
            spec = spec.with("seeds", List.of(spec.seeds().get(0)));
        }
        Run assembly = Run.forCommand(ProjectPaths.home(), spec, out);
        AtomicFiles.checkWritableFolder(assembly.modelDir().getParent());   // before any training
        DataSplit split = assembly.readSplit();
        Baseline baseline = assembly.baseline(split);
        Map<String, ModelEvaluation> tested = new LinkedHashMap<>();
        for (TrainingSetup setup : assembly.modelSetups(split)) {
            TrainingResult result = Trainer.fit(setup);
            System.out.println(result);
            if (split.test().size() > 0) {
                // the test split scored once, on the chosen model (not after every epoch)
                try (TextClassifier model = SavedModel.classifier(setup.runDir())) {
                    tested.put(setup.runDir().getFileName().toString(),
                            ModelEvaluation.of(model, split.test(), "test", baseline));
                }
            }
        }
        if (tested.size() == 1) {
            ModelEvaluation only = tested.values().iterator().next();
            System.out.println(only.summaryTable().print());
            System.out.println(only.versusBaselineLine());
            if (!only.zeroF1Line().isEmpty()) {
                System.out.println(only.zeroF1Line());
            }
        } else if (!tested.isEmpty()) {
            System.out.println(MultiSeedSummary.of(tested).print());
            ModelEvaluation first = tested.values().iterator().next();
            System.out.println("beside it, " + first.baselineName() + " on the same test texts: accuracy "
                    + first.baselineIntervals().accuracy() + ", macro-F1 " + first.baselineIntervals().macroF1());
            tested.forEach((name, e) -> {
                if (!e.zeroF1Line().isEmpty()) {
                    System.out.println(name + ": " + e.zeroF1Line());
                }
            });
        }
        return 0;
    }
}
