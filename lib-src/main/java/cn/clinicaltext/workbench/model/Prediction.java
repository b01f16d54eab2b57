package cn.clinicaltext.workbench.model;

import java.util.List;
import java.util.Locale;

/**
 * The model's answer for one text.
 *
 * @param label         predicted class id
 * @param labelName     its name
 * @param probabilities softmax probability of every class, in class-id order
 */
public record Prediction(String text, int label, String labelName, float[] probabilities, List<String> labelNames) {
    public float probability() {
        return probabilities[label];
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(labelName).append(" (");
        for (int c = 0; c < probabilities.length; c++) {
            s.append(c == 0 ? "" : ", ").append(labelNames.get(c)).append(String.format(Locale.ROOT, " %.3f", probabilities[c]));
        }
        return s.append(")").toString();
    }
}
