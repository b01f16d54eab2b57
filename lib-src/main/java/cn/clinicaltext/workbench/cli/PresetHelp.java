package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.run.RunSpec;
import cn.clinicaltext.workbench.train.Distillation;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Option help from the presets themselves, so that no default is written twice. An option that sets a run setting
 * names it in its {@code descriptionKey}: a run file path ("training.maxEpochs"), whose value in each of
 * {@link RunSpec.Preset} is appended ("presets: 3 (default); 200 (original); 8 (scratch); 2 (smoke)"), or "pretrain:" and a
 * field of {@link PretrainingConfig} (the pretrain command starts from {@link PretrainingConfig#DEFAULT}), or
 * "distil:" and a field of {@link Distillation.Settings#DEFAULT}.
 */
final class PresetHelp {
    private static final String PRETRAIN = "pretrain:";
    private static final String DISTIL = "distil:";

    private PresetHelp() {
    }

    /** Rewrites the help of every option of every subcommand that names a setting. */
    static void apply(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            for (OptionSpec o : new ArrayList<>(spec.options())) {
                String key = o.descriptionKey();
                if (key == null || !isSetting(key)) {
                    continue;                       // picocli's own keys (help, version), or none
                }
                String[] description = o.description().clone();
                description[description.length - 1] += " (" + values(key) + ")";
                spec.remove(o);
                spec.addOption(o.toBuilder().description(description).build());
            }
        }
    }

    /** The setting's value in each preset, presets with the same value together. */
    static String values(String key) {
        if (key.startsWith(DISTIL)) {
            JsonElement v = at(new Gson().toJsonTree(Distillation.Settings.DEFAULT), key.substring(DISTIL.length()));
            return "default " + shown(v);
        }
        if (key.startsWith(PRETRAIN)) {
            JsonElement v = at(new Gson().toJsonTree(PretrainingConfig.DEFAULT), key.substring(PRETRAIN.length()));
            return "default " + shown(v);
        }
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (RunSpec.Preset p : RunSpec.Preset.values()) {
            String v = flat(p.spec(), key);
            if (v == null) {
                throw new IllegalStateException("no run setting " + key + " for an option's help");
            }
            byValue.computeIfAbsent(v, x -> new ArrayList<>()).add(p.name().toLowerCase(Locale.ROOT));
        }
        if (byValue.size() == 1) {
            return "every preset: " + shown(new Gson().fromJson(byValue.keySet().iterator().next(), JsonElement.class));
        }
        List<String> parts = new ArrayList<>();
        byValue.forEach((v, presets) -> parts.add(shown(new Gson().fromJson(v, JsonElement.class)) + " ("
                + String.join(", ", presets) + ")"));
        return "presets: " + String.join("; ", parts);
    }

    /** A setting's value; a group of settings (split.ratios) as its values joined by commas. */
    private static String flat(RunSpec spec, String key) {
        Map<String, String> all = spec.flatSettings();
        if (all.containsKey(key)) {
            return all.get(key);
        }
        List<String> parts = new ArrayList<>();
        all.forEach((k, v) -> {
            if (k.startsWith(key + ".")) {
                parts.add(v);
            }
        });
        return parts.isEmpty() ? null : "\"" + String.join(",", parts) + "\"";
    }

    private static boolean isSetting(String key) {
        return key.startsWith(PRETRAIN) || key.startsWith(DISTIL) || flat(RunSpec.DEFAULT, key) != null;
    }

    private static JsonElement at(JsonElement tree, String path) {
        JsonElement e = tree;
        for (String part : path.split("\\.")) {
            e = e.getAsJsonObject().get(part);
            if (e == null) {
                throw new IllegalStateException("no pretraining setting " + path + " for an option's help");
            }
        }
        return e;
    }

    private static String shown(JsonElement v) {
        if (v == null || v.isJsonNull()) {
            return "the model config's";
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
            return v.getAsString().toLowerCase(Locale.ROOT);
        }
        if (v instanceof JsonObject) {
            return v.toString();
        }
        return v.getAsString();
    }
}
