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

    /**
     * Knowledge distillation (Hinton, Vinyals and Dean 2015): the student's logits z against the teacher's class
     * probabilities t (at temperature 1) and, where a text has one, its label y. Per text:
     * <pre>
     *   t_T = softmax(log t / T)              the teacher at temperature T (= softmax(z_teacher / T))
     *   s_T = softmax(z / T),  s = softmax(z)
     *   l   = a * CE(y, s) + (1 - a) * T^2 * KL(t_T || s_T)          a = alpha for a labelled text, 0 otherwise
     *   dl/dz = a * (s - onehot(y)) + (1 - a) * T * (s_T - t_T)
     * </pre>
     * (the T^2 keeps the soft term's gradient at the hard term's scale as T changes, as the paper says). The batch
     * loss is the mean over texts.
     *
     * @param teacher  the teacher's probabilities of each row, [batch][K]
     * @param labelled whether each row's label is a real one (unlabelled and augmented texts: only the soft term)
     * @param grad     when not null, receives d loss / d logits, row-major [batch, K]
     */
    public static double distillation(Tensor logits, int[] labels, float[][] teacher, boolean[] labelled,
                                      float temperature, float alpha, float[] grad) {
        int classes = logits.cols();
        int batch = logits.rows();
        float[] z = logits.toArray();
        double total = 0;
        double[] s = new double[classes];
        double[] sT = new double[classes];
        double[] tT = new double[classes];
        for (int b = 0; b < batch; b++) {
            int at = b * classes;
            softmax(z, at, classes, 1, s);
            softmax(z, at, classes, temperature, sT);
            // t_T from the teacher's probabilities: softmax(log t / T); a zero probability stays zero
            double norm = 0;
            for (int c = 0; c < classes; c++) {
                tT[c] = teacher[b][c] > 0 ? Math.pow(teacher[b][c], 1.0 / temperature) : 0;
                norm += tT[c];
            }
            double kl = 0;
            for (int c = 0; c < classes; c++) {
                tT[c] /= norm;
                if (tT[c] > 0) {
                    kl += tT[c] * (Math.log(tT[c]) - Math.log(Math.max(sT[c], Double.MIN_NORMAL)));
                }
            }
            double a = labelled[b] ? alpha : 0;
            double ce = a > 0 ? -Math.log(Math.max(s[labels[b]], Double.MIN_NORMAL)) : 0;
            total += a * ce + (1 - a) * temperature * temperature * kl;
            if (grad != null) {
                for (int c = 0; c < classes; c++) {
                    double hard = a > 0 ? a * (s[c] - (c == labels[b] ? 1 : 0)) : 0;
                    grad[at + c] = (float) ((hard + (1 - a) * temperature * (sT[c] - tT[c])) / batch);
                }
            }
        }
        return total / batch;
    }

    /** softmax(z[at .. at+k) / T) in double, into out. */
    private static void softmax(float[] z, int at, int k, double temperature, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[at + c] / temperature);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            out[c] = Math.exp(z[at + c] / temperature - max);
            sum += out[c];
        }
        for (int c = 0; c < k; c++) {
            out[c] /= sum;
        }
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
