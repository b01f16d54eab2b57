package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.explain.Method;
import cn.clinicaltext.workbench.run.RunSpec;
import cn.clinicaltext.workbench.run.SettingsReference;
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
 * names it in its {@code descriptionKey}: a run file path ("training.loop.maxEpochs"), whose value in each of
 * {@link RunSpec.Preset} is appended ("presets: 3 (default); 200 (original); 8 (scratch); 2 (smoke)"), or "pretrain:" and a
 * field of {@link PretrainingConfig} (the pretrain command starts from {@link PretrainingConfig#DEFAULT}), or
 * "explain:" and a field of the attribution presets
 * ({@link ExplainOptions#PRESETS}), shown as the options spell them.
 */
final class PresetHelp {
    /** Commands that start from a settings record of their own, by the key prefix their options use. */
    private static final Map<String, Object> COMMAND_DEFAULTS = Map.of("pretrain:", PretrainingConfig.DEFAULT);

    private PresetHelp() {
    }

    /** Rewrites the help of every option of every subcommand that names a setting. */
    static void apply(CommandLine cli) {
        // every preset's settings, flattened once (not once per option: this runs at every command's start)
        Map<String, Map<String, String>> presets = new LinkedHashMap<>();
        for (RunSpec.Preset p : RunSpec.Preset.values()) {
            presets.put(p.name().toLowerCase(Locale.ROOT), p.spec().flatSettings());
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            for (OptionSpec o : new ArrayList<>(spec.options())) {
                String help = o.descriptionKey() == null ? null : values(o.descriptionKey(), presets);
                if (help == null) {
                    continue;                       // picocli's own keys (help, version), or none
                }
                // an option that sets a setting and says nothing of its own is described where the setting is
                String[] description = o.description().length == 0
                        ? new String[]{settingDoc(o.descriptionKey()).replace("%", "%%")}   // picocli formats help
                        : o.description().clone();
                description[description.length - 1] += " (" + help + ")";
                spec.remove(o);
                spec.addOption(o.toBuilder().description(description).build());
            }
        }
    }

    /** What the setting an option's key names is ({@code @Setting} on its record component). */
    private static String settingDoc(String key) {
        if (key.startsWith("explain:")) {
            return SettingsReference.doc(ExplainSettings.class, key.substring("explain:".length()));
        }
        if (key.startsWith("pretrain:")) {
            return SettingsReference.doc(PretrainingConfig.class, key.substring("pretrain:".length()));
        }
        return SettingsReference.doc(RunSpec.class, key);
    }

    /** The setting's value in each preset, presets with the same value together; null when the key is no setting. */
    private static String values(String key, Map<String, Map<String, String>> presets) {
        if (key.startsWith("explain:")) {
            return explainValues(key.substring("explain:".length()));
        }
        for (Map.Entry<String, Object> own : COMMAND_DEFAULTS.entrySet()) {
            if (key.startsWith(own.getKey())) {
                JsonElement v = at(new Gson().toJsonTree(own.getValue()), key.substring(own.getKey().length()));
                return "default " + shown(v, key);
            }
        }
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> p : presets.entrySet()) {
            String v = flat(p.getValue(), key);
            if (v == null) {
                return null;
            }
            byValue.computeIfAbsent(v, x -> new ArrayList<>()).add(p.getKey());
        }
        if (byValue.size() == 1) {
            String only = byValue.keySet().iterator().next();
            return "every preset: " + shown(new Gson().fromJson(only, JsonElement.class), key);
        }
        List<String> parts = new ArrayList<>();
        byValue.forEach((v, names) -> parts.add(shown(new Gson().fromJson(v, JsonElement.class), key) + " ("
                + String.join(", ", names) + ")"));
        return "presets: " + String.join("; ", parts);
    }

    /** An attribution setting in each of its presets, as the options spell values (ig, pad, predicted, ...). */
    private static String explainValues(String field) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (Map.Entry<String, ExplainSettings> p : ExplainOptions.PRESETS.entrySet()) {
            Object v;
            try {
                v = ExplainSettings.class.getMethod(field).invoke(p.getValue());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no attribution setting " + field + " for an option's help", e);
            }
            String shown = v instanceof Method m ? m.cliName()
                    : v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(v);
            byValue.computeIfAbsent(shown, x -> new ArrayList<>()).add(p.getKey());
        }
        if (byValue.size() == 1) {
            return "every preset: " + byValue.keySet().iterator().next();
        }
        List<String> parts = new ArrayList<>();
        byValue.forEach((v, names) -> parts.add(v + " (" + String.join(", ", names) + ")"));
        return "presets: " + String.join("; ", parts);
    }

    /** A setting's value; a group of settings (split.ratios) as its values joined by commas; null: no such setting. */
    private static String flat(Map<String, String> all, String key) {
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

    private static JsonElement at(JsonElement tree, String path) {
        JsonElement e = tree;
        for (String part : path.split("\\.")) {
            e = e.getAsJsonObject().get(part);
            if (e == null) {
                throw new IllegalStateException("no setting " + path + " for an option's help");
            }
        }
        return e;
    }

    /** What an unset (null) setting means, where it is not the model config's value (the dropout rates). */
    private static final Map<String, String> UNSET = Map.of("training.loop.maxEpochs",
            "follows the data, see --min-steps");

    private static String shown(JsonElement v, String key) {
        if (v == null || v.isJsonNull()) {
            return UNSET.getOrDefault(key, "the model config's");
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
