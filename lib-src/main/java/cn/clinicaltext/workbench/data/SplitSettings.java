package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.Setting;

/**
 * How a corpus becomes train, validation and test: the seed and ratios of the stratified split and what happens to
 * texts repeated with conflicting labels.
 */
public record SplitSettings(
        @Setting("seeds the stratified split (the original's 42)")
        long seed,
        @Setting("shares of train, validation and test")
        SplitRatios ratios,
        @Setting("a text repeated with different labels: drop_all (every copy), majority (the label most copies "
            + "carry; a tie is dropped) or keep_first (the original project's behaviour)")
        DuplicatePolicy duplicates) {
    /** The original's 8:1:1 with seed 42; conflicting repeats dropped. */
    public static final SplitSettings DEFAULT = new SplitSettings(DataSplit.DEFAULT_SEED, SplitRatios.DEFAULT,
            DuplicatePolicy.DEFAULT);

    public SplitSettings {
        if (ratios == null || duplicates == null) {
            throw new IllegalArgumentException("split ratios and a duplicate policy must be given");
        }
    }

    /** Deduplicates the corpus by this policy and splits what is kept. */
    public DataSplit split(Deduplication deduplicated) {
        return DataSplit.stratified(deduplicated.kept(), ratios, seed);
    }
}
