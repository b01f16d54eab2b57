package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Pooling;

import java.util.Locale;

/**
 * How a model is trained: every setting of a run, in one validated record. The presets here are the one place
 * that holds defaults; the CLI and the notebooks start from a preset and change fields by name
 * ({@link #toBuilder()} or the {@code with...} shorthands).
 *
 * @param batchSize         texts per update
 * @param maxlen            tokens per text with [CLS] and [SEP]; longer texts are cut (original: 200)
 * @param maxEpochs         cap on epochs; early stopping usually ends sooner. The learning-rate plan's fractions
 *                          are of maxEpochs x batches per epoch
 * @param learningRate      warm-up and decay of the learning rate (original: 0 -> 1e-4 over 1000 steps -> 1e-5 at 2000)
 * @param patience          epochs without improvement of the monitored metric before stopping (original: 3)
 * @param monitor           the validation metric that picks the best epoch and drives early stopping
 * @param threads           worker threads of the engine (0: the engine's default)
 * @param adamEpsilon       Adam's epsilon (bert4keras's Adam: 1e-6)
 * @param weightDecay       decoupled weight decay (AdamW, Loshchilov and Hutter 2019) on kernels and embedding
 *                          tables, not on biases or LayerNorm parameters; 0 = plain Adam
 * @param clipNorm          global gradient-norm clipping threshold; 0 = off
 * @param labelSmoothing    label smoothing epsilon (targets (1 - eps) one-hot + eps / classes); 0 = off
 * @param classWeights      loss weights per class, for imbalanced data
 * @param hiddenDropout     dropout on embeddings and sub-block outputs; null = the model config's hidden_dropout_prob
 * @param attentionDropout  dropout on attention probabilities; null = the config's attention_probs_dropout_prob
 * @param classifierDropout dropout on the [CLS] vector before the classifier; null = the config's hidden_dropout_prob
 * @param fgmEpsilon        FGM adversarial training on the token embeddings, 0 = off (original option: 0.5)
 * @param gradientPenalty   gradient penalty on the embedding gradient, 0 = off (original option: 1)
 * @param bucketByLength    group texts of similar length into batches (less padding), order still seeded
 * @param evalBatchSize     texts per batch when evaluating
 * @param pooling           what the classifier reads: the [CLS] vector (original) or the mean over the tokens
 * @param lazyAdam          update only the word-embedding rows of the batch's tokens (their moments and weights),
 *                          as TensorFlow's LazyAdam; every other parameter as usual. Not Adam: rows of tokens absent
 *                          from a batch keep their moments instead of decaying them (README, "Short texts")
 * @param testEveryEpoch    also score the test split after every epoch, in the log and the history (the original's
 *                          habit, kept to reproduce its log; nothing is selected on it). Otherwise the test split is
 *                          scored once, on the chosen model, after training
 */
public record TrainingConfig(int batchSize, int maxlen, int maxEpochs, LearningRatePlan learningRate, int patience,
                             Monitor monitor, int threads, float adamEpsilon, float weightDecay,
                             float clipNorm, float labelSmoothing, ClassWeights classWeights, Float hiddenDropout,
                             Float attentionDropout, Float classifierDropout, float fgmEpsilon, float gradientPenalty,
                             boolean bucketByLength, int evalBatchSize, Pooling pooling, boolean lazyAdam,
                             boolean testEveryEpoch) {

    /** The validation metric that selects the best epoch. */
    public enum Monitor {
        VAL_LOSS, VAL_ACCURACY, VAL_MACRO_F1;

        /** Whether a larger value is better. */
        public boolean higherIsBetter() {
            return this != VAL_LOSS;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Per-class loss weights. */
    public enum ClassWeights {
        /** every text counts the same */
        NONE,
        /** n / (classes x n_c), as scikit-learn's "balanced": each class contributes equally to the loss */
        BALANCED
    }

    /**
     * The original experiment (bert4keras, albert_tiny_google_zh): Adam, 0 -> 1e-4 over 1000 steps -> 1e-5 at 2000,
     * batch 32, maxlen 200, early stopping on validation loss with patience 3, the model config's dropout (0 in
     * albert_tiny_google_zh), no weight decay or clipping.
     */
    public static final TrainingConfig ORIGINAL = new TrainingConfig(32, 200, 200, LearningRatePlan.ORIGINAL, 3,
            Monitor.VAL_LOSS, 0, 1e-6f, 0f, 0f, 0f, ClassWeights.NONE, null, null, null, 0f, 0f, true, 64, Pooling.CLS,
            false, true);

    /**
     * Settings for a model trained from random weights, measured on real text (docs/results): peak 5e-4 warmed
     * up over the first 10% of the run and decayed linearly to 0 at its end (8 epochs; on real data the validation
     * score peaks after 2-4), dropout 0.1 everywhere, AdamW weight decay 0.01, clipping at norm 1, early stopping
     * on validation macro-F1 with patience 3, maxlen 128, the classifier on [CLS].
     */
    public static final TrainingConfig DEFAULT = ORIGINAL.toBuilder()
            .maxlen(128).maxEpochs(8).learningRate(LearningRatePlan.warmupDecay(5e-4f, 0.1, 1.0, 0f))
            .monitor(Monitor.VAL_MACRO_F1).weightDecay(0.01f).clipNorm(1f)
            .hiddenDropout(0.1f).attentionDropout(0.1f).classifierDropout(0.1f).testEveryEpoch(false).build();

    /**
     * Fine-tuning a pretrained start (the everyday preset's): {@link #DEFAULT} with a peak learning rate of 5e-5 and
     * 3 epochs. Chosen on validation data (docs/results/pretrained-start.md): bge-small-zh-v1.5 on 1,000 ChnSentiCorp
     * training reviews, 3 epochs, validation macro-F1 0.850 at 5e-5 (still rising at epoch 3), 0.857 at 1e-4 (best at
     * epoch 1, then falling), lower at 2e-5; 5e-5 is also the middle of BERT's published grid (Devlin et al. 2019).
     */
    public static final TrainingConfig FINE_TUNING = DEFAULT.toBuilder().maxEpochs(3)
            .learningRate(LearningRatePlan.warmupDecay(5e-5f, 0.1, 1.0, 0f)).build();

    public TrainingConfig {
        if (batchSize < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("batch sizes must be positive");
        }
        if (maxlen < 3) {
            throw new IllegalArgumentException("maxlen must be at least 3 ([CLS], one token, [SEP]), got " + maxlen);
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be positive");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1");
        }
        if (learningRate == null || monitor == null || classWeights == null || pooling == null) {
            throw new IllegalArgumentException("learningRate, monitor, classWeights and pooling must be given");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: the engine's default), got " + threads);
        }
        if (!(adamEpsilon > 0)) {
            throw new IllegalArgumentException("adamEpsilon must be positive");
        }
        if (!(weightDecay >= 0) || !(clipNorm >= 0) || !Float.isFinite(weightDecay) || !Float.isFinite(clipNorm)) {
            throw new IllegalArgumentException("weightDecay and clipNorm must be finite and >= 0 (0 = off)");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
        }
        for (Float p : new Float[]{hiddenDropout, attentionDropout, classifierDropout}) {
            if (p != null && !(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout rates must be in [0, 1), got " + p);
            }
        }
        if (!(fgmEpsilon >= 0) || !(gradientPenalty >= 0)) {
            throw new IllegalArgumentException("fgmEpsilon and gradientPenalty must be >= 0 (0 = off)");
        }
        if (fgmEpsilon > 0 && gradientPenalty > 0) {
            throw new IllegalArgumentException("use FGM or the gradient penalty, not both");
        }
    }

    /**
     * The dropout of training step {@code step} of the run seeded {@code seed}: this config's rates, or the model
     * config's where not set.
     */
    public Dropout dropout(AlbertConfig model, long seed, long step) {
        return Dropout.forStep(seed, step, hiddenDropout != null ? hiddenDropout : model.hiddenDropoutProb(),
                attentionDropout != null ? attentionDropout : model.attentionDropoutProb(),
                classifierDropout != null ? classifierDropout : model.hiddenDropoutProb());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public TrainingConfig withEpochs(int e) {
        return toBuilder().maxEpochs(e).build();
    }

    public TrainingConfig withBatchSize(int b) {
        return toBuilder().batchSize(b).build();
    }

    public TrainingConfig withMaxlen(int m) {
        return toBuilder().maxlen(m).build();
    }

    public TrainingConfig withLearningRate(LearningRatePlan plan) {
        return toBuilder().learningRate(plan).build();
    }

    public TrainingConfig withSchedule(LearningRateSchedule s) {
        return toBuilder().learningRate(LearningRatePlan.fixed(s)).build();
    }

    public TrainingConfig withFgm(float epsilon) {
        return toBuilder().fgmEpsilon(epsilon).build();
    }

    public TrainingConfig withGradientPenalty(float epsilon) {
        return toBuilder().gradientPenalty(epsilon).build();
    }

    /** Named construction: start from a preset, set what differs, {@link #build()} validates. */
    public static final class Builder {
        private int batchSize;
        private int maxlen;
        private int maxEpochs;
        private LearningRatePlan learningRate;
        private int patience;
        private Monitor monitor;
        private int threads;
        private float adamEpsilon;
        private float weightDecay;
        private float clipNorm;
        private float labelSmoothing;
        private ClassWeights classWeights;
        private Float hiddenDropout;
        private Float attentionDropout;
        private Float classifierDropout;
        private float fgmEpsilon;
        private float gradientPenalty;
        private boolean bucketByLength;
        private boolean lazyAdam;
        private boolean testEveryEpoch;
        private int evalBatchSize;
        private Pooling pooling;

        private Builder(TrainingConfig c) {
            batchSize = c.batchSize;
            maxlen = c.maxlen;
            maxEpochs = c.maxEpochs;
            learningRate = c.learningRate;
            patience = c.patience;
            monitor = c.monitor;
            threads = c.threads;
            adamEpsilon = c.adamEpsilon;
            weightDecay = c.weightDecay;
            clipNorm = c.clipNorm;
            labelSmoothing = c.labelSmoothing;
            classWeights = c.classWeights;
            hiddenDropout = c.hiddenDropout;
            attentionDropout = c.attentionDropout;
            classifierDropout = c.classifierDropout;
            fgmEpsilon = c.fgmEpsilon;
            gradientPenalty = c.gradientPenalty;
            bucketByLength = c.bucketByLength;
            lazyAdam = c.lazyAdam;
            testEveryEpoch = c.testEveryEpoch;
            evalBatchSize = c.evalBatchSize;
            pooling = c.pooling;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxlen(int v) {
            maxlen = v;
            return this;
        }

        public Builder maxEpochs(int v) {
            maxEpochs = v;
            return this;
        }

        public Builder learningRate(LearningRatePlan v) {
            learningRate = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder monitor(Monitor v) {
            monitor = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder adamEpsilon(float v) {
            adamEpsilon = v;
            return this;
        }

        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        public Builder clipNorm(float v) {
            clipNorm = v;
            return this;
        }

        public Builder labelSmoothing(float v) {
            labelSmoothing = v;
            return this;
        }

        public Builder classWeights(ClassWeights v) {
            classWeights = v;
            return this;
        }

        /** Sets all three dropout rates (null: the model config's). */
        public Builder dropout(Float v) {
            hiddenDropout = v;
            attentionDropout = v;
            classifierDropout = v;
            return this;
        }

        public Builder hiddenDropout(Float v) {
            hiddenDropout = v;
            return this;
        }

        public Builder attentionDropout(Float v) {
            attentionDropout = v;
            return this;
        }

        public Builder classifierDropout(Float v) {
            classifierDropout = v;
            return this;
        }

        public Builder fgmEpsilon(float v) {
            fgmEpsilon = v;
            return this;
        }

        public Builder gradientPenalty(float v) {
            gradientPenalty = v;
            return this;
        }

        public Builder testEveryEpoch(boolean v) {
            testEveryEpoch = v;
            return this;
        }

        public Builder lazyAdam(boolean v) {
            lazyAdam = v;
            return this;
        }

        public Builder bucketByLength(boolean v) {
            bucketByLength = v;
            return this;
        }

        public Builder evalBatchSize(int v) {
            evalBatchSize = v;
            return this;
        }

        public Builder pooling(Pooling v) {
            pooling = v;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(batchSize, maxlen, maxEpochs, learningRate, patience, monitor, threads,
                    adamEpsilon, weightDecay, clipNorm, labelSmoothing, classWeights, hiddenDropout, attentionDropout,
                    classifierDropout, fgmEpsilon, gradientPenalty, bucketByLength, evalBatchSize, pooling, lazyAdam,
                    testEveryEpoch);
        }
    }
}
