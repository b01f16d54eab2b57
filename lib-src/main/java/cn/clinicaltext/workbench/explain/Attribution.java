package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.Loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attribution of one text: a score per token ([CLS] and [SEP] excluded) with the settings that made it.
 *
 * @param tokens            the text's tokens as displayed (WordPiece "##" removed)
 * @param scores            scores for display: signed ones divided by the text's largest |score| (-1..1),
 *                          magnitudes min-max scaled to 0..1 as the original project did
 * @param raw               scores before scaling (probability units for signed integrated gradients and occlusion)
 * @param target            explained class
 * @param label             true class, or {@link #NO_LABEL}
 * @param labelName         its name, or null
 * @param probabilities     the model's class probabilities for the text
 * @param completenessGap   integrated gradients: sum of signed scores minus (p(text) - p(baseline)); NaN otherwise
 * @param steps             integrated gradients: Riemann steps used; 0 otherwise
 */
public record Attribution(String text, List<String> tokens, float[] scores, float[] raw, int target,
                          String targetName, int predicted, int label, String labelName, float[] probabilities,
                          double completenessGap, int steps, ExplainSettings settings) {
    /** {@link #label} of a text whose class is not known. */
    public static final int NO_LABEL = -1;

    /** Model probability of the explained class for the text. */
    public float targetProbability() {
        return probabilities[target];
    }

    /** Index of the highest-scoring token. */
    public int top() {
        return Loss.argmax(scores);
    }

    public boolean hasLabel() {
        return label != NO_LABEL;
    }

    /** Up to k tokens with the largest positive raw scores (towards the explained class), largest first. */
    public List<String> topTokens(int k) {
        Integer[] order = new Integer[raw.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(raw[b], raw[a]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < order.length && out.size() < k && raw[order[i]] > 0; i++) {
            out.add(tokens.get(order[i]));
        }
        return out;
    }

    /** Scale for display: signed scores by the largest |score| (to -1..1), magnitudes min-max (to 0..1). */
    static float[] scaled(float[] raw, Score score) {
        float[] out = new float[raw.length];
        if (raw.length == 0) {
            return out;
        }
        if (score == Score.SIGNED) {
            float max = 0;
            for (float v : raw) {
                max = Math.max(max, Math.abs(v));
            }
            for (int i = 0; i < raw.length && max > 0; i++) {
                out[i] = raw[i] / max;
            }
            return out;
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : raw) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < raw.length && max > min; i++) {
            out[i] = (raw[i] - min) / (max - min);
        }
        return out;
    }
}
