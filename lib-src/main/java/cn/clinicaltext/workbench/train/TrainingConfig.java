package cn.clinicaltext.workbench.train;

/**
 * How a model is trained; defaults are the original experiment's.
 *
 * @param batchSize          texts per update
 * @param maxlen             tokens per text with [CLS] and [SEP]; longer texts are cut (original: 200)
 * @param maxEpochs          cap on epochs (original: 200); early stopping usually ends sooner
 * @param schedule           learning rate per step (original: 0 -> 1e-4 over 1000 steps -> 1e-5 at 2000)
 * @param patience           epochs without a lower validation loss before stopping (original: 3)
 * @param seed               seeds initialisation and shuffling; the same seed gives the same run
 * @param adamEpsilon        Adam's epsilon (bert4keras's Adam: 1e-6)
 * @param fgmEpsilon         FGM adversarial training on the token embeddings, 0 = off (original option: 0.5)
 * @param gradientPenalty    gradient penalty on the embedding gradient, 0 = off (original option: 1)
 * @param bucketByLength     group texts of similar length into batches (less padding), order still seeded
 * @param evalBatchSize      texts per batch when evaluating
 */
public record TrainingConfig(int batchSize, int maxlen, int maxEpochs, LearningRateSchedule schedule, int patience,
                             long seed, float adamEpsilon, float fgmEpsilon, float gradientPenalty,
                             boolean bucketByLength, int evalBatchSize) {

    public static final TrainingConfig ORIGINAL = new TrainingConfig(32, 200, 200, LearningRateSchedule.ORIGINAL, 3,
            42, 1e-6f, 0f, 0f, true, 64);

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
        if (!(adamEpsilon > 0)) {
            throw new IllegalArgumentException("adamEpsilon must be positive");
        }
        if (fgmEpsilon < 0 || gradientPenalty < 0) {
            throw new IllegalArgumentException("fgmEpsilon and gradientPenalty must be >= 0 (0 = off)");
        }
        if (fgmEpsilon > 0 && gradientPenalty > 0) {
            throw new IllegalArgumentException("use FGM or the gradient penalty, not both");
        }
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(batchSize, maxlen, maxEpochs, schedule, patience, s, adamEpsilon, fgmEpsilon,
                gradientPenalty, bucketByLength, evalBatchSize);
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(batchSize, maxlen, e, schedule, patience, seed, adamEpsilon, fgmEpsilon,
                gradientPenalty, bucketByLength, evalBatchSize);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(b, maxlen, maxEpochs, schedule, patience, seed, adamEpsilon, fgmEpsilon,
                gradientPenalty, bucketByLength, evalBatchSize);
    }

    public TrainingConfig withMaxlen(int m) {
        return new TrainingConfig(batchSize, m, maxEpochs, schedule, patience, seed, adamEpsilon, fgmEpsilon,
                gradientPenalty, bucketByLength, evalBatchSize);
    }

    public TrainingConfig withSchedule(LearningRateSchedule s) {
        return new TrainingConfig(batchSize, maxlen, maxEpochs, s, patience, seed, adamEpsilon, fgmEpsilon,
                gradientPenalty, bucketByLength, evalBatchSize);
    }

    public TrainingConfig withFgm(float epsilon) {
        return new TrainingConfig(batchSize, maxlen, maxEpochs, schedule, patience, seed, adamEpsilon, epsilon,
                gradientPenalty, bucketByLength, evalBatchSize);
    }

    public TrainingConfig withGradientPenalty(float epsilon) {
        return new TrainingConfig(batchSize, maxlen, maxEpochs, schedule, patience, seed, adamEpsilon, fgmEpsilon,
                epsilon, bucketByLength, evalBatchSize);
    }
}
