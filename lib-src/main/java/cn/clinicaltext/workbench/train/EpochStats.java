package cn.clinicaltext.workbench.train;

/**
 * One row of a training history: the state after an epoch. Test accuracy is NaN unless
 * {@link TrainingConfig#testEveryEpoch()} (the original preset, to reproduce the original's log line): a result
 * reports test once, on the chosen model, after training. The training
 * loss is the optimised objective (with label smoothing and class weights when set, under dropout); validation
 * loss is plain cross-entropy.
 */
public record EpochStats(int epoch, long step, double learningRate, double trainLoss, double trainAccuracy,
                         double valLoss, double valAccuracy, double valMacroF1, double testAccuracy, double seconds) {
}
