package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.train.Provenance;
import cn.clinicaltext.workbench.train.Trainer;
import cn.clinicaltext.workbench.train.LearningRatePlan;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.train.TrainingResult;
import cn.clinicaltext.workbench.train.TrainingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the ALBERT classifier on DIR/train.txt and val.txt (and test.txt if present), printing"
                + " one line per epoch; an interrupted run resumes when started again with the same --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "folder with train.txt, val.txt (test.txt optional)")
    Path dataDir;

    @Option(names = "--num-classes", defaultValue = "3", description = "labels are 0..N-1 (default ${DEFAULT-VALUE})")
    int numClasses;

    @Option(names = "--pretrained", defaultValue = "albert_tiny_google_zh",
            description = "folder of the pretrained checkpoint (default ${DEFAULT-VALUE}); random start if empty")
    Path pretrained;

    @Option(names = "--out", defaultValue = "weights/albert-tiny", description = "run folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--preset", defaultValue = "default",
            description = "settings every option below starts from: default (everyday settings, chosen on real data)"
                    + " or original (the original experiment's) (default ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--seed", description = "seed of initialisation, order and dropout (preset: 42)")
    Long seed;

    @Option(names = "--epochs", description = "epoch cap (default: 8; original: 200)")
    Integer epochs;

    @Option(names = "--batch-size", description = "batch size (preset: 32)")
    Integer batchSize;

    @Option(names = "--maxlen", description = "max tokens per text (default: 128; original: 200)")
    Integer maxlen;

    @Option(names = "--lr", description = "peak learning rate (default: 5e-4; original: 1e-4)")
    Float lr;

    @Option(names = "--warmup", description = "warm-up: steps if > 1, else a fraction of the run (default: 0.1; original: 1000)")
    Double warmup;

    @Option(names = "--decay-end", description = "where the linear decay ends: step if > 1, else a fraction of the run"
            + " (default: 1.0; original: 2000)")
    Double decayEnd;

    @Option(names = "--final-lr-fraction", description = "learning rate after the decay, as a fraction of the peak"
            + " (default: 0; original: 0.1)")
    Float finalLrFraction;

    @Option(names = "--patience", description = "epochs without improvement before stopping (preset: 3)")
    Integer patience;

    @Option(names = "--monitor", description = "metric for the best epoch and early stopping: ${COMPLETION-CANDIDATES}"
            + " (default: VAL_MACRO_F1; original: VAL_LOSS)")
    TrainingConfig.Monitor monitor;

    @Option(names = "--dropout", description = "all dropout rates at once (default: 0.1; original: the model config's)")
    Float dropout;

    @Option(names = "--hidden-dropout", description = "dropout on embeddings and sub-block outputs")
    Float hiddenDropout;

    @Option(names = "--attention-dropout", description = "dropout on attention probabilities")
    Float attentionDropout;

    @Option(names = "--classifier-dropout", description = "dropout on the [CLS] vector before the classifier")
    Float classifierDropout;

    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay, 0 = Adam (default: 0.01; original: 0)")
    Float weightDecay;

    @Option(names = "--clip-norm", description = "global gradient-norm clipping, 0 = off (default: 1; original: 0)")
    Float clipNorm;

    @Option(names = "--label-smoothing", description = "label smoothing epsilon, 0 = off (preset: 0)")
    Float labelSmoothing;

    @Option(names = "--class-weights", description = "${COMPLETION-CANDIDATES} (preset: NONE)")
    TrainingConfig.ClassWeights classWeights;

    @Option(names = "--threads", description = "engine threads, 0 = the engine's default (preset: 0)")
    Integer threads;

    @Option(names = "--fgm", description = "FGM epsilon, 0 = off (original option: 0.5)")
    Float fgm;

    @Option(names = "--gradient-penalty", description = "gradient penalty epsilon, 0 = off (original option: 1)")
    Float gradientPenalty;

    @Option(names = "--pooling", description = "what the classifier reads: ${COMPLETION-CANDIDATES}"
            + " (default: see --preset)")
    Pooling pooling;

    @Option(names = "--tiny", description = "a tiny model instead of ALBERT-tiny (for quick checks, no pretrained weights)")
    boolean tiny;

    /** The presets a run starts from. */
    enum Preset {
        DEFAULT(TrainingConfig.DEFAULT), ORIGINAL(TrainingConfig.ORIGINAL);

        final TrainingConfig config;

        Preset(TrainingConfig config) {
            this.config = config;
        }
    }

    /** The preset with every option given on the command line applied. */
    TrainingConfig trainingConfig() {
        TrainingConfig.Builder b = preset.config.toBuilder();
        if (seed != null) b.seed(seed);
        if (epochs != null) b.maxEpochs(epochs);
        if (batchSize != null) b.batchSize(batchSize);
        if (maxlen != null) b.maxlen(maxlen);
        LearningRatePlan plan = preset.config.learningRate();
        if (lr != null || warmup != null || decayEnd != null || finalLrFraction != null) {
            plan = LearningRatePlan.warmupDecay(lr != null ? lr : plan.peak(), warmup != null ? warmup : plan.warmup(),
                    decayEnd != null ? decayEnd : plan.decayEnd(),
                    finalLrFraction != null ? finalLrFraction : plan.finalFraction());
        }
        b.learningRate(plan);
        if (patience != null) b.patience(patience);
        if (monitor != null) b.monitor(monitor);
        if (dropout != null) b.dropout(dropout);
        if (hiddenDropout != null) b.hiddenDropout(hiddenDropout);
        if (attentionDropout != null) b.attentionDropout(attentionDropout);
        if (classifierDropout != null) b.classifierDropout(classifierDropout);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (clipNorm != null) b.clipNorm(clipNorm);
        if (labelSmoothing != null) b.labelSmoothing(labelSmoothing);
        if (classWeights != null) b.classWeights(classWeights);
        if (threads != null) b.threads(threads);
        if (fgm != null) b.fgmEpsilon(fgm);
        if (gradientPenalty != null) b.gradientPenalty(gradientPenalty);
        if (pooling != null) b.pooling(pooling);
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = trainingConfig();                    // settings are checked before any data is read
        Path test = dataDir.resolve("test.txt");
        DataSplit split;
        if (Files.exists(test)) {
            split = SplitFiles.read(dataDir, numClasses);
        } else {
            var train = CorpusReader.read(dataDir.resolve("train.txt"), numClasses);
            var val = CorpusReader.read(dataDir.resolve("val.txt"), numClasses);
            split = new DataSplit(train, val, train.withRecords(List.of()), -1, SplitRatios.DEFAULT);
        }
        Map<String, Object> data = Provenance.splitFiles(dataDir);
        AlbertConfig model = tiny ? AlbertConfig.TINY : null;
        TrainingSetup setup = new TrainingSetup(out, split, LabelNames.namesFor(numClasses), tiny ? null : pretrained,
                model, config, data, Path.of("").toAbsolutePath());
        TrainingResult result = Trainer.fit(setup);
        System.out.println(result);
        return 0;
    }
}
