package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.io.Setting;
import java.util.Locale;
import java.util.Objects;

/**
 * Every setting of an attribution, validated; the two presets below are the only place holding defaults.
 */
public record ExplainSettings(
        @Setting("integrated gradients, gradient x input or occlusion")
        Method method,
        @Setting("what an absent token becomes")
        ReferenceInput baseline,
        @Setting("signed scores or magnitudes")
        Score score,
        @Setting("the class explained")
        Target target,
        @Setting("per-position gradients (standard) or the original project's embedding-matrix gradient")
        Variant variant,
        @Setting("integrated gradients: Riemann steps to start with")
        int steps,
        @Setting("integrated gradients: the step count doubles (reusing the points already computed) "
            + "while the completeness gap exceeds tolerance, up to this many; equal to steps for a "
            + "fixed count")
        int maxSteps,
        @Setting("integrated gradients: largest acceptable |completeness gap|, in probability units")
        double tolerance,
        @Setting("occlusion: windows of 1..this many consecutive tokens are occluded")
        int occlusionWindow) {

    /**
     * PER_POSITION: gradient x input of each position's embedding (standard). EMBEDDING_MATRIX: the original
     * project's variant, which took the gradient with respect to the whole embedding matrix, so every occurrence
     * of a character shares the summed gradient of all its positions.
     */
    public enum Variant { PER_POSITION, EMBEDDING_MATRIX }

    /**
     * Most integrated-gradients steps: every step's input is held at once (a 64-token text of bge-small-zh at 1,024
     * steps: 134 MB per copy), so a mistyped step count is refused before anything is allocated.
     */
    public static final int MAX_STEPS = 1024;

    /** Largest occlusion window: the "windows of 2-4 characters". */
    public static final int MAX_OCCLUSION_WINDOW = 4;

    /**
     * Everyday settings: integrated gradients from the [PAD] baseline, signed scores toward the predicted class,
     * 20 steps doubled up to 160 until the completeness gap is at most 0.01. The choice of method and baseline is
     * measured in notebook 05 and the README (faithfulness, position control, sanity checks).
     */
    public static final ExplainSettings DEFAULT = Records.of(ExplainSettings.class, "method",
            Method.INTEGRATED_GRADIENTS, "baseline", ReferenceInput.PAD, "score", Score.SIGNED,
            "target", Target.PREDICTED,
            "variant", Variant.PER_POSITION, "steps", 20, "maxSteps", 160, "tolerance", 0.01, "occlusionWindow", 1);

    /**
     * The original project's settings, to reproduce its heatmaps and keyword tables: integrated gradients from a
     * zero embedding, 20 steps, the embedding-matrix gradient, L2 magnitudes.
     */
    public static final ExplainSettings ORIGINAL = DEFAULT.with("baseline", ReferenceInput.ZERO,
            "score", Score.MAGNITUDE, "variant", Variant.EMBEDDING_MATRIX, "maxSteps", 20, "tolerance", Double.POSITIVE_INFINITY);

    public ExplainSettings {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(variant, "variant");
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be positive: " + steps);
        }
        if (maxSteps > MAX_STEPS) {
            throw new IllegalArgumentException("steps " + maxSteps + " is more than " + MAX_STEPS + ": integrated"
                    + " gradients holds every step's input at once, and doubling from 20 to 160 steps already closes"
                    + " the completeness gap to 0.01 (ExplainSettings.DEFAULT)");
        }
        if (maxSteps < steps) {
            throw new IllegalArgumentException("max steps (" + maxSteps + ") below steps (" + steps + ")");
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be positive: " + tolerance);
        }
        if (occlusionWindow < 1 || occlusionWindow > MAX_OCCLUSION_WINDOW) {
            throw new IllegalArgumentException("occlusion window must be 1.." + MAX_OCCLUSION_WINDOW + ": " + occlusionWindow);
        }
        if (variant == Variant.EMBEDDING_MATRIX && method == Method.OCCLUSION) {
            throw new IllegalArgumentException("the embedding-matrix variant applies to gradient methods only");
        }
    }

    /**
     * These settings with the ones at the given paths replaced ({@code with("path", value, ...)}), each record on a
     * path validated again ({@link Records#with}).
     */
    public ExplainSettings with(Object... pathsAndValues) {
        return Records.with(this, pathsAndValues);
    }

    /** "ig, pad baseline, signed" and so on: a label for tables and figures. */
    public String label() {
        String base = method.cliName() + ", " + baseline.name().toLowerCase(Locale.ROOT) + " baseline";
        if (method == Method.OCCLUSION && occlusionWindow > 1) {
            base += ", windows 1-" + occlusionWindow;
        }
        return base + (score == Score.MAGNITUDE ? ", magnitude" : "")
                + (variant == Variant.EMBEDDING_MATRIX ? ", embedding-matrix gradient" : "");
    }
}
