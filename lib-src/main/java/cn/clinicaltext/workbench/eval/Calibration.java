package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.model.Loss;

/**
 * Calibration of predicted probabilities: predictions are grouped by confidence (the top class's probability) into
 * equal-width bins; a reliability diagram plots each bin's accuracy against its mean confidence, and the expected
 * calibration error (Guo et al. 2017) is the size-weighted mean gap |accuracy - confidence| over bins.
 *
 * @param binAccuracy   accuracy per bin (NaN for an empty bin)
 * @param binConfidence mean confidence per bin (NaN for an empty bin)
 * @param binCount      predictions per bin
 */
public record Calibration(int bins, double[] binAccuracy, double[] binConfidence, int[] binCount, double ece) {
    public static final int DEFAULT_BINS = 10;

    public static Calibration of(float[][] probabilities, int[] truth, int bins) {
        double[] accSum = new double[bins];
        double[] confSum = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < truth.length; i++) {
            float[] p = probabilities[i];
            int best = Loss.argmax(p);
            int bin = Math.min(bins - 1, (int) (p[best] * bins));
            count[bin]++;
            confSum[bin] += p[best];
            accSum[bin] += best == truth[i] ? 1 : 0;
        }
        double[] acc = new double[bins];
        double[] conf = new double[bins];
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            acc[b] = count[b] == 0 ? Double.NaN : accSum[b] / count[b];
            conf[b] = count[b] == 0 ? Double.NaN : confSum[b] / count[b];
            if (count[b] > 0) {
                ece += (double) count[b] / truth.length * Math.abs(acc[b] - conf[b]);
            }
        }
        return new Calibration(bins, acc, conf, count, ece);
    }
}
