package cn.clinicaltext.workbench.explain;

/** How a token's attribution vector (one value per embedding dimension) becomes one score. */
public enum Score {
    /**
     * The sum over dimensions: positive for evidence for the explained class, negative against it; the scores of a
     * text add up to the method's total (for integrated gradients, p(text) - p(baseline)).
     */
    SIGNED,
    /** The L2 norm over dimensions (the original project's reduction): how much, not which way. */
    MAGNITUDE
}
