package cn.clinicaltext.workbench.model;

/**
 * The classifier's loss, one arithmetic for every kind of training that reads logits [batch, classes]: cross-entropy
 * against soft targets at a temperature, each row weighted ({@link #crossEntropy}); plain, label-smoothed and
 * class-weighted cross-entropy and the distillation loss are targets and weights given to it. (The masked-LM head's
 * cross-entropy over the whole vocabulary is a fused in-place kernel of its own, {@link Kernels#softmaxCrossEntropyRows}:
 * a [masked tokens, 21,128] matrix per step, where this one's per-row arrays would cost more than the step's head.)
 */
public final class Loss {
    private Loss() {
    }

    /**
     * Adds one term of the loss over all rows, and its gradient:
     * <pre>
     *   L     = sum_i w_i T^2 CE(q_i, softmax(z_i / T)) / divisor           CE(q, p) = -sum_c q_c log p_c
     *   dL/dz = w_i T (softmax(z_i / T) - q_i) / divisor                     (added into grad, row-major)
     * </pre>
     * (T^2 keeps a softened term's gradient at the scale of an unsoftened one as T changes: Hinton et al. 2015.)
     * Computed in double: log-sum-exp from the row's largest value, p = exp(z / T - logsumexp).
     *
     * @param targets  q, one distribution over the classes per row
     * @param weights  w per row (a row of weight 0 adds nothing)
     * @param grad     null, or d L / d z accumulated here, [batch * classes]
     * @return the term's L
     */
    public static double crossEntropy(float[] logits, int classes, double[][] targets, double[] weights,
                                      double temperature, double divisor, double[] grad) {
        int batch = targets.length;
        double total = 0;
        for (int b = 0; b < batch; b++) {
            int at = b * classes;
            double w = weights[b];
            if (w == 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[at + c] / temperature);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[at + c] / temperature - max);
            }
            double logSum = Math.log(sum) + max;
            double l = 0;
            for (int c = 0; c < classes; c++) {
                double q = targets[b][c];
                double logP = logits[at + c] / temperature - logSum;
                l -= q * logP;
                if (grad != null) {
                    grad[at + c] += w * temperature * (Math.exp(logP) - q) / divisor;
                }
            }
            total += w * temperature * temperature * l;
        }
        return total / divisor;
    }

    /** Mean cross-entropy of the labels. */
    public static double softmaxCrossEntropy(Tensor logits, int[] labels) {
        return smoothedWeightedCrossEntropy(logits, labels, 0f, null, null);
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
        double[][] q = new double[batch][classes];
        double[] w = new double[batch];
        double weightSum = 0;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < classes; c++) {
                q[b][c] = (c == labels[b] ? 1 - smoothing : 0) + (double) smoothing / classes;
            }
            w[b] = weights == null ? 1 : weights[labels[b]];
            weightSum += w[b];
        }
        double[] g = grad == null ? null : new double[batch * classes];
        double loss = crossEntropy(logits.toArray(), classes, q, w, 1.0, weightSum, g);
        toFloat(g, grad);
        return loss;
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
        double[][] hard = new double[batch][classes];
        double[][] soft = new double[batch][classes];
        double[] hardWeight = new double[batch];
        double[] softWeight = new double[batch];
        double entropy = 0;
        for (int b = 0; b < batch; b++) {
            double a = labelled[b] ? alpha : 0;
            hard[b][labels[b]] = 1;
            hardWeight[b] = a;
            softWeight[b] = 1 - a;
            // t_T from the teacher's probabilities: softmax(log t / T); a zero probability stays zero
            double norm = 0;
            for (int c = 0; c < classes; c++) {
                soft[b][c] = teacher[b][c] > 0 ? Math.pow(teacher[b][c], 1.0 / temperature) : 0;
                norm += soft[b][c];
            }
            for (int c = 0; c < classes; c++) {
                soft[b][c] /= norm;
                entropy -= soft[b][c] > 0 ? (1 - a) * soft[b][c] * Math.log(soft[b][c]) : 0;
            }
        }
        float[] z = logits.toArray();
        double[] g = grad == null ? null : new double[batch * classes];
        double loss = crossEntropy(z, classes, hard, hardWeight, 1.0, batch, g)
                + crossEntropy(z, classes, soft, softWeight, temperature, batch, g);
        toFloat(g, grad);
        // KL(t_T || s_T) = CE(t_T, s_T) - H(t_T): the soft term reported as the divergence, 0 when the student agrees
        return loss - (double) temperature * temperature * entropy / batch;
    }

    private static void toFloat(double[] from, float[] to) {
        if (from != null) {
            for (int i = 0; i < from.length; i++) {
                to[i] = (float) from[i];
            }
        }
    }

    /** d(mean loss)/d(logits) = (softmax - onehot) / batch. */
    public static Tensor softmaxCrossEntropyGrad(Tensor logits, int[] labels) {
        float[] g = new float[logits.size()];
        smoothedWeightedCrossEntropy(logits, labels, 0f, null, g);
        return Tensor.of(g, logits.rows(), logits.cols());
    }
}
