package cn.clinicaltext.workbench.model;

/** Softmax cross-entropy over logits [batch, classes], mean over the batch, and its gradient. */
public final class Loss {
    private Loss() {
    }

    public static double softmaxCrossEntropy(Tensor logits, int[] labels) {
        int classes = logits.cols();
        double total = 0;
        float[] row = new float[classes];
        for (int b = 0; b < logits.rows(); b++) {
            logits.buffer().get(b * classes, row);
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : row) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) + max - row[labels[b]];
        }
        return total / logits.rows();
    }

    /** Index of the largest of {@code count} values starting at {@code from}, relative to {@code from}. */
    public static int argmax(float[] values, int from, int count) {
        int best = 0;
        for (int c = 1; c < count; c++) {
            if (values[from + c] > values[from + best]) {
                best = c;
            }
        }
        return best;
    }

    public static int argmax(float[] values) {
        return argmax(values, 0, values.length);
    }

    /** Softmax probabilities of each row. */
    public static float[] softmax(Tensor logits) {
        int classes = logits.cols();
        float[] out = logits.toArray();
        for (int b = 0; b < logits.rows(); b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, out[b * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(out[b * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                out[b * classes + c] = (float) (Math.exp(out[b * classes + c] - max) / sum);
            }
        }
        return out;
    }

    /**
     * Cross-entropy with label smoothing and class weights (PyTorch's {@code CrossEntropyLoss(weight,
     * label_smoothing)} definition): targets q = (1 - eps) onehot(y) + eps / K, per-text loss l_i = -sum_c q_ic
     * log p_ic, batch loss sum_i w_(y_i) l_i / sum_i w_(y_i). With eps 0 and no weights it is
     * {@link #softmaxCrossEntropy}.
     *
     * @param weights per-class weights, or null for all 1
     * @param grad    when not null, receives d loss / d logits = w_(y_i) (p_i - q_i) / sum w, row-major [batch, K]
     */
    public static double smoothedWeightedCrossEntropy(Tensor logits, int[] labels, float smoothing, float[] weights,
                                                      float[] grad) {
        int classes = logits.cols();
        int batch = logits.rows();
        float[] z = logits.toArray();
        double weightSum = 0;
        for (int b = 0; b < batch; b++) {
            weightSum += weights == null ? 1 : weights[labels[b]];
        }
        double total = 0;
        for (int b = 0; b < batch; b++) {
            int at = b * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[at + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[at + c] - max);
            }
            double logSum = Math.log(sum) + max;
            double w = weights == null ? 1 : weights[labels[b]];
            double l = 0;
            for (int c = 0; c < classes; c++) {
                double q = (c == labels[b] ? 1 - smoothing : 0) + (double) smoothing / classes;
                double logP = z[at + c] - logSum;
                l -= q * logP;
                if (grad != null) {
                    grad[at + c] = (float) (w * (Math.exp(logP) - q) / weightSum);
                }
            }
            total += w * l;
        }
        return total / weightSum;
    }

    /** d(mean loss)/d(logits) = (softmax - onehot) / batch. */
    public static Tensor softmaxCrossEntropyGrad(Tensor logits, int[] labels) {
        int classes = logits.cols();
        int batch = logits.rows();
        float[] p = softmax(logits);
        for (int b = 0; b < batch; b++) {
            p[b * classes + labels[b]] -= 1f;
            for (int c = 0; c < classes; c++) {
                p[b * classes + c] /= batch;
            }
        }
        return Tensor.of(p, batch, classes);
    }
}
