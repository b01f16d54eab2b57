package cn.clinicaltext.workbench.model;

/**
 * Task-agnostic distillation's loss on the final hidden states: the student's states, projected onto the teacher's
 * width by a learnt matrix, against the teacher's states at the same tokens (TinyBERT's hidden-state loss, Jiao et
 * al. 2020, eq. 7, here at the last layer only; the projection W_h lets a 312-wide student match a 512-wide teacher):
 * <pre>
 *   h   = x[positions]                      [M, H]   the student's final hidden states at the real tokens
 *   p   = h @ W + b                         [M, T]   distil/projection (T: the teacher's hidden size)
 *   L   = 1 / (M T) * sum (p - t)^2                  t [M, T]: the teacher's final hidden states there,
 *                                                    standardised per dimension over the batch ({@link #standardise})
 * </pre>
 * Backward, each step the reverse of one above: dp = 2 (p - t) / (M T); dW += h^T dp, db += column sums of dp;
 * dh = dp @ W^T, scattered back to the rows of dx [tokens, H], from which {@link Encoder#backward} runs the
 * encoder's backward pass.
 */
public final class HiddenStateHead {
    private HiddenStateHead() {
    }

    /**
     * The teacher's states as targets: each dimension standardised over the batch's tokens,
     * <pre>
     *   t[m, j] = (s[m, j] - mean_m s[., j]) / (sd_m s[., j] + 1e-6)      s [M, T]: the teacher's states
     * </pre>
     * in place. Why: bge-small-zh's final states share one large component across all tokens and texts (about 41% of
     * their energy on the demo corpus's test texts); against the raw states, 100 steps left the student predicting
     * that common vector for every token (0.4% of its states' energy varied around their mean, the teacher's 59%),
     * a start that fine-tuned no better than the majority class. Standardised targets give no credit for the common
     * part, so the loss is about what varies between tokens and texts.
     */
    public static void standardise(Tensor s) {
        int m = s.rows();
        int t = s.cols();
        for (int j = 0; j < t; j++) {
            double sum = 0;
            for (int r = 0; r < m; r++) {
                sum += s.get(r * t + j);
            }
            double mean = sum / m;
            double ss = 0;
            for (int r = 0; r < m; r++) {
                double d = s.get(r * t + j) - mean;
                ss += d * d;
            }
            double sd = Math.sqrt(ss / m) + 1e-6;
            for (int r = 0; r < m; r++) {
                s.set(r * t + j, (float) ((s.get(r * t + j) - mean) / sd));
            }
        }
    }

    /**
     * Mean squared error per element over the positions, the mean cosine of projected and teacher states, and (when
     * gradients were asked for and there were positions) d x, [tokens, H], for {@link Encoder#backward} (which
     * consumes it); null otherwise.
     */
    public record Result(double loss, double cosine, int positions, Tensor dHidden) {
        /** The cosines summed over the positions (0 for none), the weight of this batch in a running mean. */
        public double cosineSum() {
            return positions == 0 ? 0 : cosine * positions;
        }
    }

    /**
     * Loss of one distillation step and, when {@code grads} is not null, the projection's gradients added into grads
     * and d x in the result.
     *
     * @param hidden    the student's final hidden states x, [tokens, H] ({@link Encoder.Pass#output})
     * @param positions rows of the batch (row-major, padded) to compare: its real tokens
     * @param teacher   the teacher's final hidden states at those rows, [positions, teacher width]
     */
    public static Result lossAndBackward(AlbertParams p, Tensor hidden, int[] positions, Tensor teacher,
                                         AlbertParams grads) {
        int width = p.projectionWidth();
        if (width == 0) {
            throw new IllegalArgumentException("the model has no distillation projection");
        }
        int m = positions.length;
        if (teacher.rows() != m || teacher.cols() != width) {
            throw new IllegalArgumentException("teacher states [" + teacher.rows() + ", " + teacher.cols() + "] for "
                    + m + " positions of width " + width);
        }
        if (m == 0) {
            return new Result(0, Double.NaN, 0, null);   // no positions: no gradient
        }
        int h = p.config().hiddenSize();
        Tensor kernel = p.get(AlbertParams.PROJECTION_KERNEL);
        try (Tensor hs = Tensor.gatherRows(hidden, positions);
             Tensor proj = Tensor.empty(m, width)) {
            // p = h @ W + b
            Blas.matmul(hs, false, kernel, false, proj, false);
            Kernels.addBias(proj, p.get(AlbertParams.PROJECTION_BIAS));
            // loss, and p becomes dp = 2 (p - t) / (M T) in place
            double sum = 0;
            double cosine = 0;
            float scale = 2f / ((float) m * width);
            for (int i = 0; i < m; i++) {
                double dot = 0;
                double pp = 0;
                double tt = 0;
                for (int j = 0; j < width; j++) {
                    float pv = proj.get(i * width + j);
                    float tv = teacher.get(i * width + j);
                    double d = pv - tv;
                    sum += d * d;
                    dot += (double) pv * tv;
                    pp += (double) pv * pv;
                    tt += (double) tv * tv;
                    proj.set(i * width + j, (float) (scale * d));
                }
                cosine += pp > 0 && tt > 0 ? dot / Math.sqrt(pp * tt) : 0;
            }
            if (grads == null) {
                return new Result(sum / ((double) m * width), cosine / m, m, null);
            }
            Tensor dp = proj;
            // p = h @ W + b:  dW += h^T dp,  db += colsum(dp),  dh = dp @ W^T
            Blas.matmul(hs, true, dp, false, grads.get(AlbertParams.PROJECTION_KERNEL), true);
            Kernels.addColumnSums(dp, grads.get(AlbertParams.PROJECTION_BIAS));
            try (Tensor dh = Tensor.empty(m, h)) {
                Blas.matmul(dp, false, kernel, true, dh, false);
                Tensor dx = Tensor.zeros(hidden.rows(), h);
                for (int i = 0; i < m; i++) {
                    dx.buffer().put(positions[i] * h, dh.buffer(), i * h, h);
                }
                return new Result(sum / ((double) m * width), cosine / m, m, dx);
            }
        }
    }
}
