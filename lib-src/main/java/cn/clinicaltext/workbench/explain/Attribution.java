package cn.clinicaltext.workbench.explain;

import java.util.List;

/**
 * Integrated-gradients attribution of one text: a score per token ([CLS], [SEP] excluded), normalised to 0..1
 * within the text (min-max, as the original project did), with the raw scores and the completeness check.
 *
 * @param tokens          the text's tokens as displayed (WordPiece "##" removed)
 * @param scores          normalised scores, one per token, 0..1
 * @param raw             raw scores before normalisation (L2 norm or signed sum of gradient x input)
 * @param target          explained class
 * @param targetProbability model probability of the target class for the text
 * @param completenessGap sum of signed attributions minus (p(text) - p(baseline)); near 0 when steps suffice
 */
public record Attribution(String text, List<String> tokens, float[] scores, float[] raw, int target,
                          String targetName, int predicted, int label, float targetProbability,
                          double completenessGap) {

    /** Index of the highest-scoring token. */
    public int top() {
        return cn.clinicaltext.workbench.model.Loss.argmax(scores);
    }
}
