package cn.clinicaltext.workbench.explain;

/** How a token's contribution to a prediction is measured. */
public enum Method {
    /**
     * Integrated gradients (Sundararajan et al. 2017): the gradient of the explained probability averaged along the
     * straight path from the baseline to the text's embeddings, times (input - baseline). Complete: the scores add
     * up to p(text) - p(baseline), up to the Riemann-sum error that {@code completeness_gap} reports.
     */
    INTEGRATED_GRADIENTS("ig"),
    /** The gradient at the text itself times (input - baseline): integrated gradients with one step, at alpha = 1. */
    GRADIENT_X_INPUT("grad-x-input"),
    /**
     * Occlusion (Zeiler and Fergus 2014): the fall in the explained probability when a window of tokens is replaced
     * by the baseline, shared by the window's tokens and averaged over the windows covering each token.
     */
    OCCLUSION("occlusion");

    private final String cliName;

    Method(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line and in JSON output. */
    public String cliName() {
        return cliName;
    }

    public static Method fromCliName(String name) {
        for (Method m : values()) {
            if (m.cliName.equals(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown attribution method '" + name + "' (ig, grad-x-input, occlusion)");
    }
}
