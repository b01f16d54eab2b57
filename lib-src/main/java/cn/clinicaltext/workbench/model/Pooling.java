package cn.clinicaltext.workbench.model;

import java.util.Locale;

/**
 * What the classifier reads from the final hidden states: the [CLS] vector (BERT's and the original project's), or
 * the mean over a text's tokens ([CLS] and [SEP] included, padding not). Mean pooling gives every token a direct
 * path to the loss, which helps a model trained from a random start on little data (README, "Choosing the
 * defaults").
 */
public enum Pooling {
    CLS, MEAN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pooling named {@code cls} or {@code mean} (any case). */
    public static Pooling parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pooling '" + s + "' is not one of cls, mean");
        }
    }
}
