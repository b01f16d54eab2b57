package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.CorpusStatistics;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.FolderLock;
import cn.clinicaltext.workbench.io.Progress;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;
import com.google.gson.GsonBuilder;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
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
            VocabularyChoice vocab = VocabularyChoice.pretrained(pretrained.vocabulary(), pretrained.name());
            var loaded = pretrained.load(classes, false, tc.seed());
            out.println("Pretrained start: " + pretrained.describe());
            out.println("Pretrained weights: " + loaded.report());
            String pretraining = pretrained.dir().isPresent() ? PretrainHistory.describe(pretrained.dir().get()) : null;
            if (pretraining != null) {
                out.println("Pretrained start: " + pretraining);
            }
            return new Start(loaded.params(), vocab, "pretrained: " + loaded.report() + "; start " + pretrained.describe()
                    + (pretraining == null ? "" : "; " + pretraining), "pretrained " + pretrained.weightsSha256());
        }
        VocabularyChoice vocab = VocabularyChoice.fromTrainingTexts(setup.data().train().texts());
        AlbertConfig base = setup.modelConfig() != null ? setup.modelConfig() : AlbertConfig.ALBERT_TINY_ZH;
        AlbertConfig config = base.withVocabSize(vocab.tokenizer().vocabulary().size());
        String origin = "RANDOM INITIALISATION (seed " + tc.seed() + "): no pretrained start"
                + "; results are those of a model trained from scratch, not a fine-tuned pretrained encoder";
        out.println("WARNING: " + origin);
        return new Start(AlbertParams.initialise(config, classes, tc.seed()), vocab, origin, "random");
    }

    private TrainingResult run() throws IOException {
        long t0 = System.nanoTime();
        String started = Provenance.now();
        TrainingConfig tc = setup.training();
        if (tc.threads() > 0) {
            Parallel.setThreads(tc.threads());
        }
        Path runDir = setup.runDir();
        Start start = start();                 // a start that cannot be had fails before anything is written
        AlbertParams params = start.params().withPooling(tc.pooling());
        try {
            params.config().checkMaxlen(tc.maxlen(), "training.maxlen");
        } catch (IllegalArgumentException e) {
            params.close();                    // nothing written; the start's tensors released
            throw e;
        }
        DataSplit data = setup.data();
        EncodedSet train = new EncodedSet(data.train(), start.vocabulary().tokenizer(), tc.maxlen());
        EncodedSet val = new EncodedSet(data.val(), start.vocabulary().tokenizer(), tc.maxlen());
        EncodedSet test = data.test().size() > 0 ? new EncodedSet(data.test(), start.vocabulary().tokenizer(), tc.maxlen()) : null;
        String cut = CorpusStatistics.truncationReport(data.train(), start.vocabulary().tokenizer(), tc.maxlen(),
                "training texts");
        if (!cut.isEmpty()) {
            out.println("Truncation: " + cut);
        }
        String fingerprint = TrainingState.fingerprint(tc, params.config().toJson(), data.train().texts(),
                data.val().texts(), setup.labelNames(), start.identity());
        History history = new History();
        long tokensTrained = 0;
        long stepsPerEpoch = (train.size() + tc.batchSize() - 1) / tc.batchSize();
        LearningRateSchedule schedule = tc.learningRate().resolve(stepsPerEpoch * tc.maxEpochs());
        float[] classWeights = classWeights(tc.classWeights(), data.train().labels(), params.numClasses());
        TrainingConfig.Monitor monitor = tc.monitor();
        out.println("Learning rate: " + schedule + "; monitor " + monitor.label()
                + (classWeights == null ? "" : "; class weights " + Arrays.toString(classWeights)));
        // one writer per run folder (a second run into it is refused; the lock ends with its process)
        try (FolderLock lock = FolderLock.acquire(runDir, "training, seed " + tc.seed());
             AlbertParams grads = params.zerosLike(); Adam adam = new Adam(params, 0.9f, 0.999f, tc.adamEpsilon())) {
            int firstEpoch = 1;
            long step = 0;
            double bestScore = monitor.higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int badEpochs = 0;
            TrainingState.Meta saved = TrainingState.readMeta(runDir);
            if (saved != null && saved.fingerprint().equals(fingerprint)) {
                TrainingState.restore(runDir, saved, params, adam);
                saved.history().forEach(history::add);
                firstEpoch = saved.epoch() + 1;
                step = saved.step();
                bestScore = saved.bestScore();
                bestEpoch = saved.bestEpoch();
                badEpochs = saved.badEpochs();
                out.println("Resuming " + runDir + " after epoch " + saved.epoch() + " (step " + step + ")");
            } else if (saved != null) {
                throw new IOException(runDir + " holds the state of a different run (other data, settings or model);"
                        + " choose another --out folder or delete " + TrainingState.dir(runDir));
            }
            String stopReason = "reached the epoch cap of " + tc.maxEpochs();
            boolean finished = saved != null && badEpochs >= tc.patience();
            if (finished) {
                stopReason = "early stopping (already finished before)";
            }
            for (int epoch = firstEpoch; epoch <= tc.maxEpochs() && !finished; epoch++) {
                long e0 = System.nanoTime();
                List<int[]> batches = train.epochBatches(tc.batchSize(), tc.seed() * 1_000_003L + epoch, tc.bucketByLength());
                double lossSum = 0;
                int correct = 0;
                int seen = 0;
                double lr = 0;
                try (ProgressBar bar = Progress.bar("epoch " + epoch, batches.size())) {
                    for (int[] indices : batches) {
                        EncodedSet.LabeledBatch b = train.batch(indices);
                        step++;
                        lr = schedule.rate(step);
                        var objective = new Regularisers.Objective(tc.labelSmoothing(), classWeights,
                                tc.dropout(params.config(), step));
                        StepResult r = step(params, grads, b, tc, objective);
                        if (!Double.isFinite(r.loss)) {
                            throw new TrainingDivergedException("loss became " + r.loss + " at step " + step + " (epoch "
                                    + epoch + "); the last good model is in " + runDir + ", the last full state in "
                                    + TrainingState.dir(runDir) + " (epoch " + (epoch - 1) + ")");
                        }
                        if (tc.clipNorm() > 0) {
                            Adam.clipGlobalNorm(grads, tc.clipNorm());
                        }
                        adam.update(params, grads, (float) lr, tc.weightDecay(),
                                tc.lazyAdam() ? Adam.distinctIds(b.batch().ids()) : null);
                        lossSum += r.loss * indices.length;
                        correct += r.correct;
                        seen += indices.length;
                        tokensTrained += b.batch().tokens();
                        bar.step();
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f lr %.2e", lossSum / seen,
                                (double) correct / seen, lr));
                    }
                }
                Evaluation v = Evaluation.of(params, val, tc.evalBatchSize());
                double testAcc = test == null ? Double.NaN : Evaluation.of(params, test, tc.evalBatchSize()).accuracy();
                double valF1 = v.macroF1();
                EpochStats stats = new EpochStats(epoch, step, lr, lossSum / seen, (double) correct / seen, v.loss(),
                        v.accuracy(), valF1, testAcc, (System.nanoTime() - e0) / 1e9);
                history.add(stats);
                double score = switch (monitor) {
                    case VAL_LOSS -> v.loss();
                    case VAL_ACCURACY -> v.accuracy();
                    case VAL_MACRO_F1 -> valF1;
                };
                boolean improved = monitor.higherIsBetter() ? score > bestScore : score < bestScore;
                if (improved) {
                    bestScore = score;
                    bestEpoch = epoch;
                    badEpochs = 0;
                    saveModel(runDir, params, start, started, history, "best at epoch " + epoch);
                } else {
                    badEpochs++;
                }
                history.writeCsv(runDir.resolve("history.csv"));
                TrainingState.save(runDir, new TrainingState.Meta(epoch, step, bestScore, bestEpoch, badEpochs,
                        fingerprint, history.rows()), params, adam);
                double bestAcc = history.rows().get(bestEpoch - 1).valAccuracy();
                out.printf(Locale.ROOT, "epoch %d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f val_macro_f1 %.4f,"
                                + " best_val_acc %.4f (epoch %d)%s%s%n", epoch, stats.trainLoss(), stats.trainAccuracy(),
                        v.loss(), v.accuracy(), valF1, bestAcc, bestEpoch, test == null ? "" : String.format(Locale.ROOT, ", test_acc %.4f", testAcc),
                        improved ? " *" : "");
                if (badEpochs >= tc.patience()) {
                    stopReason = "early stopping: " + monitor.label() + " did not improve for " + tc.patience()
                            + " epochs; best epoch " + bestEpoch;
                    finished = true;
                }
            }
            out.println("Stopped: " + stopReason);
            double seconds = (System.nanoTime() - t0) / 1e9;
            writeRunInfo(runDir, stopReason, bestEpoch, seconds, tokensTrained);
            return new TrainingResult(runDir, history, bestEpoch, monitor, bestScore, stopReason, seconds, tokensTrained,
                    start.origin(), start.vocabulary().toString(), schedule);
        } finally {
            params.close();
        }
    }

    private record StepResult(double loss, int correct) {
    }

    /** Gradients of one batch into grads (zeroed first), with FGM or the gradient penalty when configured. */
    private StepResult step(AlbertParams params, AlbertParams grads, EncodedSet.LabeledBatch b, TrainingConfig tc,
                            Regularisers.Objective objective) {
        grads.fill(0f);
        if (tc.fgmEpsilon() > 0) {
            return toStep(Regularisers.fgmStep(params, grads, b, tc.fgmEpsilon(), objective));
        }
        if (tc.gradientPenalty() > 0) {
            return toStep(Regularisers.gradientPenaltyStep(params, grads, b, tc.gradientPenalty(), objective));
        }
        return toStep(Regularisers.plainStep(params, grads, b, objective));
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
        prov.put("code_version", Provenance.gitCommit(setup.projectRoot()));
        prov.put("environment", Provenance.environment());
        prov.put("started", started);
        prov.put("saved", Provenance.now());
        prov.put("epochs_run", history.size());
        new SavedModel(params.config(), params.numClasses(), setup.training().maxlen(), setup.labelNames(),
                start.vocabulary().tokenizer().vocabulary(), prov).save(runDir, params);
    }

    private void writeRunInfo(Path runDir, String stopReason, int bestEpoch, double seconds, long tokens) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("stop_reason", stopReason);
        info.put("best_epoch", bestEpoch);
        info.put("wall_seconds_this_session", Math.round(seconds * 10) / 10.0);
        info.put("train_tokens_this_session", tokens);
        info.put("train_tokens_per_s", seconds > 0 ? Math.round(tokens / seconds) : 0);
        info.put("finished", Provenance.now());
        AtomicFiles.writeString(runDir.resolve("run.json"), new GsonBuilder().setPrettyPrinting().create().toJson(info) + "\n");
    }


    /** Loss became NaN or infinite. */
    public static final class TrainingDivergedException extends IOException {
        public TrainingDivergedException(String message) {
            super(message);
        }
    }

    static float l2(Tensor t) {
        FloatBuffer b = t.buffer();
        double s = 0;
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = b.get(i);
            s += v * v;
        }
        return (float) Math.sqrt(s);
    }

    static int correct(Tensor logits, int[] labels) {
        float[] p = Loss.softmax(logits);
        int k = logits.cols();
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            c += Loss.argmax(p, i * k, k) == labels[i] ? 1 : 0;
        }
        return c;
    }
}
