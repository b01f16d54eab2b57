package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusStatistics;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.AlbertClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fine-tunes (or trains from a seeded random start) the ALBERT classifier: Adam or AdamW with a warm-up/decay
 * learning-rate plan, optional gradient clipping, dropout, label smoothing and class weights, dynamic padding and
 * optional length bucketing, validation after every epoch, early stopping on the monitored validation metric that
 * keeps the best weights as the run's model, and a full training state at every epoch end so an interrupted run
 * resumes and ends exactly as an uninterrupted one (same seed, same thread count; dropout masks are a function of
 * seed and step, so they need no saved state).
 */
public final class Trainer {
    private final TrainingSetup setup;
    private final PrintStream out;

    private Trainer(TrainingSetup setup, PrintStream out) {
        this.setup = setup;
        this.out = out;
    }

    public static TrainingResult fit(TrainingSetup setup) throws IOException {
        return new Trainer(setup, System.out).run();
    }

    /** Several runs one after the other (one per seed, say); each resumes or finishes on its own. */
    public static List<TrainingResult> fitAll(List<TrainingSetup> setups) throws IOException {
        List<TrainingResult> results = new ArrayList<>();
        for (TrainingSetup s : setups) {
            results.add(fit(s));
        }
        return results;
    }

    /** The starting point of a run: pretrained checkpoint when present, else seeded random initialisation. */
    /** @param identity what the starting weights are, for the run fingerprint: "random" or the checkpoint's hash */
    record Start(AlbertParams params, VocabularyChoice vocabulary, String origin, String identity) {
    }

    private Start start() throws IOException {
        TrainingConfig tc = setup.training();
        int classes = setup.labelNames().size();
        PretrainedStart pretrained = setup.start();
        if (pretrained != null) {
            Distillation.Teacher teacher = setup.teacher();
            if (teacher != null) {
                Distillation.checkStudentStart(pretrained, teacher.vocabulary());    // before the weights are read
            }
            VocabularyChoice vocab = VocabularyChoice.pretrained(pretrained.vocabulary(), pretrained.name());
            var loaded = pretrained.load(classes, false, setup.seed());
            out.println("Pretrained start: " + pretrained.describe());
            out.println("Pretrained weights: " + loaded.report());
            String pretraining = pretrained.dir().isPresent() ? PretrainHistory.describe(pretrained.dir().get()) : null;
            if (pretraining != null) {
                out.println("Pretrained start: " + pretraining);
            }
            String origin = "pretrained: " + loaded.report() + "; start " + pretrained.describe()
                    + (pretraining == null ? "" : "; " + pretraining);
            String identity = "pretrained " + pretrained.weightsSha256();
            if (teacher == null) {
                return new Start(loaded.params(), vocab, origin, identity);
            }
            out.println("Student: " + distilled(teacher));
            return new Start(loaded.params(), vocab, origin + "; " + distilled(teacher),
                    identity + ", teacher " + teacher.identity());
        }
        Distillation.Teacher teacher = setup.teacher();
        VocabularyChoice vocab = teacher != null ? VocabularyChoice.pretrained(teacher.vocabulary(), "the teacher's")
                : VocabularyChoice.fromTrainingTexts(setup.data().train().texts());
        AlbertConfig base = setup.modelConfig() != null ? setup.modelConfig() : AlbertConfig.ALBERT_TINY_ZH;
        AlbertConfig config = base.withVocabSize(vocab.tokenizer().vocabulary().size());
        if (teacher != null) {
            String origin = "random initialisation (seed " + setup.seed() + "), " + distilled(teacher);
            out.println("Student: " + origin);
            return new Start(AlbertParams.initialise(config, classes, setup.seed()), vocab, origin,
                    "random, teacher " + teacher.identity());
        }
        String origin = "RANDOM INITIALISATION (seed " + setup.seed() + "): no pretrained start"
                + "; results are those of a model trained from scratch, not a fine-tuned pretrained encoder";
        out.println("WARNING: " + origin);
        return new Start(AlbertParams.initialise(config, classes, setup.seed()), vocab, origin, "random");
    }

    private static String distilled(Distillation.Teacher teacher) {
        return "distilled from the teacher " + teacher.identity() + " (temperature " + teacher.settings().temperature()
                + ", alpha " + teacher.settings().alpha() + ", transfer set of " + teacher.transfer().size() + " texts)";
    }

    private TrainingResult run() throws IOException {
        long t0 = System.nanoTime();
        String started = Provenance.now();
        TrainingConfig tc = setup.training();
        if (tc.loop().threads() > 0) {
            Parallel.setThreads(tc.loop().threads());
        }
        Path runDir = setup.runDir();
        Start start = start();                 // a start that cannot be had fails before anything is written
        AlbertParams params = start.params().withPooling(tc.pooling());
        try {
            params.config().checkMaxlen(tc.data().maxlen(), "training.data.maxlen");
        } catch (IllegalArgumentException e) {
            params.close();                    // nothing written; the start's tensors released
            throw e;
        }
        DataSplit data = setup.data();
        // a student reads the transfer set (training texts, augmented copies, unlabelled texts) in their place
        Corpus trainTexts = setup.teacher() != null ? setup.teacher().transfer() : data.train();
        EncodedSet train = new EncodedSet(trainTexts, start.vocabulary().tokenizer(), tc.data().maxlen());
        EncodedSet val = new EncodedSet(data.val(), start.vocabulary().tokenizer(), tc.data().maxlen());
        EncodedSet test = data.test().size() > 0 ? new EncodedSet(data.test(), start.vocabulary().tokenizer(), tc.data().maxlen()) : null;
        String cut = CorpusStatistics.truncationReport(data.train(), start.vocabulary().tokenizer(), tc.data().maxlen(),
                "training texts");
        if (!cut.isEmpty()) {
            out.println("Truncation: " + cut);
        }
        String fingerprint = TrainingState.fingerprint(tc, setup.seed(), params.config().toJson(), trainTexts.texts(),
                data.val().texts(), setup.labelNames(), start.identity());
        long stepsPerEpoch = (train.size() + tc.data().batchSize() - 1) / tc.data().batchSize();
        int epochs = tc.loop().plannedEpochs(stepsPerEpoch);
        LearningRateSchedule schedule = tc.learningRate().resolve(stepsPerEpoch * epochs);
        float[] classWeights = classWeights(tc.regularisation().classWeights(), data.train().labels(), params.numClasses());
        TrainingConfig.Monitor monitor = tc.loop().monitor();
        out.println("Epochs planned: " + epochs + (tc.loop().maxEpochs() != null ? "" : " (" + stepsPerEpoch
                + " steps an epoch; the budget follows the data: at least " + tc.loop().minSteps() + " steps, "
                + TrainingConfig.Loop.FLOOR_EPOCHS + " to " + TrainingConfig.Loop.CAP_EPOCHS + " epochs)")
                + "; early stopping after " + tc.loop().patience() + " epochs without improvement");
        out.println("Learning rate: " + schedule + "; monitor " + monitor.label()
                + (classWeights == null ? "" : "; class weights " + Arrays.toString(classWeights)));
        Classification objective = new Classification(train, val, test, start, started, fingerprint, stepsPerEpoch,
                epochs, classWeights);
        try {
            var outcome = TrainingLoop.run(objective, params, new TrainingLoop.Optimiser(schedule, tc.optimiser().adamEpsilon(),
                    tc.optimiser().weightDecay(), tc.optimiser().clipNorm()), TrainingLoop.console(out));
            out.println("Stopped: " + outcome.stopReason());
            int bestEpoch = (int) (outcome.end().bestStep() / stepsPerEpoch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            History history = new History();
            outcome.end().history().forEach(history::add);
            String stillImproving = stillImproving(history, bestEpoch, epochs, tc.loop());
            if (stillImproving != null) {
                out.println(stillImproving);
            }
            writeRunInfo(runDir, outcome.stopReason(), bestEpoch, epochs, stillImproving, seconds, outcome.tokens());
            return new TrainingResult(runDir, history, bestEpoch, monitor, outcome.end().bestScore(),
                    outcome.stopReason(), seconds, outcome.tokens(), start.origin(), start.vocabulary().toString(),
                    schedule, stillImproving);
        } finally {
            params.close();
        }
    }

    /**
     * Null unless the run ended at its planned last epoch and that epoch was its best, with the monitored score
     * better than the epoch before: then the words that say so and what to try (more epochs), for the log, the
     * session record and the result.
     */
    static String stillImproving(History history, int bestEpoch, int planned, TrainingConfig.Loop loop) {
        if (history.size() < planned || bestEpoch != planned || planned < 2) {
            return null;
        }
        return "Still improving at the end of the plan: the best epoch is the last (" + planned + " of " + planned
                + "), so more epochs may help: --epochs " + (2 * planned) + " (training.loop.maxEpochs)"
                + (loop.maxEpochs() == null ? "; or a larger step budget, training.loop.minSteps" : "");
    }

    /**
     * Fine-tuning a classifier on the loop: epochs of seeded (optionally length-bucketed) batches, an evaluation on
     * the validation split at every epoch's end, the best epoch by the monitored metric kept as the run's model,
     * early stopping, and the state in {@link TrainingState}'s per-epoch form.
     */
    private final class Classification implements TrainingLoop.Objective<EpochStats> {
        private final EncodedSet train;
        private final EncodedSet val;
        private final EncodedSet test;
        private final Start start;
        private final String started;
        private final String fingerprint;
        private final long stepsPerEpoch;
        private final int epochs;
        private final float[] classWeights;
        private final TrainingConfig tc = setup.training();
        private int cachedEpoch = -1;
        private List<int[]> batches;

        Classification(EncodedSet train, EncodedSet val, EncodedSet test, Start start, String started,
                       String fingerprint, long stepsPerEpoch, int epochs, float[] classWeights) {
            this.train = train;
            this.val = val;
            this.test = test;
            this.start = start;
            this.started = started;
            this.fingerprint = fingerprint;
            this.stepsPerEpoch = stepsPerEpoch;
            this.epochs = epochs;
            this.classWeights = classWeights;
        }

        private int epochOf(long step) {
            return (int) ((step - 1) / stepsPerEpoch) + 1;
        }

        @Override
        public Path dir() {
            return setup.runDir();
        }

        @Override
        public String purpose() {
            return "training, seed " + setup.seed();
        }

        @Override
        public long steps() {
            return stepsPerEpoch * epochs;
        }

        @Override
        public boolean evaluatesAfter(long step) {
            return step % stepsPerEpoch == 0;
        }

        @Override
        public TrainingLoop.Step step(long step, AlbertParams params, AlbertParams grads) {
            int epoch = epochOf(step);
            if (epoch != cachedEpoch) {
                batches = train.epochBatches(tc.data().batchSize(), setup.seed() * 1_000_003L + epoch, tc.data().bucketByLength());
                cachedEpoch = epoch;
            }
            int[] indices = batches.get((int) ((step - 1) % stepsPerEpoch));
            EncodedSet.LabeledBatch b = train.batch(indices);
            var objective = new Regularisers.Objective(tc.regularisation().labelSmoothing(), classWeights,
                    tc.regularisation().dropout(params.config(), setup.seed(), step));
            StepResult r = setup.teacher() != null ? distillationStep(params, grads, b, indices, objective.dropout())
                    : Trainer.this.step(params, grads, b, tc, objective);
            return new TrainingLoop.Step(r.loss, indices.length, r.correct, b.batch().tokens(),
                    tc.optimiser().lazyAdam() ? Adam.distinctIds(b.batch().ids()) : null);
        }

        @Override
        public EpochStats evaluate(long step, AlbertParams params, TrainingLoop.Running since) {
            long e0 = System.nanoTime();
            Evaluation v = Evaluation.of(params, val, tc.data().evalBatchSize());
            // the test split only in the original's per-epoch log; a result reports test once, on the chosen model
            double testAcc = test == null || !tc.loop().testEveryEpoch() ? Double.NaN
                    : Evaluation.of(params, test, tc.data().evalBatchSize()).accuracy();
            return new EpochStats(epochOf(step), step, since.learningRate(), since.loss(), since.accuracy(), v.loss(),
                    v.accuracy(), v.macroF1(), testAcc, since.seconds() + (System.nanoTime() - e0) / 1e9);
        }

        @Override
        public double score(EpochStats row) {
            return switch (tc.loop().monitor()) {
                case VAL_LOSS -> row.valLoss();
                case VAL_ACCURACY -> row.valAccuracy();
                case VAL_MACRO_F1 -> row.valMacroF1();
            };
        }

        @Override
        public boolean higherIsBetter() {
            return tc.loop().monitor().higherIsBetter();
        }

        @Override
        public int patience() {
            return tc.loop().patience();
        }

        @Override
        public void keep(AlbertParams params, TrainingLoop.Position<EpochStats> at) throws IOException {
            History history = new History();
            at.history().forEach(history::add);
            saveModel(dir(), params, start, started, history, "best at epoch " + epochOf(at.step()));
        }

        @Override
        public void writeHistory(List<EpochStats> rows) throws IOException {
            History history = new History();
            rows.forEach(history::add);
            history.writeCsv(dir().resolve("history.csv"));
        }

        @Override
        public void saveState(TrainingLoop.Position<EpochStats> at, AlbertParams params, Adam adam) throws IOException {
            TrainingState.save(dir(), new TrainingState.Meta(epochOf(at.step()), at.step(), at.bestScore(),
                    (int) (at.bestStep() / stepsPerEpoch), at.badPoints(), fingerprint, at.history()), params, adam);
        }

        @Override
        public TrainingLoop.Position<EpochStats> restoreState(AlbertParams params, Adam adam) throws IOException {
            TrainingState.Meta saved = TrainingState.readMeta(dir());
            if (saved == null) {
                return null;
            }
            if (!saved.fingerprint().equals(fingerprint)) {
                throw new IOException(dir() + " holds the state of a different run (other data, settings or model);"
                        + " choose another --out folder or delete " + TrainingState.dir(dir()));
            }
            TrainingState.restore(dir(), saved, params, adam);
            return new TrainingLoop.Position<>(saved.step(), saved.bestScore(), saved.bestEpoch() * stepsPerEpoch,
                    saved.badEpochs(), saved.history());
        }

        @Override
        public String resumedAt(TrainingLoop.Position<EpochStats> at) {
            return "after epoch " + (at.step() / stepsPerEpoch) + " (step " + at.step() + ")";
        }

        @Override
        public String progressLabel(long firstStep) {
            return "epoch " + epochOf(firstStep);
        }

        @Override
        public String progressMessage(TrainingLoop.Running r) {
            return String.format(Locale.ROOT, " loss %.4f acc %.4f lr %.2e", r.loss(), r.accuracy(), r.learningRate());
        }

        @Override
        public String evaluationLine(EpochStats row, TrainingLoop.Position<EpochStats> at, boolean improved) {
            int bestEpoch = (int) (at.bestStep() / stepsPerEpoch);
            double bestAcc = at.history().get(bestEpoch - 1).valAccuracy();
            return String.format(Locale.ROOT, "epoch %d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f"
                            + " val_macro_f1 %.4f, best_val_acc %.4f (epoch %d)%s%s", row.epoch(), row.trainLoss(),
                    row.trainAccuracy(), row.valLoss(), row.valAccuracy(), row.valMacroF1(), bestAcc, bestEpoch,
                    Double.isNaN(row.testAccuracy()) ? "" : String.format(Locale.ROOT, ", test_acc %.4f", row.testAccuracy()),
                    improved ? " *" : "");
        }

        @Override
        public String capReason() {
            return "ran the " + epochs + " epochs planned";
        }

        @Override
        public String earlyStopReason(TrainingLoop.Position<EpochStats> at) {
            return "early stopping: " + tc.loop().monitor().label() + " did not improve for " + tc.loop().patience()
                    + " epochs; best epoch " + at.bestStep() / stepsPerEpoch;
        }

        @Override
        public String divergedMessage(double loss, long step) {
            int epoch = epochOf(step);
            return "loss became " + loss + " at step " + step + " (epoch " + epoch + "); the last good model is in "
                    + dir() + ", the last full state in " + TrainingState.dir(dir()) + " (epoch " + (epoch - 1) + ")";
        }
    }

    private record StepResult(double loss, int correct) {
    }

    /** Gradients of one batch into grads (zeroed first), with FGM or the gradient penalty when configured. */
    private StepResult step(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b, TrainingConfig tc,
                            Regularisers.Objective objective) {
        grads.fill(0f);
        if (tc.regularisation().fgmEpsilon() > 0) {
            return toStep(Regularisers.fgmStep(params, grads, b, tc.regularisation().fgmEpsilon(), objective));
        }
        if (tc.regularisation().gradientPenalty() > 0) {
            return toStep(Regularisers.gradientPenaltyStep(params, grads, b, tc.regularisation().gradientPenalty(), objective));
        }
        return toStep(Regularisers.plainStep(params, grads, b, objective));
    }

    /** The distillation loss's gradients of one batch of the transfer set into grads ({@link Loss#distillation}). */
    private StepResult distillationStep(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b,
                                        int[] indices, Dropout dropout) {
        Distillation.Teacher teacher = setup.teacher();
        float[][] soft = new float[indices.length][];
        boolean[] labelled = new boolean[indices.length];
        for (int i = 0; i < indices.length; i++) {
            soft[i] = teacher.teacher()[indices[i]];
            labelled[i] = teacher.labelled()[indices[i]];
        }
        try (var f = AlbertClassifier.forwardTraining(params, b.batch(), null, dropout)) {
            float[] g = new float[f.logits.size()];
            double loss = Loss.distillation(f.logits, b.labels(), soft, labelled, teacher.settings().temperature(),
                    teacher.settings().alpha(), g);
            try (Tensor d = Tensor.of(g, f.logits.rows(), f.logits.cols())) {
                AlbertClassifier.backward(params, f, d, grads);
            }
            return new StepResult(loss, Regularisers.correct(f.logits, b.labels()));
        }
    }

    /** Per-class loss weights (null: none); "balanced" gives class c the weight n / (classes x n_c). */
    static float[] classWeights(TrainingConfig.ClassWeights kind, int[] labels, int classes) {
        if (kind == TrainingConfig.ClassWeights.NONE) {
            return null;
        }
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = counts[c] == 0 ? 0f : (float) labels.length / (classes * counts[c]);
        }
        return w;
    }

    private static StepResult toStep(Regularisers.Step s) {
        return new StepResult(s.loss(), s.correct());
    }

    private void saveModel(Path runDir, AlbertParams params, Start start, String started, History history, String note)
            throws IOException {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("note", note);
        prov.put("weights_origin", start.origin());
        // the start's identity: "random", or "pretrained " + the SHA-256 of its weights file (.onnx, .safetensors,
        // or the TensorFlow index)
        prov.put("start", start.identity());
        prov.put("vocabulary", start.vocabulary().toString());
        prov.put("data", setup.dataProvenance());
        prov.put("training", setup.training());
        prov.put("seed", setup.seed());
        if (setup.teacher() != null) {
            Distillation.Teacher t = setup.teacher();
            prov.put("teacher", Map.of("identity", t.identity(), "settings", t.settings(), "transfer_texts",
                    t.transfer().size()));
        }
        prov.put("code_version", Provenance.gitCommit(setup.projectRoot()));
        prov.put("environment", Provenance.environment());
        prov.put("started", started);
        prov.put("saved", Provenance.now());
        prov.put("epochs_run", history.size());
        new SavedModel(params.config(), params.numClasses(), setup.training().data().maxlen(), setup.labelNames(),
                start.vocabulary().tokenizer().vocabulary(), prov).save(runDir, params);
    }

    private void writeRunInfo(Path runDir, String stopReason, int bestEpoch, int epochsPlanned, String stillImproving,
                              double seconds, long tokens) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("stop_reason", stopReason);
        info.put("best_epoch", bestEpoch);
        info.put("epochs_planned", epochsPlanned);
        info.put("still_improving", stillImproving != null);
        info.put("wall_seconds_this_session", Math.round(seconds * 10) / 10.0);
        info.put("train_tokens_this_session", tokens);
        info.put("train_tokens_per_s", seconds > 0 ? Math.round(tokens / seconds) : 0);
        info.put("finished", Provenance.now());
        AtomicFiles.writeString(runDir.resolve(TrainingState.SESSION_FILE), new GsonBuilder().setPrettyPrinting().create().toJson(info) + "\n");
    }


}
