package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.AlbertParams;

import java.util.ArrayList;
import java.util.List;

/**
 * Integrated gradients (Sundararajan et al. 2017) of class probabilities with respect to the word embeddings of one
 * text, from a baseline b to the input x:
 *
 * <pre>
 *   IG_i = (x_i - b_i) * integral_0^1 d p_t(b + a (x - b)) / d x_i da
 *        ~ (x_i - b_i) * (1/S) sum_{k=1..S} d p_t(b + (k/S)(x - b)) / d x_i      (right Riemann sum)
 * </pre>
 *
 * Completeness: sum_i IG_i = p_t(x) - p_t(b) exactly for the integral; the sum's error is the completeness gap.
 * With a tolerance, S doubles while |gap| exceeds it: the points k/(2S) with odd k are new, the others are the
 * previous points, so a doubling costs only the new half. Position and segment embeddings and the attention mask
 * stay the text's. Several target classes share the path (their copies run in the same batches).
 */
public final class IntegratedGradients {
    private IntegratedGradients() {
    }

    /**
     * @param vectors           attribution vectors [length, E] (average gradient x (input - baseline))
     * @param gradients         the gradients averaged over the path [length, E]
     * @param steps             Riemann steps used
     * @param probabilityChange p_t(x) - p_t(baseline)
     * @param gap               sum of the vectors' entries minus {@code probabilityChange}
     */
    public record Result(float[] vectors, float[] gradients, int length, int width, int target, int steps,
                         double probabilityChange, double gap) {
        /** One score per token: the L2 norm of its vector (the original project's reduction). */
        public float[] l2Scores() {
            return l2Norms(vectors, length, width);
        }

        /** One score per token: the sum of its vector (signed; these add up to the completeness total). */
        public float[] signedScores() {
            return signedSums(vectors, length, width);
        }
    }

    static float[] l2Norms(float[] vectors, int length, int width) {
        float[] s = new float[length];
        for (int t = 0; t < length; t++) {
            double sum = 0;
            for (int i = 0; i < width; i++) {
                double v = vectors[t * width + i];
                sum += v * v;
            }
            s[t] = (float) Math.sqrt(sum);
        }
        return s;
    }

    static float[] signedSums(float[] vectors, int length, int width) {
        float[] s = new float[length];
        for (int t = 0; t < length; t++) {
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += vectors[t * width + i];
            }
            s[t] = (float) sum;
        }
        return s;
    }

    /** The original project's form: zero baseline, a fixed number of steps, one target. */
    public static Result explain(AlbertParams params, int[] tokenIds, int target, int steps) {
        float[] zero = new float[tokenIds.length * params.config().embeddingSize()];
        return explain(params, tokenIds, zero, new int[]{target}, steps, steps, Double.POSITIVE_INFINITY).get(0);
    }

    /**
     * Attributions toward each of {@code targets} from {@code baseline} ([length * E]), starting with {@code steps}
     * and doubling up to {@code maxSteps} while any target's |gap| exceeds {@code tolerance}.
     */
    public static List<Result> explain(AlbertParams params, int[] tokenIds, float[] baseline, int[] targets, int steps,
                                       int maxSteps, double tolerance) {
        int len = tokenIds.length;
        int e = params.config().embeddingSize();
        int n = len * e;
        float[] x = ReferenceInput.inputEmbeddings(params, tokenIds);
        float[] diff = new float[n];
        for (int i = 0; i < n; i++) {
            diff[i] = x[i] - baseline[i];
        }
        float[][] ends = EmbeddingGradients.probabilities(params, tokenIds, List.of(x, baseline));
        int k = targets.length;
        double[][] sums = new double[k][n];
        // first pass: alpha = j/S, j = 1..S
        addPoints(params, tokenIds, baseline, diff, targets, alphas(steps, 1, 0), sums);
        int s = steps;
        double[] gaps = gaps(sums, s, diff, ends, targets);
        while (maxAbs(gaps) > tolerance && 2 * s <= maxSteps) {
            // doubling: the new points are alpha = (2j - 1) / (2S), j = 1..S
            addPoints(params, tokenIds, baseline, diff, targets, alphas(s, 2, 1), sums);
            s *= 2;
            gaps = gaps(sums, s, diff, ends, targets);
        }
        List<Result> out = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            float[] mean = new float[n];
            float[] vectors = new float[n];
            for (int i = 0; i < n; i++) {
                mean[i] = (float) (sums[t][i] / s);
                vectors[i] = mean[i] * diff[i];
            }
            double change = ends[0][targets[t]] - ends[1][targets[t]];
            out.add(new Result(vectors, mean, len, e, targets[t], s, change, gaps[t]));
        }
        return out;
    }

    /** alpha = (j * stride - offset) / (count * stride), j = 1..count. */
    private static float[] alphas(int count, int stride, int offset) {
        float[] a = new float[count];
        for (int j = 1; j <= count; j++) {
            a[j - 1] = (j * stride - offset) / (float) (count * stride);
        }
        return a;
    }

    /** Adds the gradients at each alpha to every target's sum. */
    private static void addPoints(AlbertParams params, int[] ids, float[] baseline, float[] diff, int[] targets,
                                  float[] alphas, double[][] sums) {
        int n = diff.length;
        int k = targets.length;
        float[][] inputs = new float[alphas.length * k][];
        int[] rowTargets = new int[alphas.length * k];
        for (int j = 0; j < alphas.length; j++) {
            float[] point = new float[n];
            for (int i = 0; i < n; i++) {
                point[i] = baseline[i] + alphas[j] * diff[i];
            }
            for (int t = 0; t < k; t++) {
                inputs[j * k + t] = point;
                rowTargets[j * k + t] = targets[t];
            }
        }
        float[][] grads = EmbeddingGradients.of(params, ids, inputs, rowTargets);
        for (int r = 0; r < grads.length; r++) {
            double[] sum = sums[r % k];
            float[] g = grads[r];
            for (int i = 0; i < n; i++) {
                sum[i] += g[i];
            }
        }
    }

    private static double[] gaps(double[][] sums, int steps, float[] diff, float[][] ends, int[] targets) {
        double[] gaps = new double[targets.length];
        for (int t = 0; t < targets.length; t++) {
            double total = 0;
            for (int i = 0; i < diff.length; i++) {
                total += sums[t][i] / steps * diff[i];
            }
            gaps[t] = total - (ends[0][targets[t]] - ends[1][targets[t]]);
        }
        return gaps;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
