package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.AlbertParams;

import java.util.ArrayList;
import java.util.List;

/**
 * Occlusion: every window of w = 1..W consecutive text tokens ([CLS] and [SEP] never) is replaced by the baseline's
 * embeddings, and the fall in the explained probability, p_t(x) - p_t(x with the window occluded), is shared
 * equally by the window's tokens. A token's score is the mean share over the windows that cover it; with W = 1 it is
 * plain leave-one-out. All occluded copies of a text run as inference batches.
 */
final class Occlusion {
    private Occlusion() {
    }

    /** Scores over the whole sequence ([CLS]/[SEP] positions 0) for each target: [targets][length]. */
    static float[][] scores(AlbertParams params, int[] ids, float[] baseline, int[] targets, int maxWindow) {
        int len = ids.length;
        int e = params.config().embeddingSize();
        float[] x = ReferenceInput.inputEmbeddings(params, ids);
        int textTokens = len - 2;
        List<float[]> inputs = new ArrayList<>();
        List<int[]> windows = new ArrayList<>();
        inputs.add(x);
        for (int w = 1; w <= Math.min(maxWindow, textTokens); w++) {
            for (int start = 1; start + w <= len - 1; start++) {
                float[] copy = x.clone();
                System.arraycopy(baseline, start * e, copy, start * e, w * e);
                inputs.add(copy);
                windows.add(new int[]{start, w});
            }
        }
        float[][] probs = EmbeddingGradients.probabilities(params, ids, inputs);
        float[][] out = new float[targets.length][len];
        for (int k = 0; k < targets.length; k++) {
            int t = targets[k];
            double[] sum = new double[len];
            int[] covering = new int[len];
            for (int r = 0; r < windows.size(); r++) {
                int start = windows.get(r)[0];
                int w = windows.get(r)[1];
                double share = (probs[0][t] - probs[r + 1][t]) / w;
                for (int i = start; i < start + w; i++) {
                    sum[i] += share;
                    covering[i]++;
                }
            }
            for (int i = 0; i < len; i++) {
                out[k][i] = covering[i] == 0 ? 0f : (float) (sum[i] / covering[i]);
            }
        }
        return out;
    }
}
