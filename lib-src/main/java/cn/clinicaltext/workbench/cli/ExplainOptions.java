package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.explain.ReferenceInput;
import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.explain.Method;
import cn.clinicaltext.workbench.explain.Score;
import cn.clinicaltext.workbench.explain.Target;
import picocli.CommandLine.Option;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The attribution settings on the command line (explain, diagnose): a preset and overrides, none defaulted here. */
final class ExplainOptions {
    /** The attribution presets by the name --preset takes, the first the default. */
    static final Map<String, ExplainSettings> PRESETS = presets();

    @Option(names = "--preset", defaultValue = "default", description = "default or original (default ${DEFAULT-VALUE})")
    String preset;

    private static Map<String, ExplainSettings> presets() {
        Map<String, ExplainSettings> p = new LinkedHashMap<>();
        p.put("default", ExplainSettings.DEFAULT);
        p.put("original", ExplainSettings.ORIGINAL);
        return Collections.unmodifiableMap(p);
    }

    @Option(names = "--method", descriptionKey = "explain:method", description = "ig, grad-x-input or occlusion")
    String method;

    @Option(names = "--baseline", descriptionKey = "explain:baseline", description = "pad, zero or mask")
    String baseline;

    @Option(names = "--steps", description = "integrated gradients: a fixed number of steps (no doubling)")
    Integer steps;

    @Option(names = "--window", descriptionKey = "explain:occlusionWindow",
            description = "occlusion: windows of 1..N tokens (N at most 4)")
    Integer window;

    @Option(names = "--target", descriptionKey = "explain:target", description = "predicted or a class index")
    String target;

    @Option(names = "--magnitude", descriptionKey = "explain:score", description = "L2 magnitudes instead of signed"
            + " scores")
    boolean magnitude;

    /** The preset with every option given on the command line applied. */
    ExplainSettings settings() {
        ExplainSettings chosen = PRESETS.get(preset);
        if (chosen == null) {
            throw new IllegalArgumentException("--preset must be " + String.join(" or ", PRESETS.keySet()) + ", got "
                    + preset);
        }
        Map<String, Object> b = new LinkedHashMap<>();
        if (method != null) {
            b.put("method", Method.fromCliName(method));
            if (Method.fromCliName(method) == Method.OCCLUSION) {
                b.put("variant", ExplainSettings.Variant.PER_POSITION);
            }
        }
        if (baseline != null) {
            try {
                b.put("baseline", ReferenceInput.valueOf(baseline.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--baseline must be pad, zero or mask, got " + baseline);
            }
        }
        if (steps != null) {
            b.put("steps", steps);
            b.put("maxSteps", steps);
        }
        if (window != null) {
            b.put("occlusionWindow", window);
        }
        if (target != null) {
            try {
                b.put("target", Target.parse(target));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--target must be 'predicted' or a class index, got " + target);
            }
        }
        if (magnitude) {
            b.put("score", Score.MAGNITUDE);
        }
        return Records.with(chosen, b);
    }

}
