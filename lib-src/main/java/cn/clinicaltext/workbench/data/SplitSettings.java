package cn.clinicaltext.workbench.data;

/**
 * How a corpus becomes train, validation and test: the seed and ratios of the stratified split and what happens to
 * texts repeated with conflicting labels.
 */
public record SplitSettings(long seed, SplitRatios ratios, DuplicatePolicy duplicates) {
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
