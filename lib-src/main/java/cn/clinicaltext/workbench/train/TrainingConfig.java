package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.Setting;
import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Pooling;

import java.util.Locale;

/**
 * How a model is trained: every training setting of a run, in groups a reader thinks in, each a validated record:
 * the input ({@link Data}), the learning-rate plan ({@link LearningRatePlan}), the optimiser ({@link Optimiser}),
 * regularisation ({@link Regularisation}), the loop and its stopping rule ({@link Loop}), and what the classifier
 * reads ({@link Pooling}). The presets here are the one place that holds defaults; the CLI and the notebooks start
 * from a preset and change settings by path ({@link #with}: {@code FINE_TUNING.with("loop.maxEpochs", 5)}). In a run file they are
 * {@code training.data.maxlen}, {@code training.loop.maxEpochs}, ...; the flat names of earlier versions ({@code training.maxlen}) are still read.
 */
public record TrainingConfig(
        @Setting("what the model reads, and in what batches")
        Data data,
        @Setting("how the learning rate moves over the run")
        LearningRatePlan learningRate,
        @Setting("Adam and what is done to its step")
        Optimiser optimiser,
        @Setting("dropout, the loss's targets and weights, adversarial training")
        Regularisation regularisation,
        @Setting("how long the run is and when it stops")
        Loop loop,
        @Setting("what the classifier reads: cls (the [CLS] vector, BERT's and the original's) or mean (the mean "
            + "of each text's token vectors, padding left out)")
        Pooling pooling) {

    /**
     * What the model reads, and in what batches.
     */
    public record Data(
            @Setting("texts per update")
            int batchSize,
            @Setting("tokens per text with [CLS] and [SEP]; longer texts are cut (original: 200)")
            int maxlen,
            @Setting("group texts of similar length into batches (less padding), order still seeded")
            boolean bucketByLength,
            @Setting("texts per batch when evaluating")
            int evalBatchSize) {
        public Data {
            if (batchSize < 1 || evalBatchSize < 1) {
                throw new IllegalArgumentException("batch sizes must be positive");
            }
            if (maxlen < 3) {
                throw new IllegalArgumentException("maxlen must be at least 3 ([CLS], one token, [SEP]), got " + maxlen);
            }
        }
    }

    /**
     * Adam and what is done to its step.
     */
    public record Optimiser(
            @Setting("Adam's epsilon (bert4keras's Adam: 1e-6)")
            float adamEpsilon,
            @Setting("decoupled weight decay (AdamW, Loshchilov and Hutter 2019) on kernels and embedding "
                + "tables, not on biases or LayerNorm parameters; 0 = plain Adam")
            float weightDecay,
            @Setting("global gradient-norm clipping threshold; 0 = off")
            float clipNorm,
            @Setting("update only the word-embedding rows of the batch's tokens (their moments and weights), "
                + "as TensorFlow's LazyAdam; every other parameter as usual. Not Adam: rows of tokens "
                + "absent from a batch keep their moments instead of decaying them (docs/settings.md, "
                + "\"Short texts\")")
            boolean lazyAdam) {
        public Optimiser {
            if (!(adamEpsilon > 0)) {
                throw new IllegalArgumentException("adamEpsilon must be positive");
            }
            if (!(weightDecay >= 0) || !(clipNorm >= 0) || !Float.isFinite(weightDecay) || !Float.isFinite(clipNorm)) {
                throw new IllegalArgumentException("weightDecay and clipNorm must be finite and >= 0 (0 = off)");
            }
        }
    }

    /**
     * What keeps the model from fitting the training texts alone: dropout, the loss's targets and weights,
     * adversarial training.
     */
    public record Regularisation(
            @Setting("dropout on embeddings and sub-block outputs; null = the model config's "
                + "hidden_dropout_prob")
            Float hiddenDropout,
            @Setting("dropout on attention probabilities; null = the config's attention_probs_dropout_prob")
            Float attentionDropout,
            @Setting("dropout on the [CLS] vector before the classifier; null = the config's "
                + "hidden_dropout_prob")
            Float classifierDropout,
            @Setting("label smoothing epsilon (targets (1 - eps) one-hot + eps / classes); 0 = off")
            float labelSmoothing,
            @Setting("loss weights per class, for imbalanced data")
            ClassWeights classWeights,
            @Setting("FGM adversarial training on the token embeddings, 0 = off (original option: 0.5)")
            float fgmEpsilon,
            @Setting("gradient penalty on the embedding gradient, 0 = off (original option: 1)")
            float gradientPenalty) {
        public Regularisation {
            if (classWeights == null) {
                throw new IllegalArgumentException("classWeights must be given");
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
         * The dropout of training step {@code step} of the run seeded {@code seed}: these rates, or the model
         * config's where not set.
         */
        public Dropout dropout(AlbertConfig model, long seed, long step) {
            return Dropout.forStep(seed, step, hiddenDropout != null ? hiddenDropout : model.hiddenDropoutProb(),
                    attentionDropout != null ? attentionDropout : model.attentionDropoutProb(),
                    classifierDropout != null ? classifierDropout : model.hiddenDropoutProb());
        }
    }

    /**
     * How long the loop runs and what it keeps.
     */
    public record Loop(
            @Setting("epochs planned; early stopping usually ends sooner. The learning-rate plan's fractions "
                + "are of these epochs x batches per epoch. Null: the budget follows the data (minSteps)")
            Integer maxEpochs,
            @Setting("with maxEpochs null, the fewest optimiser steps planned: a training set of few batches "
                + "gets as many epochs as hold this many steps, at least " + FLOOR_EPOCHS + " and at "
                + "most " + CAP_EPOCHS + ". A fixed 3 epochs stopped fine-tuning on small data while it "
                + "was still learning fast (docs/results/training-budget.md)")
            int minSteps,
            @Setting("epochs without improvement of the monitored metric before stopping (original: 3)")
            int patience,
            @Setting("the validation metric that picks the best epoch and drives early stopping")
            Monitor monitor,
            @Setting("also score the test split after every epoch, in the log and the history (the original's "
                + "habit, kept to reproduce its log; nothing is selected on it). Otherwise the test split "
                + "is scored once, on the chosen model, after training")
            boolean testEveryEpoch,
            @Setting("worker threads of the engine (0: the engine's default)")
            int threads) {
        /**
         * The fewest epochs a budget that follows the data plans: the everyday preset's earlier fixed budget, so a
         * training set of minSteps / 3 batches or more trains as before (ChnSentiCorp: 195 batches of 32).
         */
        public static final int FLOOR_EPOCHS = 3;
        /**
         * The most epochs a budget that follows the data plans (a training set of a few hundred texts); early stopping
         * usually ends sooner.
         */
        public static final int CAP_EPOCHS = 30;

        public Loop {
            if (maxEpochs != null && maxEpochs < 1) {
                throw new IllegalArgumentException("maxEpochs must be positive (null: the budget follows the data),"
                        + " got " + maxEpochs);
            }
            if (minSteps < 0) {
                throw new IllegalArgumentException("minSteps must be >= 0, got " + minSteps);
            }
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be at least 1");
            }
            if (monitor == null) {
                throw new IllegalArgumentException("monitor must be given");
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0: the engine's default), got " + threads);
            }
        }

        /**
         * The epochs planned for a training set of {@code stepsPerEpoch} batches: maxEpochs when given, else as many
         * as hold minSteps optimiser steps, between {@value #FLOOR_EPOCHS} and {@value #CAP_EPOCHS}.
         */
        public int plannedEpochs(long stepsPerEpoch) {
            if (maxEpochs != null) {
                return maxEpochs;
            }
            long forSteps = (minSteps + stepsPerEpoch - 1) / Math.max(1, stepsPerEpoch);
            return (int) Math.min(CAP_EPOCHS, Math.max(FLOOR_EPOCHS, forSteps));
        }
    }

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

    /** Fine-tuning's fewest optimiser steps ({@link #FINE_TUNING}). */
    static final int FINE_TUNING_MIN_STEPS = 500;

    /**
     * The original experiment (bert4keras, albert_tiny_google_zh): Adam, 0 -> 1e-4 over 1000 steps -> 1e-5 at 2000,
     * batch 32, maxlen 200, early stopping on validation loss with patience 3, the model config's dropout (0 in
     * albert_tiny_google_zh), no weight decay or clipping.
     */
    public static final TrainingConfig ORIGINAL = Records.of(TrainingConfig.class,
            "data", Records.of(Data.class, "batchSize", 32, "maxlen", 200, "bucketByLength", true,
                    "evalBatchSize", 64),
            "learningRate", LearningRatePlan.ORIGINAL,
            "optimiser", Records.of(Optimiser.class, "adamEpsilon", 1e-6f, "weightDecay", 0f, "clipNorm", 0f,
                    "lazyAdam", false),
            "regularisation", Records.of(Regularisation.class, "hiddenDropout", null, "attentionDropout", null,
                    "classifierDropout", null, "labelSmoothing", 0f, "classWeights", ClassWeights.NONE,
                    "fgmEpsilon", 0f, "gradientPenalty", 0f),
            "loop", Records.of(Loop.class, "maxEpochs", 200, "minSteps", 0, "patience", 3,
                    "monitor", Monitor.VAL_LOSS, "testEveryEpoch", true, "threads", 0),
            "pooling", Pooling.CLS);

    /**
     * Settings for a model trained from random weights, measured on real text (docs/results): peak 5e-4 warmed
     * up over the first 10% of the run and decayed linearly to 0 at its end (8 epochs; on real data the validation
     * score peaks after 2-4), dropout 0.1 everywhere, AdamW weight decay 0.01, clipping at norm 1, early stopping
     * on validation macro-F1 with patience 3, maxlen 128, the classifier on [CLS].
     */
    public static final TrainingConfig SCRATCH = ORIGINAL.with("data.maxlen", 128, "loop.maxEpochs", 8,
            "learningRate", LearningRatePlan.warmupDecay(5e-4f, 0.1, 1.0, 0f), "loop.monitor", Monitor.VAL_MACRO_F1,
            "optimiser.weightDecay", 0.01f, "optimiser.clipNorm", 1f, "regularisation.hiddenDropout", 0.1f,
            "regularisation.attentionDropout", 0.1f, "regularisation.classifierDropout", 0.1f,
            "loop.testEveryEpoch", false);

    /**
     * Fine-tuning a pretrained start (the everyday preset's): {@link #SCRATCH} with a peak learning rate of 5e-5 and a
     * budget that follows the data: at least {@value #FINE_TUNING_MIN_STEPS} optimiser steps, 3 to 30 epochs
     * ({@link Loop#plannedEpochs}), early stopping (patience 3) doing the stopping. The learning rate was chosen on
     * validation data (docs/results/pretrained-start.md): bge-small-zh-v1.5 on 1,000 ChnSentiCorp training reviews, 3
     * epochs, validation macro-F1 0.850 at 5e-5 (still rising at epoch 3), 0.857 at 1e-4 (best at epoch 1, then
     * falling), lower at 2e-5; 5e-5 is also the middle of BERT's published grid (Devlin et al. 2019). The step budget
     * was chosen on the validation splits of TNEWS and CSLDCP (docs/results/training-budget.md); ChnSentiCorp (6,211
     * texts, 195 steps an epoch) still gets 3 epochs.
     */
    public static final TrainingConfig FINE_TUNING = SCRATCH.with("loop.maxEpochs", null,
            "loop.minSteps", FINE_TUNING_MIN_STEPS, "learningRate", LearningRatePlan.warmupDecay(5e-5f, 0.1, 1.0, 0f));

    public TrainingConfig {
        if (data == null || learningRate == null || optimiser == null || regularisation == null || loop == null
                || pooling == null) {
            throw new IllegalArgumentException("data, learningRate, optimiser, regularisation, loop and pooling must"
                    + " be given");
        }
    }

    /**
     * These settings with the ones at the given paths replaced ({@code with("loop.maxEpochs", 5, "data.maxlen", 64)}),
     * every group on a path validated again ({@link Records#with}).
     */
    public TrainingConfig with(Object... pathsAndValues) {
        return Records.with(this, pathsAndValues);
    }
}
