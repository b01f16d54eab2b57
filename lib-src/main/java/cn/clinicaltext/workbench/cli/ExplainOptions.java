package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.explain.Baseline;
import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.explain.Method;
import cn.clinicaltext.workbench.explain.Score;
import cn.clinicaltext.workbench.explain.Target;
import picocli.CommandLine.Option;

import java.util.Locale;

/** The attribution settings on the command line (explain, diagnose): a preset and overrides, none defaulted here. */
final class ExplainOptions {
    @Option(names = "--preset", defaultValue = "default", description = "default or original (default ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--method", description = "ig, grad-x-input or occlusion")
    String method;

    @Option(names = "--baseline", description = "pad, zero or mask")
    String baseline;

    @Option(names = "--steps", description = "integrated gradients: a fixed number of steps (no doubling)")
    Integer steps;

    @Option(names = "--window", description = "occlusion: windows of 1..N tokens (N at most 4; default 1)")
    Integer window;

    @Option(names = "--target", description = "predicted (default) or a class index")
    String target;

    @Option(names = "--magnitude", description = "L2 magnitudes instead of signed scores")
    boolean magnitude;

    /** The preset with every option given on the command line applied. */
    ExplainSettings settings() {
        ExplainSettings.Builder b = switch (preset) {
            case "default" -> ExplainSettings.DEFAULT.toBuilder();
            case "original" -> ExplainSettings.ORIGINAL.toBuilder();
            default -> throw new IllegalArgumentException("--preset must be default or original, got " + preset);
        };
        if (method != null) {
            b.method(Method.fromCliName(method));
            if (Method.fromCliName(method) == Method.OCCLUSION) {
                b.variant(ExplainSettings.Variant.PER_POSITION);
            }
        }
        if (baseline != null) {
            try {
                b.baseline(Baseline.valueOf(baseline.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--baseline must be pad, zero or mask, got " + baseline);
            }
        }
        if (steps != null) {
            b.steps(steps).maxSteps(steps);
        }
        if (window != null) {
            b.occlusionWindow(window);
        }
        if (target != null) {
            try {
                b.target(Target.parse(target));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--target must be 'predicted' or a class index, got " + target);
            }
        }
        if (magnitude) {
            b.score(Score.MAGNITUDE);
        }
        return b.build();
    }

}
