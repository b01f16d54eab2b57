package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuning a classifier (or training one from a seeded random start) as an objective of the {@link TrainingLoop}:
 * epochs of seeded, optionally length-bucketed batches of the training split; cross-entropy with label smoothing and
 * class weights under this step's dropout masks, plain or with FGM or the gradient penalty ({@link Regularisers});
 * an evaluation on the validation split at every epoch's end, scored by the monitored metric.
 * {@link DistillationFineTuning} is the same objective with the teacher's loss on the transfer set.
 */
class FineTuning implements TrainingLoop.Objective<EpochStats> {
    final TrainingSetup setup;
    final TrainingConfig tc;
    final Start start;
    /** The texts the steps read, the validation split, and the test split (null when empty), encoded. */
    final Corpus trainingTexts;
    final EncodedSet train;
    final EncodedSet val;
    final EncodedSet test;
    final long stepsPerEpoch;
    /** Per-class loss weights (null: none), from the training split's label counts. */
    final float[] classWeights;
    private int cachedEpoch = -1;
    private List<int[]> batches;

    /**
     * @param start         the weights to train (the pooling of the run's settings is applied here)
     * @param trainingTexts what the steps read: the training split, or a student's transfer set
     */
    FineTuning(TrainingSetup setup, Start start, Corpus trainingTexts) {
        this.setup = setup;
        this.tc = setup.training();
        this.start = new Start(start.params().withPooling(tc.pooling()), start.vocabulary(), start.origin(),
                start.identity());
        this.trainingTexts = trainingTexts;
        var tokenizer = start.vocabulary().tokenizer();
        int maxlen = tc.data().maxlen();
        this.train = new EncodedSet(trainingTexts, tokenizer, maxlen);
        this.val = new EncodedSet(setup.data().val(), tokenizer, maxlen);
        this.test = setup.data().test().size() > 0 ? new EncodedSet(setup.data().test(), tokenizer, maxlen) : null;
        this.stepsPerEpoch = (train.size() + tc.data().batchSize() - 1) / tc.data().batchSize();
        this.classWeights = classWeights(tc.regularisation().classWeights(), setup.data().train().labels(),
                setup.labelNames().size());
    }

    /** Plain fine-tuning: from the setup's pretrained start, or from seeded random weights (said out loud). */
    static FineTuning create(TrainingSetup setup, PrintStream out) throws IOException {
        return start(setup, out).checkedMaxlen(setup.training().data().maxlen(), "training.data.maxlen").into(s -> new FineTuning(setup, s, setup.data().train()));
    }

    private static Start start(TrainingSetup setup, PrintStream out) throws IOException {
        int classes = setup.labelNames().size();
        PretrainedStart pretrained = setup.start();
        if (pretrained != null) {
            return pretrained(setup, pretrained, out);
        }
        VocabularyChoice vocab = VocabularyChoice.fromTrainingTexts(setup.data().train().texts());
        AlbertConfig config = setup.modelConfig().withVocabSize(vocab.tokenizer().vocabulary().size());
        String origin = "RANDOM INITIALISATION (seed " + setup.seed() + "): no pretrained start"
                + "; results are those of a model trained from scratch, not a fine-tuned pretrained encoder";
        out.println("WARNING: " + origin);
        return new Start(AlbertParams.initialise(config, classes, setup.seed()), vocab, origin, "random");
    }

    /** A pretrained start with a new classifier of the setup's classes, its pretraining history said when it has one. */
    static Start pretrained(TrainingSetup setup, PretrainedStart pretrained, PrintStream out) throws IOException {
        VocabularyChoice vocab = VocabularyChoice.pretrained(pretrained.vocabulary(), pretrained.name());
        var loaded = pretrained.load(setup.labelNames().size(), false, setup.seed());
        out.println("Pretrained start: " + pretrained.describe());
        out.println("Pretrained weights: " + loaded.report());
        String pretraining = pretrained.dir().isPresent() ? PretrainHistory.describe(pretrained.dir().get()) : null;
        if (pretraining != null) {
            out.println("Pretrained start: " + pretraining);
        }
        String origin = "pretrained: " + loaded.report() + "; start " + pretrained.describe()
                + (pretraining == null ? "" : "; " + pretraining);
        return new Start(loaded.params(), vocab, origin, "pretrained " + pretrained.weightsSha256());
    }

    /** The loss and gradients of one batch of the training texts (their indices in {@link #train}). */
    TrainingLoop.Step batchStep(EncodedSet.LabeledBatch b, int[] indices, Dropout dropout, AlbertParams params,
                                AlbertParams grads) {
        var loss = new Regularisers.CrossEntropy(tc.regularisation().labelSmoothing(), classWeights, dropout);
        var reg = tc.regularisation();
        if (reg.fgmEpsilon() > 0) {
            return Regularisers.fgmStep(params, grads, b, reg.fgmEpsilon(), loss);
        }
        if (reg.gradientPenalty() > 0) {
            return Regularisers.gradientPenaltyStep(params, grads, b, reg.gradientPenalty(), loss);
        }
        return Regularisers.plainStep(params, grads, b, loss);
    }

    /** What the model's provenance records of this kind of run beyond the start: data, settings, seed. */
    Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("data", setup.dataProvenance());
        facts.put("training", setup.training());
        facts.put("seed", setup.seed());
        return facts;
    }

    /** What the run's fingerprint holds beyond settings, seed and model: the texts trained and validated on. */
    String fingerprint() {
        return TrainingState.fingerprint(tc, setup.seed(), start.params().config().toJson(), trainingTexts.texts(),
                setup.data().val().texts(), setup.labelNames(), start.identity());
    }

    @Override
    public TrainingLoop.Step step(long step, AlbertParams params, AlbertParams grads) {
        int epoch = (int) ((step - 1) / stepsPerEpoch) + 1;
        if (epoch != cachedEpoch) {
            batches = train.epochBatches(tc.data().batchSize(), setup.seed() * 1_000_003L + epoch,
                    tc.data().bucketByLength());
            cachedEpoch = epoch;
        }
        int[] indices = batches.get((int) ((step - 1) % stepsPerEpoch));
        EncodedSet.LabeledBatch b = train.batch(indices);
        Dropout dropout = tc.regularisation().dropout(params.config(), setup.seed(), step);
        TrainingLoop.Step s = batchStep(b, indices, dropout, params, grads);
        return tc.optimiser().lazyAdam() ? s.lazily(Adam.distinctIds(b.batch().ids())) : s;
    }

    @Override
    public EpochStats evaluate(long step, AlbertParams params, TrainingLoop.Running since) {
        long e0 = System.nanoTime();
        Evaluation v = Evaluation.of(params, val, tc.data().evalBatchSize());
        // the test split only in the original's per-epoch log; a result reports test once, on the chosen model
        double testAcc = test == null || !tc.loop().testEveryEpoch() ? Double.NaN
                : Evaluation.of(params, test, tc.data().evalBatchSize()).accuracy();
        return new EpochStats((int) (step / stepsPerEpoch), step, since.learningRate(), since.loss(), since.measure(),
                v.loss(), v.accuracy(), v.macroF1(), testAcc, since.seconds() + (System.nanoTime() - e0) / 1e9);
    }

    @Override
    public double score(EpochStats row) {
        return switch (tc.loop().monitor()) {
            case VAL_LOSS -> row.valLoss();
            case VAL_ACCURACY -> row.valAccuracy();
            case VAL_MACRO_F1 -> row.valMacroF1();
        };
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
}
