package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.TextLines;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.eval.Baseline;
import cn.clinicaltext.workbench.eval.CharNgramBaseline;
import cn.clinicaltext.workbench.eval.ModelEvaluation;
import cn.clinicaltext.workbench.eval.RunComparison;
import cn.clinicaltext.workbench.eval.StartComparison;
import cn.clinicaltext.workbench.eval.TeacherComparison;
import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.explain.ModelCosts;
import cn.clinicaltext.workbench.io.ProjectRoot;
import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.ModelSize;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.samediff.HeadSettings;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;
import cn.clinicaltext.workbench.train.Distillation;
import cn.clinicaltext.workbench.train.PretrainSetup;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.train.Provenance;
import cn.clinicaltext.workbench.train.Trainer;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.train.TrainingResult;
import cn.clinicaltext.workbench.train.TrainingSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run, assembled: its settings ({@link RunSpec}), its data, split, labels and seeds, where its files are, and the
 * training set-ups made from them. Notebooks and commands (train, distil) both train through it, so a run is put
 * together in one place.
 * <p>
 * The committed demo ({@link #fromEnvironment()}, or {@link #open} with an empty path) is the shipped corpus with
 * {@link RunSpec#DEMO}, writing into {@code data/}, {@code figures/} and {@code weights/}. A run prepared by
 * {@code ./workbench run} has a folder {@code runs/NAME/} holding its {@value RunFolder#SPEC_FILE}; it writes only
 * there ({@code data/}, {@code figures/}, {@code weights/}, {@code notebooks/}), so runs never overwrite each other or
 * the demo. A command's run ({@link #forCommand}) reads a data folder as it is and writes only its models. The root is
 * WORKBENCH_HOME, else the nearest folder upwards holding {@code pom.xml} and {@code notebooks/}. Smoke mode (WORKBENCH_SMOKE=1, set by {@code ./workbench test}) runs the demo with
 * {@link RunSpec#SMOKE} under {@code target/smoke/}, so tests never touch the committed data, figures or weights.
 */
public final class Run {
    /** Texts shown by the prediction notebook when the data folder has no examples file. */
    static final int DEFAULT_EXAMPLES = 5;
    /** Optional file beside the corpus: texts to predict in the prediction notebook, one per line. */
    public static final String EXAMPLES_FILE = "examples.txt";

    private final Path root;
    private final RunSpec spec;
    private final Path outputs;
    private final boolean smoke;
    /** A command's run: where its models go (one seed: this folder; several: FOLDER-seedS); null for a notebook run. */
    private final Path commandModels;
    private List<String> labels;

    private Run(Path root, RunSpec spec, Path outputs, boolean smoke) {
        this(root, spec, outputs, smoke, null);
    }

    private Run(Path root, RunSpec spec, Path outputs, boolean smoke, Path commandModels) {
        this.root = root;
        this.spec = spec;
        this.outputs = outputs;
        this.smoke = smoke;
        this.commandModels = commandModels;
    }

    /** The committed demo: the shipped corpus and {@link RunSpec#DEMO} (SMOKE in smoke mode). */
    public static Run fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of("").toAbsolutePath());
    }

    static Run fromEnvironment(Map<String, String> env, Path workingDir) {
        String home = env.get("WORKBENCH_HOME");
        Path root = home != null && !home.isBlank() ? Path.of(home).toAbsolutePath().normalize() : findRoot(workingDir);
        String s = env.getOrDefault("WORKBENCH_SMOKE", "0").trim();
        boolean smoke = s.equals("1") || s.equalsIgnoreCase("true");
        return new Run(root, smoke ? RunSpec.SMOKE : RunSpec.DEMO, smoke ? root.resolve("target/smoke") : root,
                smoke);
    }

    /**
     * The run whose {@value RunFolder#SPEC_FILE} is given (its folder receives every output); an empty path is the
     * committed demo ({@link #fromEnvironment()}). This is what each notebook's parameters cell feeds.
     */
    public static Run open(String runSpecFile) throws IOException {
        if (runSpecFile == null) {
            // never fall back to the demo here: a run's notebook would write into data/, figures/ and weights/
            throw new IllegalArgumentException("runSpec is null: the parameters cell's variable was reset (JShell"
                    + " resets a variable declared with an explicit type when a later cell adds wildcard imports);"
                    + " declare it as var runSpec = \"\";");
        }
        Run demo = fromEnvironment();
        if (runSpecFile.isBlank()) {
            return demo;
        }
        Path file = demo.root.resolve(runSpecFile).toAbsolutePath().normalize();
        return new Run(demo.root, RunSpec.read(file), file.getParent(), false);
    }

    /** The run of a run folder ({@code ./workbench run DIR}, tests). */
    public static Run of(Path root, RunFolder run) {
        return new Run(root.toAbsolutePath().normalize(), run.spec(), run.dir(), false);
    }

    /**
     * A command's run ({@code train}, {@code distil}): the spec's data folder read as it is ({@code train.txt} and
     * {@code val.txt}, {@code test.txt} when present; no split is made), one model per seed of the spec into
     * {@code models} (several seeds: {@code models-seedS} each; null: the project's {@code weights/} and the
     * spec's resolved name). Nothing else is written.
     */
    public static Run forCommand(Path root, RunSpec spec, Path models) {
        Path home = root.toAbsolutePath().normalize();
        Path base = (models != null ? models : home.resolve("weights").resolve(spec.resolvedName()))
                .toAbsolutePath().normalize();
        return new Run(home, spec, base.getParent(), false, base);
    }

    private static Path findRoot(Path start) {
        Path root = ProjectRoot.above(start);
        if (root != null) {
            return root;
        }
        throw new IllegalStateException("cannot find the project folder from " + start
                + "; set WORKBENCH_HOME to the folder holding pom.xml and notebooks/");
    }

    public Path root() {
        return root;
    }

    public RunSpec spec() {
        return spec;
    }

    public boolean smoke() {
        return smoke;
    }

    // ---- data ----

    /** The folder the run reads its data from. */
    public Path dataDir() {
        return root.resolve(spec.data());
    }

    /** The unsplit corpus, {@code all.txt}; when the data folder has none, its given split is used instead. */
    public Path corpusFile() {
        return dataDir().resolve("all.txt");
    }

    /** True when the data folder has no {@code all.txt} but its own train, val and test files. */
    public boolean hasGivenSplit() {
        return !Files.exists(corpusFile()) && List.of("train", "val", "test").stream()
                .allMatch(n -> Files.exists(dataDir().resolve(n + ".txt")));
    }

    private List<Path> corpusFiles() {
        if (commandModels != null) {
            // a command reads the folder's parts as they are; test.txt may be absent
            return List.of("train", "val", "test").stream().map(n -> dataDir().resolve(n + ".txt"))
                    .filter(f -> !f.getFileName().toString().equals("test.txt") || Files.exists(f)).toList();
        }
        if (hasGivenSplit()) {
            return List.of("train", "val", "test").stream().map(n -> dataDir().resolve(n + ".txt")).toList();
        }
        return List.of(corpusFile());
    }

    /** Class names: the spec's, else the data folder's labels.txt, else "class k" up to the highest label. */
    public List<String> labels() throws IOException, CorpusFormatException {
        if (labels == null) {
            Path file = dataDir().resolve(LabelNames.FILE);
            List<String> named = !spec.labels().isEmpty() && Files.isRegularFile(file) ? LabelNames.read(file) : null;
            if (named != null && named.size() != spec.labels().size()) {
                // names in another order or spelling may be meant; another count cannot be
                throw new IllegalArgumentException("the run's setting 'labels' names " + spec.labels().size()
                        + " classes " + spec.labels() + ", the data's " + file + " " + named.size() + " " + named
                        + "; give one name per class of the data, or leave 'labels' out to use " + LabelNames.FILE);
            }
            labels = !spec.labels().isEmpty() ? spec.labels() : LabelNames.forData(dataDir(), corpusFiles());
        }
        return labels;
    }

    public int numClasses() throws IOException, CorpusFormatException {
        return labels().size();
    }

    /** The longest input in tokens, [CLS] and [SEP] included (the training setting). */
    public int maxlen() {
        return spec.training().data().maxlen();
    }

    /** Every labelled text of the data folder: all.txt, or train, val and test together when it is split already. */
    public Corpus corpus() throws IOException, CorpusFormatException {
        try {
            if (!hasGivenSplit()) {
                return CorpusReader.read(corpusFile(), labels());
            }
            List<LabeledText> all = new ArrayList<>();
            for (Path f : corpusFiles()) {
                all.addAll(CorpusReader.read(f, labels()).records());
            }
            return Corpus.of(all, labels());
        } catch (CorpusFormatException e) {
            throw labelsSettingNamed(e);
        }
    }

    /**
     * A label out of range when the class count came from the run's own setting 'labels': said so, not only which
     * lines disagree. Other problems as they are.
     */
    private RuntimeException labelsSettingNamed(CorpusFormatException e) throws CorpusFormatException {
        if (!spec.labels().isEmpty() && e.problems().stream().anyMatch(p -> p.message().contains("out of range"))) {
            throw new IllegalArgumentException("the run's setting 'labels' names " + spec.labels().size()
                    + " classes " + spec.labels() + ", fewer than the data's labels; give one name per class"
                    + " (or none: labels.txt or 'class k')\n" + e.getMessage(), e);
        }
        throw e;
    }

    /** Repeated texts removed by the run's duplicate policy. */
    public Deduplication deduplicate(Corpus corpus) {
        return Deduplication.of(corpus, spec.split().duplicates());
    }

    /**
     * The run's split: the data folder's own train/val/test when it has no all.txt (with the deduplication applied
     * within each part; a text in two parts is an error), else the stratified split of the deduplicated corpus by
     * the run's seed and ratios.
     */
    public DataSplit split(Deduplication deduplicated) throws IOException, CorpusFormatException {
        return hasGivenSplit() ? SplitFiles.read(dataDir(), labels()).keeping(deduplicated.kept())
                : spec.split().split(deduplicated);
    }

    /** Where the run's train.txt, val.txt and test.txt are written and read (a command's: its data folder). */
    public Path splitDir() {
        return commandModels != null ? dataDir() : outputs.resolve("data");
    }

    /**
     * The run's split as written: by the split notebook, or (a command's run) the data folder's own files, whose
     * test.txt may be absent (an empty test part).
     */
    public DataSplit readSplit() throws IOException, CorpusFormatException {
        Path dir = splitDir();
        try {
            if (commandModels != null && !Files.exists(dir.resolve("test.txt"))) {
                Corpus train = CorpusReader.read(dir.resolve("train.txt"), labels());
                Corpus val = CorpusReader.read(dir.resolve("val.txt"), labels());
                return new DataSplit(train, val, train.withRecords(List.of()), DataSplit.NO_SEED, SplitRatios.DEFAULT);
            }
            return SplitFiles.read(dir, labels());
        } catch (CorpusFormatException e) {
            throw labelsSettingNamed(e);
        }
    }

    /** Texts for the prediction notebook: the data folder's examples.txt, else the first few test texts. */
    public List<String> exampleTexts(DataSplit split) throws IOException, CorpusFormatException {
        Path file = dataDir().resolve(EXAMPLES_FILE);
        if (Files.exists(file)) {
            return TextLines.read(file);
        }
        return split.test().texts().subList(0, Math.min(DEFAULT_EXAMPLES, split.test().size()));
    }

    /** The texts explained in the attribution notebook: all, or the first {@link RunSpec#explainTexts()}. */
    public Corpus explainSample(Corpus corpus) {
        int n = spec.explainTexts();
        return n > 0 && corpus.size() > n ? corpus.withRecords(corpus.records().subList(0, n)) : corpus;
    }

    // ---- outputs ----

    public Path figuresDir() {
        return outputs.resolve("figures");
    }

    /** Base path of a figure; {@code .png} and {@code .svg} are added when saved. */
    public Path figure(String name) {
        return figuresDir().resolve(name);
    }

    public Path weightsDir() {
        return outputs.resolve("weights");
    }

    /** The model folder of one seed. */
    public Path modelDir(long seed) {
        if (commandModels != null) {
            return seeds().size() == 1 ? commandModels
                    : commandModels.resolveSibling(commandModels.getFileName() + "-seed" + seed);
        }
        return weightsDir().resolve(modelName(seed));
    }

    /** The run's main model: the one of its first seed. */
    public Path modelDir() {
        return modelDir(spec.seeds().get(0));
    }

    public static String modelName(long seed) {
        return "model-seed" + seed;
    }

    // ---- results ----

    /** The baseline every model of the run is scored beside: character n-gram naive Bayes fitted on train. */
    public Baseline baseline(DataSplit split) {
        return CharNgramBaseline.fit(split.train());
    }

    /** The seeds whose model has been trained (its weights saved). */
    public List<Long> trainedSeeds() {
        return seeds().stream().filter(s -> Files.exists(modelDir(s).resolve(SavedModel.WEIGHTS))).toList();
    }

    /** Each trained model of the run scored on the run's test split beside the baseline, the main model first. */
    public Map<String, ModelEvaluation> evaluateModels(DataSplit split) throws IOException {
        Baseline baseline = baseline(split);
        Map<String, ModelEvaluation> out = new LinkedHashMap<>();
        for (long seed : trainedSeeds()) {
            try (TextClassifier model = SavedModel.classifier(modelDir(seed))) {
                out.put(modelName(seed), ModelEvaluation.of(model, split.test(), "test", baseline));
            }
        }
        return out;
    }

    /** The name of the run's main model (its first seed's). */
    public String mainModel() {
        return modelDir().getFileName().toString();
    }

    /** This run as one entry of a {@link RunComparison}: its settings and its models scored on its test split. */
    public RunComparison.Run comparisonEntry(String name) throws IOException, CorpusFormatException {
        DataSplit split = readSplit();
        return new RunComparison.Run(name, spec.flatSettings(), List.copyOf(evaluateModels(split).values()),
                Provenance.sha256OrNull(splitDir().resolve("test.txt")));
    }

    /**
     * This run beside other runs (their run.json files): the settings that differ, test scores with intervals and
     * over seeds, and paired tests where the test texts are the same.
     */
    public RunComparison compareWith(List<String> otherRunFiles) throws IOException, CorpusFormatException {
        List<RunComparison.Run> runs = new ArrayList<>();
        runs.add(comparisonEntry(name()));
        for (String f : otherRunFiles) {
            Run other = open(f);
            runs.add(other.comparisonEntry(other.name()));
        }
        return RunComparison.of(runs);
    }

    /** The run's folder name, or "demo" for the committed demo. */
    public String name() {
        if (commandModels != null) {
            return commandModels.getFileName().toString();
        }
        return outputs.equals(root) || smoke ? "demo" : outputs.getFileName().toString();
    }

    // ---- settings ----

    /** The pretrained start of the run, or null for a random start (a start asked for and missing is an error). */
    public PretrainedStart pretrainedStart() throws IOException {
        return PretrainedStart.resolve(spec.pretrained(), root).orElse(null);
    }

    /** Model shape for runs without a pretrained checkpoint. */
    public AlbertConfig modelConfig() {
        return spec.model().config();
    }

    public TrainingConfig trainingConfig() {
        return spec.training();
    }

    public PretrainingConfig pretrainingConfig() {
        return spec.pretraining();
    }

    public List<Long> seeds() {
        return spec.seeds();
    }

    /** Settings of the SameDiff head of notebook 08: its defaults (a few epochs in smoke mode), the run's first seed. */
    public HeadSettings headSettings() {
        return (smoke ? HeadSettings.SMOKE : HeadSettings.DEFAULT).withSeed(seeds().get(0));
    }

    /** One training set-up per seed, each into {@link #modelDir(long)}, from the run's pretrained start. */
    public List<TrainingSetup> modelSetups(DataSplit split) throws IOException, CorpusFormatException {
        List<TrainingSetup> setups = new ArrayList<>();
        for (long seed : seeds()) {
            setups.add(trainingSetup(modelDir(seed), split, trainingConfig(), seed, pretrainedStart(), null));
        }
        return setups;
    }

    /**
     * The set-up of one arm of a comparison of starting points (notebook 07): a random start is the run's own model
     * of that seed when the run itself starts at random (same set-up, so nothing is trained twice).
     */
    public TrainingSetup startSetup(StartComparison.Start start, long seed, DataSplit split)
            throws IOException, CorpusFormatException {
        PretrainedStart own = pretrainedStart();
        PretrainedStart other = PretrainedStart.resolve(start.pretrained(), root).orElse(null);
        // an arm with the run's own start and settings is the run's model of that seed: nothing is trained twice
        boolean same = (own == null ? other == null : other != null && own.describe().equals(other.describe()))
                && start.training().equals(trainingConfig());
        String name = same ? modelName(seed)
                : (start.isRandom() ? "scratch" : start.name().replaceAll("[^A-Za-z0-9]+", "-")) + "-seed" + seed;
        return trainingSetup(weightsDir().resolve(name), split, start.training(), seed, other, null);
    }

    /**
     * Task-specific distillation ({@code distil}, notebook 09): one ALBERT-tiny student per seed of the run, from
     * the distillation settings' {@code studentStart} or else random weights with the teacher's vocabulary, trained
     * with {@link #studentTraining()} on the teacher's class probabilities of the transfer set ({@link Distillation},
     * with the run's {@link RunSpec#distillation()} settings: the training texts, augmented copies of each and
     * {@code unlabeled}). The probabilities are computed once, kept in the first student's folder and read by every
     * seed (a resumed or repeated call does not run the teacher again); finished students are reused, killed ones
     * resumed.
     *
     * @param teacherDir a saved classifier of this run's classes (the run's own model, {@code train --out})
     */
    public List<TrainingResult> distil(Path teacherDir, List<String> unlabeled, DataSplit split)
            throws IOException, CorpusFormatException {
        // a start asked for and missing fails here, before the teacher runs
        PretrainedStart studentStart = PretrainedStart.resolve(spec.distillation().studentStart(), root).orElse(null);
        Distillation.Teacher targets;
        SavedModel.Loaded loaded = SavedModel.load(teacherDir);
        try {
            TextClassifier teacher = loaded.classifier();
            if (!teacher.labels().equals(labels())) {
                throw new IllegalArgumentException("the teacher " + teacherDir + " has the classes "
                        + teacher.labels() + ", the data " + labels() + "; give a teacher trained on this data");
            }
            if (studentStart != null) {
                // refused before the teacher's pass over the transfer set (minutes) and before any folder is made
                Distillation.checkStudentStart(studentStart, teacher.tokenizer().vocabulary());
            }
            String identity = teacherDir.toAbsolutePath().normalize() + " (weights SHA-256 "
                    + Hashes.sha256(teacherDir.resolve(SavedModel.WEIGHTS)) + ")";
            Path first = studentDir(seeds().get(0));
            Files.createDirectories(first);
            System.out.println("Teacher " + teacherDir + ": class probabilities of the transfer set ("
                    + Distillation.TARGETS_FILE + " in " + first + ", computed once for every seed)");
            targets = Distillation.prepare(teacher, identity, split.train(), unlabeled, spec.distillation(), first);
        } finally {
            loaded.params().close();
        }
        List<TrainingResult> results = new ArrayList<>();
        for (long seed : seeds()) {
            results.add(Trainer.fit(trainingSetup(studentDir(seed), split, studentTraining(), seed, studentStart,
                    targets)));
        }
        return results;
    }

    /**
     * The teacher and each model scored once on the test split beside the baseline, each model against the teacher
     * text by text (notebook 09).
     */
    public TeacherComparison compareWithTeacher(Path teacherDir, List<TeacherComparison.Candidate> models,
                                                DataSplit split) throws IOException {
        Baseline baseline = baseline(split);
        ModelEvaluation teacher = evaluate(teacherDir, split.test(), baseline);
        List<TeacherComparison.Scored> scored = new ArrayList<>();
        for (TeacherComparison.Candidate c : models) {
            scored.add(new TeacherComparison.Scored(c.model(), c.seed(), evaluate(c.dir(), split.test(), baseline)));
        }
        return new TeacherComparison(teacher, scored);
    }

    /**
     * The cost per text of the teacher and of the first model of each kind in {@code models} (inference on the test
     * split, integrated gradients with the default settings on the run's explained sample of it), measured one after
     * the other in this process, with their attributions of that sample (notebook 09).
     */
    public List<ModelCosts> modelCosts(Path teacherDir, List<TeacherComparison.Candidate> models, DataSplit split)
            throws IOException {
        Map<String, Path> firsts = new LinkedHashMap<>();
        firsts.put("teacher", teacherDir);
        models.forEach(c -> firsts.putIfAbsent(c.model(), c.dir()));
        List<LabeledText> sample = explainSample(split.test()).records();
        List<ModelCosts> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : firsts.entrySet()) {
            TextClassifier classifier = SavedModel.classifier(e.getValue());
            try {
                out.add(ModelCosts.measure(e.getKey(), classifier, split.test().texts(), sample,
                        ExplainSettings.DEFAULT));
            } finally {
                classifier.params().close();
            }
        }
        return out;
    }

    private static ModelEvaluation evaluate(Path modelDir, Corpus test, Baseline baseline) throws IOException {
        TextClassifier classifier = SavedModel.classifier(modelDir);
        try {
            return ModelEvaluation.of(classifier, test, "test", baseline);
        } finally {
            classifier.params().close();
        }
    }

    /** Where the distilled student of one seed goes: a command's model folder, else {@code weights/distilled-seedS}. */
    public Path studentDir(long seed) {
        return commandModels != null ? modelDir(seed) : weightsDir().resolve("distilled-seed" + seed);
    }

    /**
     * Training settings of an ALBERT-tiny trained without a pretrained start (a distilled student, notebook 07's and
     * 09's random start): the run's own when the run itself starts at random, else {@link TrainingConfig#SCRATCH}'s
     * optimisation with the run's data settings; capped at {@link RunSpec#comparisonEpochs()} when that is set.
     */
    public TrainingConfig studentTraining() throws IOException {
        return comparisonBudget(pretrainedStart() != null ? StartComparison.Start.fromScratch(trainingConfig())
                : trainingConfig());
    }

    /**
     * Task-agnostic distillation on the given texts (notebook 09): an ALBERT-tiny of the run's shape learns
     * bge-small-zh-v1.5's final hidden states ({@link PretrainSetup.HiddenStateTeacher}, word embeddings from the teacher's by
     * PCA), with the run's pretraining settings, into {@code weights/runName}; a start for {@link #startSetup}.
     */
    public PretrainSetup distilPretrainSetup(String runName, List<Path> corpusFiles) throws IOException,
            CorpusFormatException {
        PretrainedStart teacher = PretrainedStart.resolve(PretrainedStart.BGE_SMALL_ZH, root).orElseThrow();
        return new PretrainSetup(weightsDir().resolve(runName), UnlabeledCorpus.read(corpusFiles), null, modelConfig(),
                pretrainingConfig(), root, PretrainSetup.HiddenStateTeacher.withPcaEmbeddings(teacher));
    }

    /**
     * Trains (or resumes, or reuses finished runs) every start with every seed of the run ({@link #startSetup}),
     * then scores each once on the test split; each model's scores are also written to its
     * {@code metrics-test.json}.
     */
    public StartComparison compareStarts(List<StartComparison.Start> starts, DataSplit split)
            throws IOException, CorpusFormatException {
        List<StartComparison.Run> runs = new ArrayList<>();
        for (StartComparison.Start start : starts) {
            for (long seed : seeds()) {
                TrainingResult result = Trainer.fit(startSetup(start, seed, split));
                TextClassifier classifier = SavedModel.classifier(result.runDir());
                try {
                    ModelEvaluation e = ModelEvaluation.of(classifier, split.test(), "test");
                    e.writeJson(result.runDir().resolve("metrics-test.json"));
                    runs.add(new StartComparison.Run(start.name(), seed, result.runDir(), result.bestEpoch(),
                            result.history().seconds(), e.intervals().accuracy(), e.intervals().macroF1(),
                            e.singleClassPredicted()));
                } finally {
                    classifier.params().close();
                }
            }
        }
        return new StartComparison(runs);
    }

    /**
     * The starting points notebook 07 compares: a random start and the run's own masked-LM pretraining (both
     * ALBERT-tiny, with the from-scratch settings), bge-small-zh-v1.5 and, when a user has put it in
     * albert_tiny_google_zh/, Google's ALBERT-tiny (both fine-tuned with the fine-tuning settings). Starts of the
     * run's own kind take the run's settings, so the run's own models are reused, not trained again. A run of the
     * tiny smoke model leaves bge out (one fine-tuning epoch of bge takes longer than the whole smoke run). With
     * {@link RunSpec#comparisonEpochs()} set, every start gets that many epochs.
     */
    public List<StartComparison.Start> comparisonStarts(Path ownPretraining) throws IOException {
        // each kind of start with the run's own settings when the run is of that kind, else with its preset's
        boolean pretrainedRun = pretrainedStart() != null;
        TrainingConfig fineTuning = comparisonBudget(pretrainedRun ? trainingConfig()
                : TrainingConfig.FINE_TUNING.with("data.maxlen", maxlen(),
                        "data.batchSize", trainingConfig().data().batchSize()));
        TrainingConfig scratch = studentTraining();
        List<StartComparison.Start> starts = new ArrayList<>();
        starts.add(StartComparison.Start.randomStart(scratch));
        starts.add(StartComparison.Start.pretrained("own masked-LM pretraining", ownPretraining.toString(), scratch));
        if (spec.model() != ModelSize.TINY) {
            starts.add(StartComparison.Start.pretrained(PretrainedStart.BGE_SMALL_ZH, PretrainedStart.BGE_SMALL_ZH,
                    fineTuning));
        }
        if (PretrainedStart.formatOf(root.resolve(PretrainedStart.GOOGLE_ALBERT_DIR)) != null) {
            starts.add(StartComparison.Start.pretrained("Google ALBERT-tiny", PretrainedStart.GOOGLE_ALBERT_DIR.toString(),
                    fineTuning));
        }
        return starts;
    }

    private TrainingConfig comparisonBudget(TrainingConfig start) {
        int epochs = spec.comparisonEpochs();
        return epochs == 0 ? start : start.with("loop.maxEpochs", epochs);
    }

    /** The vocabulary of the run's start, or (random start) a character vocabulary of {@code texts}. */
    public VocabularyChoice vocabulary(Corpus texts) throws IOException {
        PretrainedStart start = pretrainedStart();
        return start == null ? VocabularyChoice.fromTrainingTexts(texts.texts())
                : VocabularyChoice.pretrained(start.vocabulary(), start.name());
    }

    /**
     * A training run of this project into {@code weights/runName} with the run's first seed, starting from
     * {@code pretrained} (null: random); the attribution notebook's permuted-label model.
     */
    public TrainingSetup trainingSetup(String runName, DataSplit split, TrainingConfig training, PretrainedStart pretrained)
            throws IOException, CorpusFormatException {
        return trainingSetup(weightsDir().resolve(runName), split, training, seeds().get(0), pretrained, null);
    }

    private TrainingSetup trainingSetup(Path dir, DataSplit split, TrainingConfig training, long seed,
                                        PretrainedStart pretrained, Distillation.Teacher teacher)
            throws IOException, CorpusFormatException {
        return new TrainingSetup(dir, split, labels(), pretrained, modelConfig(), training, seed,
                Provenance.splitFiles(splitDir()), root, teacher);
    }

    /** A pretraining run of this project on the given text files, output under {@link #weightsDir()}. */
    public PretrainSetup pretrainSetup(String runName, List<Path> corpusFiles, PretrainingConfig config)
            throws IOException, CorpusFormatException {
        return new PretrainSetup(weightsDir().resolve(runName), UnlabeledCorpus.read(corpusFiles), null, modelConfig(),
                config, root);
    }

    @Override
    public String toString() {
        String pre;
        try {
            PretrainedStart start = pretrainedStart();
            pre = start == null ? "none (random start)" : start.describe();
        } catch (IOException e) {
            pre = "UNAVAILABLE: " + e.getMessage();
        }
        return "Run " + name() + " of the project " + root + (smoke ? " [SMOKE MODE: tiny model, few steps, outputs under target/smoke]" : "")
                + (outputs.equals(root) || smoke ? "" : "\n  run:        " + outputs)
                + "\n  data:       " + dataDir() + (hasGivenSplit() ? " (its own train/val/test)" : "")
                + "\n  splits:     " + splitDir()
                + "\n  figures:    " + figuresDir()
                + "\n  weights:    " + weightsDir()
                + "\n  pretrained: " + pre
                + "\n  model:      " + spec.model().name().toLowerCase(Locale.ROOT) + ", seeds " + seeds()
                + ", maxlen " + maxlen();
    }
}
