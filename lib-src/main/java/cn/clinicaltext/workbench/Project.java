package cn.clinicaltext.workbench;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.train.LearningRateSchedule;
import cn.clinicaltext.workbench.train.PretrainSetup;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.train.Provenance;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.train.TrainingSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a notebook or command finds its files, and whether it runs in smoke mode.
 * <p>
 * The root is WORKBENCH_HOME, else the nearest folder upwards holding {@code pom.xml} and {@code notebooks/}.
 * Smoke mode (WORKBENCH_SMOKE=1, set by {@code ./workbench test}) uses a tiny model and few steps and writes
 * under {@code target/smoke/} so that tests never touch the committed data, figures or weights.
 */
public record Project(Path root, boolean smoke) {
    /** The original experiment's maximum sequence length, [CLS] and [SEP] included. */
    public static final int MAXLEN = 200;
    public static final int NUM_CLASSES = 3;

    public static Project fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of("").toAbsolutePath());
    }

    static Project fromEnvironment(Map<String, String> env, Path workingDir) {
        String home = env.get("WORKBENCH_HOME");
        Path root = home != null && !home.isBlank() ? Path.of(home).toAbsolutePath().normalize() : findRoot(workingDir);
        String smoke = env.getOrDefault("WORKBENCH_SMOKE", "0").trim();
        return new Project(root, smoke.equals("1") || smoke.equalsIgnoreCase("true"));
    }

    private static Path findRoot(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("notebooks"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project folder from " + start
                + "; set WORKBENCH_HOME to the folder holding pom.xml and notebooks/");
    }

    /** The committed corpus, all records before deduplication and splitting. */
    public Path corpusFile() {
        return root.resolve("data").resolve("all.txt");
    }

    /** Where train.txt, val.txt and test.txt are written and read. */
    public Path splitDir() {
        return smoke ? root.resolve("target/smoke/data") : root.resolve("data");
    }

    public Path figuresDir() {
        return smoke ? root.resolve("target/smoke/figures") : root.resolve("figures");
    }

    /** Base path of a figure; {@code .png} and {@code .svg} are added when saved. */
    public Path figure(String name) {
        return figuresDir().resolve(name);
    }

    public Path weightsDir() {
        return smoke ? root.resolve("target/smoke/weights") : root.resolve("weights");
    }

    /** Folder of the downloaded albert_tiny_google_zh checkpoint (vocab.txt, albert_config.json, ckpt files). */
    public Path pretrainedDir() {
        return root.resolve("albert_tiny_google_zh");
    }

    /** Model shape for runs without a pretrained checkpoint: ALBERT-tiny, or a tiny model in smoke mode. */
    public AlbertConfig modelConfig() {
        return smoke ? SMOKE_MODEL : AlbertConfig.ALBERT_TINY_ZH;
    }

    /** The original experiment's training settings, or a few quick epochs in smoke mode. */
    public TrainingConfig trainingConfig() {
        var original = TrainingConfig.ORIGINAL;
        if (!smoke) {
            return original;
        }
        return original.withEpochs(2).withMaxlen(64)
                .withSchedule(new LearningRateSchedule(new long[]{0, 20, 40}, new float[]{0f, 1e-3f, 1e-4f}));
    }

    /** A tiny model (hidden 32, 2 layers) for smoke runs; the vocabulary size is replaced by the run's. */
    static final AlbertConfig SMOKE_MODEL = AlbertConfig.TINY;

    /** The corpus, or in smoke mode only its first {@code n} texts (for slow per-text work such as attribution). */
    public Corpus smokeSample(Corpus corpus, int n) {
        return smoke && corpus.size() > n ? corpus.withRecords(corpus.records().subList(0, n)) : corpus;
    }

    /** A training run of this project: splits from {@link #splitDir()}, output under {@link #weightsDir()}. */
    public TrainingSetup trainingSetup(String runName, DataSplit split, TrainingConfig training) throws IOException {
        return trainingSetup(runName, split, training, pretrainedDir());
    }

    /** A training run starting from the pretrained folder given (null: a seeded random start). */
    public TrainingSetup trainingSetup(String runName, DataSplit split, TrainingConfig training, Path pretrained)
            throws IOException {
        return new TrainingSetup(weightsDir().resolve(runName), split,
                LabelNames.namesFor(split.train().numClasses()), pretrained,
                modelConfig(), training, Provenance.splitFiles(splitDir()), root);
    }

    /** The everyday fine-tuning settings ({@link TrainingConfig#DEFAULT}), or a few quick epochs in smoke mode. */
    public TrainingConfig everydayTrainingConfig() {
        return smoke ? TrainingConfig.DEFAULT.toBuilder().maxEpochs(2).maxlen(64).build() : TrainingConfig.DEFAULT;
    }

    /**
     * Masked-LM pretraining settings for this project's notebook: {@link PretrainingConfig#DEFAULT} with 400 steps
     * (about 7 passes over the training texts, a few minutes here) instead of 2000; a few steps in smoke mode.
     */
    public PretrainingConfig pretrainingConfig() {
        return smoke ? PretrainingConfig.DEFAULT.toBuilder().steps(30).saveEvery(10).maxlen(64).batchSize(16).build()
                : PretrainingConfig.DEFAULT.toBuilder().steps(400).saveEvery(50).build();
    }

    /** Seeds of runs compared over seeds: three, or two in smoke mode (so an sd exists). */
    public List<Long> seeds() {
        return smoke ? List.of(42L, 43L) : List.of(42L, 43L, 44L);
    }

    /** A pretraining run of this project on the given text files, output under {@link #weightsDir()}. */
    public PretrainSetup pretrainSetup(String runName, List<Path> corpusFiles, PretrainingConfig config)
            throws IOException, CorpusFormatException {
        return new PretrainSetup(weightsDir().resolve(runName), UnlabeledCorpus.read(corpusFiles), null, modelConfig(),
                config, root);
    }

    @Override
    public String toString() {
        return "Project " + root + (smoke ? " [SMOKE MODE: tiny model, few steps, outputs under target/smoke]" : "")
                + "\n  corpus:     " + corpusFile()
                + "\n  splits:     " + splitDir()
                + "\n  figures:    " + figuresDir()
                + "\n  pretrained: " + pretrainedDir()
                + (Files.exists(pretrainedDir().resolve("vocab.txt")) ? "" : " (absent)");
    }
}
