package cn.clinicaltext.workbench.data;

import java.util.Arrays;

/**
 * Settings of the synthetic corpus generator.
 *
 * @param size        number of records (the original corpus had 2636)
 * @param classShares target share of each class (0 neither, 1 upper GI, 2 lower GI); normalised
 * @param labelNoise  share of records whose label is replaced by a random other class, as annotators err
 * @param seed        random seed; the same seed gives the same corpus
 */
public record SyntheticCorpusConfig(int size, double[] classShares, double labelNoise, long seed) {
    public static final SyntheticCorpusConfig DEFAULT =
            new SyntheticCorpusConfig(2636, new double[]{0.20, 0.45, 0.35}, 0.02, 20240101L);

    public SyntheticCorpusConfig {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (classShares == null || classShares.length != 3) {
            throw new IllegalArgumentException("classShares needs 3 shares (neither, upper GI, lower GI)");
        }
        double sum = 0;
        for (double s : classShares) {
            if (s < 0) {
                throw new IllegalArgumentException("class shares must be non-negative: " + Arrays.toString(classShares));
            }
            sum += s;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("class shares must not all be zero");
        }
        double[] normalised = new double[3];
        for (int i = 0; i < 3; i++) {
            normalised[i] = classShares[i] / sum;
        }
        classShares = normalised;
        if (labelNoise < 0 || labelNoise > 0.5) {
            throw new IllegalArgumentException("labelNoise must be in [0, 0.5], got " + labelNoise);
        }
    }

    public SyntheticCorpusConfig withSize(int newSize) {
        return new SyntheticCorpusConfig(newSize, classShares, labelNoise, seed);
    }

    public SyntheticCorpusConfig withSeed(long newSeed) {
        return new SyntheticCorpusConfig(size, classShares, labelNoise, newSeed);
    }
}
