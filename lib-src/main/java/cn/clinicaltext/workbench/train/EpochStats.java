package cn.clinicaltext.workbench.train;

/** One row of a training history: the state after an epoch. Test accuracy is NaN without a test split. */
public record EpochStats(int epoch, long step, double learningRate, double trainLoss, double trainAccuracy,
                         double valLoss, double valAccuracy, double testAccuracy, double seconds) {
}
