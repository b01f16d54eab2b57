package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.AlbertClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;

import java.nio.FloatBuffer;

/**
 * Integrated gradients (Sundararajan et al. 2017) of the target-class probability with respect to the word
 * embeddings of one text: the embeddings are scaled from a zero baseline in {@code steps} steps
 * (alpha = k/steps, k = 1..steps, a right Riemann sum), all steps run as one batch, and the averaged gradient is
 * multiplied by the embeddings. Position and segment embeddings and the mask stay those of the text.
 */
public final class IntegratedGradients {
    private IntegratedGradients() {
    }

    /**
     * @param vectors   attribution vectors [length, E] (gradient x input), before reducing to one score per token
     * @param gradients the gradients averaged over the path [length, E]
     * @param pathProbs target probability at each interpolation step
     */
    public record Result(float[] vectors, float[] gradients, int length, int width, int target, float[] pathProbs) {
        /** One score per token: the L2 norm of its vector (the original project's reduction). */
        public float[] l2Scores() {
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

        /** One score per token: the sum of its vector (signed; these add up to the completeness total). */
        public float[] signedScores() {
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
    }

    public static Result explain(AlbertParams params, int[] tokenIds, int target, int steps) {
        int len = tokenIds.length;
        int e = params.config().embeddingSize();
        float[] emb = new float[len * e];
        FloatBuffer word = params.get(AlbertParams.WORD).buffer();
        for (int t = 0; t < len; t++) {
            word.get(tokenIds[t] * e, emb, t * e, e);
        }
        float[] path = new float[steps * len * e];
        for (int s = 0; s < steps; s++) {
            float alpha = (s + 1) / (float) steps;
            for (int i = 0; i < len * e; i++) {
                path[s * len * e + i] = alpha * emb[i];
            }
        }
        Batch batch = Batch.of(java.util.Collections.nCopies(steps, tokenIds));
        try (Tensor input = Tensor.of(path, steps * len, e);
             var f = AlbertClassifier.forwardTraining(params, batch, input)) {
            int classes = params.numClasses();
            float[] probs = Loss.softmax(f.logits);
            float[] d = new float[steps * classes];
            float[] pathProbs = new float[steps];
            for (int s = 0; s < steps; s++) {
                float pt = probs[s * classes + target];
                pathProbs[s] = pt;
                for (int c = 0; c < classes; c++) {
                    d[s * classes + c] = pt * ((c == target ? 1f : 0f) - probs[s * classes + c]);
                }
            }
            try (Tensor dLogits = Tensor.of(d, steps, classes);
                 Tensor grad = AlbertClassifier.backward(params, f, dLogits, null)) {
                float[] g = grad.toArray();
                float[] mean = new float[len * e];
                for (int s = 0; s < steps; s++) {
                    for (int i = 0; i < len * e; i++) {
                        mean[i] += g[s * len * e + i];
                    }
                }
                float[] vectors = new float[len * e];
                for (int i = 0; i < len * e; i++) {
                    mean[i] /= steps;
                    vectors[i] = mean[i] * emb[i];
                }
                return new Result(vectors, mean, len, e, target, pathProbs);
            }
        }
    }
}
