package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.io.Setting;
import cn.clinicaltext.workbench.model.Dropout;

/**
 * How masked-LM pretraining runs; {@link #DEFAULT} is the one place that holds its defaults.
 */
public record PretrainingConfig(
        @Setting("tokens per packed sequence")
        int maxlen,
        @Setting("sequences per update")
        int batchSize,
        @Setting("optimiser steps of the whole run (the learning-rate plan's fractions are of these)")
        long steps,
        @Setting("warm-up and decay of the learning rate")
        LearningRatePlan learningRate,
        @Setting("Adam(W) and what is done to its step: the fine-tuning settings' group (lazyAdam must be false: "
            + "the masked-LM head's output weights are the word embeddings, so every row has a gradient)")
        TrainingConfig.Optimiser optimiser,
        @Setting("share of each sequence's tokens predicted (BERT: 0.15), 80% [MASK] / 10% random / 10% "
            + "kept")
        float maskRate,
        @Setting("mask WordPiece words whole (a piece with its ## pieces)")
        boolean wholeWord,
        @Setting("dropout rate on embeddings, attention probabilities and sub-block outputs")
        float dropout,
        @Setting("seeds initialisation, packing split, order, masks and dropout")
        long seed,
        @Setting("engine threads (0: the engine's default)")
        int threads,
        @Setting("steps between validations, history rows, saved weights and resumable states")
        int saveEvery,
        @Setting("share of the packed sequences held out for validation")
        double valFraction,
        @Setting("cap on held-out sequences")
        int maxVal,
        @Setting("from scratch: characters seen fewer times in the corpus are left out of the vocabulary")
        int vocabMinCount) {

    /**
     * BERT's recipe scaled to a small model and a 2-core machine: maxlen 128, batch 32, peak 5e-4 reached after 6%
     * of the steps and decayed linearly to 0, 15% masked, AdamW 0.01, clipping at 1, dropout 0.1, a validation and
     * checkpoint every 200 steps.
     */
    public static final PretrainingConfig DEFAULT = Records.of(PretrainingConfig.class, "maxlen", 128, "batchSize", 32,
            "steps", 2000, "learningRate", LearningRatePlan.warmupDecay(5e-4f, 0.06, 1.0, 0f),
            "optimiser", Records.of(TrainingConfig.Optimiser.class, "adamEpsilon", 1e-6f, "weightDecay", 0.01f,
                    "clipNorm", 1f, "lazyAdam", false),
            "maskRate", 0.15f, "wholeWord", false, "dropout", 0.1f, "seed", 42, "threads", 0, "saveEvery", 200,
            "valFraction", 0.02, "maxVal", 256, "vocabMinCount", 1);

    public PretrainingConfig {
        if (maxlen < 3) {
            throw new IllegalArgumentException("maxlen must be at least 3 ([CLS], one token, [SEP]), got " + maxlen);
        }
        atLeastOne("batchSize", batchSize);
        atLeastOne("steps", steps);
        atLeastOne("saveEvery", saveEvery);
        atLeastOne("maxVal", maxVal);
        atLeastOne("vocabMinCount", vocabMinCount);
        if (learningRate == null) {
            throw new IllegalArgumentException("a learning-rate plan is needed");
        }
        if (!(maskRate > 0 && maskRate < 1)) {
            throw new IllegalArgumentException("the mask rate must be in (0, 1), got " + maskRate);
        }
        if (optimiser == null || optimiser.lazyAdam()) {
            throw new IllegalArgumentException("pretraining needs an optimiser without lazyAdam (the masked-LM head's"
                    + " output weights are the word embeddings: every row has a gradient)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + valFraction);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    /** The dropout masks of step {@code step}. */
    public Dropout dropoutAt(long step) {
        return Dropout.forStep(seed, step, dropout, dropout, 0f);
    }

    private static void atLeastOne(String setting, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("pretraining " + setting + " must be at least 1, got " + value);
        }
    }

    /**
     * These settings with the ones at the given paths replaced ({@code with("path", value, ...)}), each record on a
     * path validated again ({@link Records#with}).
     */
    public PretrainingConfig with(Object... pathsAndValues) {
        return Records.with(this, pathsAndValues);
    }
}
