package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.checkpoint.SafeTensors;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.AlbertClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.HiddenStateHead;
import cn.clinicaltext.workbench.model.MaskedLmHead;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Masked-LM pretraining of the ALBERT encoder ({@link MaskedLmHead}) on unlabeled text, from scratch or continuing
 * from pretrained weights, or task-agnostic distillation of a student encoder from a teacher's final hidden states
 * ({@link HiddenStateHead}; {@link PretrainSetup#teacher()}), with the classifier's machinery: AdamW with a
 * warm-up/decay plan, clipping, dropout, a progress bar, a history, provenance, and a full state every {@code saveEvery} steps so a run killed at any
 * point (even {@code kill -9}) resumes and ends with exactly the weights of an uninterrupted run. The output folder
 * is a pretrained model {@code train --pretrained} reads: albert_config.json, vocab.txt and
 * {@value AlbertCheckpoint#SAFETENSORS_NAME} (encoder and masked-LM head by Google ALBERT name).
 */
public final class Pretrainer {
    /** What state.json records for a pretraining run. */
    record Meta(long step, String fingerprint, List<PretrainHistory.Row> history) {
    }

    /**
     * How a pretraining run ended.
     *
     * @param distilled task-agnostic distillation (the history's accuracy columns hold the cosine), not masked-LM
     */
    public record Result(Path outDir, PretrainHistory history, long steps, double seconds, long tokensTrained,
                         String origin, int vocabularySize, boolean distilled) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokensTrained / seconds : 0;
        }

        @Override
        public String toString() {
            PretrainHistory.Row last = history.size() == 0 ? null : history.rows().get(history.size() - 1);
            return String.format(Locale.ROOT, "%s: %d steps%s; %.0f s this session, %.0f tokens/s; vocabulary %d; %s",
                    outDir, steps, last == null ? "" : String.format(Locale.ROOT,
                            distilled ? ", val distillation loss %.4f cosine %.4f" : ", val MLM loss %.4f acc %.4f",
                            last.valLoss(), last.valAccuracy()),
                    seconds, tokensPerSecond(), vocabularySize, origin);
        }
    }

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final PretrainSetup setup;
    private final PrintStream out;

    private Pretrainer(PretrainSetup setup, PrintStream out) {
        this.setup = setup;
        this.out = out;
    }

    public static Result run(PretrainSetup setup) throws IOException {
        return new Pretrainer(setup, System.out).run();
    }

    private record Start(AlbertParams params, Vocabulary vocabulary, String origin, String identity) {
    }

    /** The teacher of a distillation run, loaded (its encoder alone), or null for masked-LM. */
    private AlbertParams teacher;

    private Start start() throws IOException {
        PretrainingConfig pc = setup.config();
        if (setup.teacher() != null) {
            return student();
        }
        PretrainedStart from = setup.from();
        if (from != null) {
            Vocabulary vocabulary = from.vocabulary();
            var loaded = from.load(0, true, pc.seed());
            out.println("Continuing from " + from.describe() + ": " + loaded.report());
            return new Start(loaded.params(), vocabulary, "continued from " + loaded.report() + "; start "
                    + from.describe(), "from " + from.weightsSha256());
        }
        Vocabulary vocabulary = CharVocabularyBuilder.fromTexts(setup.corpus().texts(), pc.vocabMinCount());
        AlbertConfig base = setup.modelConfig() != null ? setup.modelConfig() : AlbertConfig.ALBERT_TINY_ZH;
        AlbertConfig config = base.withVocabSize(vocabulary.size());
        String origin = "random initialisation (seed " + pc.seed() + ") with a character vocabulary of "
                + vocabulary.size() + " tokens built from the pretraining corpus (min count " + pc.vocabMinCount() + ")";
        out.println("From scratch: " + origin);
        return new Start(AlbertParams.initialise(config, 0, true, pc.seed()), vocabulary, origin, "random");
    }

    /**
     * A distillation student: the model shape of the setup (ALBERT-tiny when none) from seeded random weights with
     * the teacher's vocabulary and a projection onto the teacher's width; its word embeddings from the teacher's
     * when asked ({@link TeacherEmbeddings}).
     */
    private Start student() throws IOException {
        PretrainingConfig pc = setup.config();
        PretrainedStart from = setup.teacher().start();
        Vocabulary vocabulary = from.vocabulary();
        teacher = from.load(0, false, pc.seed()).params();
        AlbertConfig base = setup.modelConfig() != null ? setup.modelConfig() : AlbertConfig.ALBERT_TINY_ZH;
        AlbertConfig config = base.withVocabSize(vocabulary.size());
        AlbertParams student = AlbertParams.initialise(config, 0, false, teacher.config().hiddenSize(), pc.seed());
        String embeddings = "random word embeddings";
        if (setup.teacher().pcaEmbeddings()) {
            double kept;
            try {
                kept = TeacherEmbeddings.initialise(teacher.get(AlbertParams.WORD), student.get(AlbertParams.WORD));
            } catch (IllegalArgumentException e) {
                student.close();
                closeTeacher();
                throw new IllegalArgumentException("--pca-embeddings: " + e.getMessage() + "; or --no-pca-embeddings", e);
            }
            embeddings = String.format(Locale.ROOT, "word embeddings from the teacher's, projected onto their %d"
                    + " leading principal components (%.1f%% of their variance)", config.embeddingSize(), 100 * kept);
        }
        String origin = "random initialisation (seed " + pc.seed() + ", " + embeddings + "), distilled from the"
                + " final hidden states of " + from.describe();
        out.println("Distillation: " + origin);
        return new Start(student, vocabulary, origin, "random, teacher " + from.weightsSha256()
                + (setup.teacher().pcaEmbeddings() ? ", PCA embeddings" : ""));
    }

    private Result run() throws IOException {
        long t0 = System.nanoTime();
        String started = Provenance.now();
        PretrainingConfig pc = setup.config();
        if (pc.threads() > 0) {
            Parallel.setThreads(pc.threads());
        }
        Path outDir = setup.outDir();
        Start start = start();                 // a start that cannot be had fails before anything is written
        AlbertParams params = start.params();
        try {
            params.config().checkMaxlen(pc.maxlen(), "pretraining.maxlen");
            if (teacher != null) {
                teacher.config().checkMaxlen(pc.maxlen(), "pretraining.maxlen");
            }
        } catch (IllegalArgumentException e) {
            params.close();                    // nothing written; the start's tensors released
            closeTeacher();
            throw e;
        }
        int maxlen = pc.maxlen();
        MaskedLmData data = new MaskedLmData(setup.corpus().texts(), new BertTokenizer(start.vocabulary()), maxlen,
                pc.maskRate(), pc.wholeWord(), pc.valFraction(), pc.maxVal(), pc.seed());
        long stepsPerEpoch = (data.trainSize() + pc.batchSize() - 1) / pc.batchSize();
        out.printf(Locale.ROOT, "Pretraining corpus: %d texts, %d characters -> %d training sequences (%d tokens,"
                        + " %.1f epochs in %d steps), %d held out%n", setup.corpus().size(), setup.corpus().characters(),
                data.trainSize(), data.trainTokens(), (double) pc.steps() / stepsPerEpoch, pc.steps(), data.valSize());
        LearningRateSchedule schedule = pc.learningRate().resolve(pc.steps());
        String fingerprint = TrainingState.fingerprint(pc, params.config().toJson(), setup.corpus().sources(),
                start.identity());
        try {
            var outcome = TrainingLoop.run(new MaskedLm(start, data, stepsPerEpoch, started, fingerprint), params,
                    new TrainingLoop.Optimiser(schedule, pc.adamEpsilon(), pc.weightDecay(), pc.clipNorm()),
                    TrainingLoop.console(out));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long tokens = outcome.tokens();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("steps", outcome.end().step());
            info.put("wall_seconds_this_session", Math.round(seconds * 10) / 10.0);
            info.put("train_tokens_this_session", tokens);
            info.put("train_tokens_per_s", seconds > 0 ? Math.round(tokens / seconds) : 0);
            info.put("finished", Provenance.now());
            AtomicFiles.writeString(outDir.resolve(TrainingState.SESSION_FILE), PRETTY.toJson(info) + "\n");
            PretrainHistory history = new PretrainHistory(setup.teacher() != null);
            outcome.end().history().forEach(history::add);
            return new Result(outDir, history, outcome.end().step(), seconds, tokens, start.origin(),
                    start.vocabulary().size(), teacher != null);
        } finally {
            params.close();
            closeTeacher();
        }
    }

    private void closeTeacher() {
        if (teacher != null) {
            teacher.close();
            teacher = null;
        }
    }

    /**
     * Masked-LM pretraining on the loop: packed sequences with masks drawn afresh each epoch, a held-out evaluation,
     * the weights kept and the state saved every {@code saveEvery} steps (nothing is selected: every checkpoint is
     * the latest), no early stopping.
     */
    private final class MaskedLm implements TrainingLoop.Objective<PretrainHistory.Row> {
        private final Start start;
        private final MaskedLmData data;
        private final long stepsPerEpoch;
        private final String started;
        private final String fingerprint;
        private final PretrainingConfig pc = setup.config();
        private int cachedEpoch = -1;
        private List<int[]> batches;

        MaskedLm(Start start, MaskedLmData data, long stepsPerEpoch, String started, String fingerprint) {
            this.start = start;
            this.data = data;
            this.stepsPerEpoch = stepsPerEpoch;
            this.started = started;
            this.fingerprint = fingerprint;
        }

        @Override
        public Path dir() {
            return setup.outDir();
        }

        @Override
        public String purpose() {
            return (teacher != null ? "task-agnostic distillation" : "masked-LM pretraining") + ", seed " + pc.seed();
        }

        @Override
        public long steps() {
            return pc.steps();
        }

        @Override
        public boolean evaluatesAfter(long step) {
            return step % pc.saveEvery() == 0;
        }

        @Override
        public TrainingLoop.Step step(long step, AlbertParams params, AlbertParams grads) {
            int epoch = (int) ((step - 1) / stepsPerEpoch) + 1;
            if (epoch != cachedEpoch) {
                batches = data.epochBatches(pc.batchSize(), epoch);
                cachedEpoch = epoch;
            }
            int[] indices = batches.get((int) ((step - 1) % stepsPerEpoch));
            if (teacher != null) {
                // distillation reads the packed sequences whole (no masks); the accuracy slot holds the cosine
                Batch b = data.trainSequences(indices);
                int[] tokens = realTokens(b);
                try (Tensor target = teacherStates(b, tokens);
                     var f = AlbertClassifier.forwardTraining(params, b, null, pc.dropoutAt(step))) {
                    HiddenStateHead.Result r = HiddenStateHead.lossAndBackward(params, f, tokens, target, grads);
                    // the loop reports correct / predicted: the cosine times the positions gives their mean cosine
                    return new TrainingLoop.Step(r.loss(), r.positions(), (int) Math.round(r.cosine() * r.positions()),
                            b.tokens(), null);
                }
            }
            MaskedLmData.MaskedBatch mb = data.trainBatch(indices, epoch);
            try (var f = AlbertClassifier.forwardTraining(params, mb.batch(), null, pc.dropoutAt(step))) {
                MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(params, f, mb.positions(), mb.targets(), grads);
                return new TrainingLoop.Step(r.loss(), r.predicted(), r.correct(), mb.batch().tokens(), null);
            }
        }

        @Override
        public PretrainHistory.Row evaluate(long step, AlbertParams params, TrainingLoop.Running since) {
            MaskedLmHead.Result v = teacher != null ? validateDistillation(params, data, pc.batchSize())
                    : validate(params, data, pc.batchSize());
            return new PretrainHistory.Row(step, (double) step / stepsPerEpoch, since.learningRate(), since.loss(),
                    since.accuracy(), v.loss(), v.accuracy(), since.seconds());
        }

        @Override
        public double score(PretrainHistory.Row row) {
            return Double.NaN;
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }

        @Override
        public int patience() {
            return 0;
        }

        @Override
        public void begin(TrainingLoop.Position<PretrainHistory.Row> at) throws IOException {
            // config and vocabulary do not change during the run: written once, before any weights
            AtomicFiles.writeString(dir().resolve("albert_config.json"),
                    PRETTY.toJson(start.params().config().toJson()) + "\n");
            start.vocabulary().save(dir().resolve("vocab.txt"));
        }

        @Override
        public void keep(AlbertParams params, TrainingLoop.Position<PretrainHistory.Row> at) throws IOException {
            save(dir(), params, start, data, started, at.step());
        }

        @Override
        public void writeHistory(List<PretrainHistory.Row> rows) throws IOException {
            PretrainHistory history = new PretrainHistory(setup.teacher() != null);
            rows.forEach(history::add);
            history.writeCsv(dir().resolve("history.csv"));
        }

        @Override
        public void saveState(TrainingLoop.Position<PretrainHistory.Row> at, AlbertParams params, Adam adam)
                throws IOException {
            TrainingState.save(dir(), "s" + at.step(), TrainingState.GSON.toJson(new Meta(at.step(), fingerprint,
                    at.history())), params, adam);
        }

        @Override
        public TrainingLoop.Position<PretrainHistory.Row> restoreState(AlbertParams params, Adam adam)
                throws IOException {
            Meta saved = TrainingState.readMeta(dir(), Meta.class);
            if (saved == null) {
                return null;
            }
            if (!saved.fingerprint().equals(fingerprint)) {
                throw new IOException(dir() + " holds the state of a different pretraining run (other corpus,"
                        + " settings or model); choose another --out folder or delete " + TrainingState.dir(dir()));
            }
            TrainingState.restore(dir(), "s" + saved.step(), params, adam);
            return new TrainingLoop.Position<>(saved.step(), Double.NaN, saved.step(), 0, saved.history());
        }

        @Override
        public String resumedAt(TrainingLoop.Position<PretrainHistory.Row> at) {
            return "at step " + at.step();
        }

        @Override
        public String progressLabel(long firstStep) {
            return "pretrain " + firstStep + "-" + Math.min(pc.steps(), firstStep + pc.saveEvery() - 1);
        }

        @Override
        public String progressMessage(TrainingLoop.Running r) {
            return String.format(Locale.ROOT, teacher != null ? " distil loss %.4f cosine %.4f lr %.2e"
                    : " mlm loss %.4f acc %.4f lr %.2e", r.loss(), r.accuracy(), r.learningRate());
        }

        @Override
        public String evaluationLine(PretrainHistory.Row row, TrainingLoop.Position<PretrainHistory.Row> at,
                                     boolean improved) {
            return String.format(Locale.ROOT, teacher != null
                            ? "step %d: distil loss %.4f cosine %.4f | val distil loss %.4f cosine %.4f, lr %.2e"
                            : "step %d: mlm loss %.4f acc %.4f | val mlm loss %.4f acc %.4f, lr %.2e",
                    row.step(), row.trainLoss(), row.trainAccuracy(), row.valLoss(), row.valAccuracy(),
                    row.learningRate());
        }

        @Override
        public String capReason() {
            return "reached step " + pc.steps();
        }

        @Override
        public String earlyStopReason(TrainingLoop.Position<PretrainHistory.Row> at) {
            return capReason();
        }

        @Override
        public String divergedMessage(double loss, long step) {
            return (teacher != null ? "distillation" : "masked-LM") + " loss became " + loss + " at step " + step + "; the last full state is in "
                    + TrainingState.dir(dir());
        }
    }

    /**
     * The targets of a batch: the teacher's final hidden states at the given rows (the batch's real tokens),
     * standardised per dimension ({@link HiddenStateHead#standardise}), [rows, teacher width].
     */
    private Tensor teacherStates(Batch b, int[] tokens) {
        try (var f = AlbertClassifier.forward(teacher, b, null, false)) {
            Tensor states = Tensor.gatherRows(f.output(), tokens);
            HiddenStateHead.standardise(states);
            return states;
        }
    }

    /** Rows of the padded batch (row-major) that hold a token, not padding. */
    private static int[] realTokens(Batch b) {
        int n = 0;
        for (float m : b.mask()) {
            n += m > 0 ? 1 : 0;
        }
        int[] rows = new int[n];
        int k = 0;
        for (int i = 0; i < b.mask().length; i++) {
            if (b.mask()[i] > 0) {
                rows[k++] = i;
            }
        }
        return rows;
    }

    /**
     * Distillation loss over the held-out sequences (no dropout), as a masked-LM result: mean loss per element, and
     * the mean cosine of projected student and teacher states in the accuracy's place.
     */
    private MaskedLmHead.Result validateDistillation(AlbertParams params, MaskedLmData data, int batchSize) {
        double loss = 0;
        double cosine = 0;
        int positions = 0;
        for (Batch b : data.valSequences(batchSize)) {
            int[] tokens = realTokens(b);
            try (Tensor target = teacherStates(b, tokens); var f = AlbertClassifier.forward(params, b, null, false)) {
                HiddenStateHead.Result r = HiddenStateHead.lossAndBackward(params, f, tokens, target, null);
                loss += r.loss() * r.positions();
                cosine += r.cosine() * r.positions();
                positions += r.positions();
            }
        }
        return new MaskedLmHead.Result(positions == 0 ? 0 : loss / positions, (int) Math.round(cosine), positions);
    }

    /** Masked-LM loss and accuracy over the held-out sequences (fixed masks, no dropout). */
    static MaskedLmHead.Result validate(AlbertParams params, MaskedLmData data, int batchSize) {
        double loss = 0;
        int correct = 0;
        int predicted = 0;
        for (MaskedLmData.MaskedBatch b : data.valBatches(batchSize)) {
            try (var f = AlbertClassifier.forward(params, b.batch(), null, false)) {
                MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(params, f, b.positions(), b.targets(), null);
                loss += r.loss() * r.predicted();
                correct += r.correct();
                predicted += r.predicted();
            }
        }
        return new MaskedLmHead.Result(predicted == 0 ? 0 : loss / predicted, correct, predicted);
    }

    /** The weights at a checkpoint: provenance first, the weights last (both atomic; config and vocabulary are there). */
    private void save(Path dir, AlbertParams params, Start start, MaskedLmData data, String started, long step)
            throws IOException {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("what", (setup.teacher() != null ? "task-agnostic distillation (the teacher's final hidden states;"
                + " history: train_cosine and val_cosine are the mean cosine of projected student and teacher states)"
                : "masked-LM pretraining") + ", weights after step " + step + " of " + setup.config().steps());
        prov.put("weights_origin", start.origin());
        prov.put("start", start.identity());
        prov.put("corpus", setup.corpus().sources());
        prov.put("sequences", Map.of("train", data.trainSize(), "validation", data.valSize(),
                "train_tokens", data.trainTokens()));
        prov.put("pretraining", setup.config());
        prov.put("code_version", Provenance.gitCommit(setup.projectRoot()));
        prov.put("environment", Provenance.environment());
        prov.put("started", started);
        prov.put("saved", Provenance.now());
        AtomicFiles.writeString(dir.resolve("provenance.json"), PRETTY.toJson(prov) + "\n");
        SafeTensors.write(dir.resolve(AlbertCheckpoint.SAFETENSORS_NAME), params.startTensors(),
                Map.of("format", "albert-workbench-pretrained", "step", String.valueOf(step)));
    }
}
