package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.Setting;

/**
 * Shares of the train, validation and test splits; defaults to the original's 8:1:1.
 */
public record SplitRatios(
        @Setting("share of the texts in the training split")
        double train,
        @Setting("share in the validation split (model selection, early stopping)")
        double val,
        @Setting("share in the test split (scored once, on the chosen model)")
        double test) {
    public static final SplitRatios DEFAULT = new SplitRatios(0.8, 0.1, 0.1);

    public SplitRatios {
        if (!(train > 0) || !(val >= 0) || !(test >= 0) || !Double.isFinite(train + val + test)) {
            throw new IllegalArgumentException("split ratios must be positive (train) and non-negative, got "
                    + train + ":" + val + ":" + test);
        }
        double sum = train + val + test;
        train /= sum;
        val /= sum;
        test /= sum;
    }
}
