package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.train.TrainingConfig;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Run files of earlier versions, read as they were meant: settings that have moved since are put where they are now
 * before the file is laid over its preset, so a run can be repeated months later.
 */
final class OlderRunFiles {
    private OlderRunFiles() {
    }

    /** The sections of a run file whose settings have moved into groups, and the records that hold them. */
    private static final Map<String, Class<? extends Record>> GROUPED = Map.of("training", TrainingConfig.class,
            "pretraining", PretrainingConfig.class);

    /**
     * Run files of earlier versions name some settings without their group ({@code training.maxlen}, now
     * {@code training.data.maxlen}; {@code pretraining.weightDecay}, now {@code pretraining.optimiser.weightDecay}
     * since 2026-12-08); such a name is moved into its group ({@link #groupOf}), so those files (and
     * {@code --set training.maxlen=64}) are still read. Names no group has are left for the merge to refuse.
     */
    static JsonObject legacyTrainingNames(JsonObject overrides) {
        JsonObject copy = overrides.deepCopy();
        for (Map.Entry<String, Class<? extends Record>> section : GROUPED.entrySet()) {
            if (!(copy.get(section.getKey()) instanceof JsonObject t)) {
                continue;
            }
            for (String name : List.copyOf(t.keySet())) {
                String group = groupOf(section.getValue(), name);
                if (group != null && (!t.has(group) || t.get(group) instanceof JsonObject)) {
                    JsonElement value = t.remove(name);
                    if (!t.has(group)) {
                        t.add(group, new JsonObject());
                    }
                    t.getAsJsonObject(group).add(name, value);
                }
            }
        }
        return copy;
    }

    /**
     * The group of {@code config} that holds a setting ({@code "maxlen"} -> {@code "data"}), read from the group
     * records themselves; null when the setting is not in a group (or not there at all).
     */
    static String groupOf(Class<? extends Record> config, String setting) {
        if (Arrays.stream(config.getRecordComponents()).anyMatch(c -> c.getName().equals(setting))) {
            return null;                                       // a setting of the section itself
        }
        for (RecordComponent group : config.getRecordComponents()) {
            Class<?> type = group.getType();
            if (type.isRecord() && Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(setting))) {
                return group.getName();
            }
        }
        return null;
    }

    /**
     * Run files written before the seed had one home ({@code seeds}) also hold {@code training.seed}, always the first
     * of their seeds (those versions refused anything else); read so that such a run can be repeated. A lone
     * {@code training.seed} means one model with that seed; beside {@code seeds} it must be their first.
     */
    static JsonObject legacySeed(JsonObject overrides) {
        if (!(overrides.get("training") instanceof JsonObject training) || !training.has("seed")) {
            return overrides;
        }
        JsonObject copy = overrides.deepCopy();
        JsonElement seed = copy.getAsJsonObject("training").remove("seed");
        if (!copy.has("seeds")) {
            JsonArray one = new JsonArray();
            one.add(seed);
            copy.add("seeds", one);
        } else if (copy.get("seeds") instanceof JsonArray seeds && seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds is an empty list: give one or more seeds, e.g. [" + seed + "]"
                    + " (training.seed is read from older run files only)");
        } else if (!(copy.get("seeds") instanceof JsonArray seeds) || !seeds.get(0).equals(seed)) {
            throw new IllegalArgumentException("training.seed " + seed + " differs from the first of seeds "
                    + copy.get("seeds") + "; the seeds are the one seed setting (training.seed is read from older run"
                    + " files only), give seeds alone");
        }
        return copy;
    }

    /**
     * A message about a setting given by its flat name ({@code training.batchSize}) names it as written, then its
     * place: 'training.batchSize' (training.data.batchSize).
     */
    static String asWritten(String message, JsonObject given) {
        for (Map.Entry<String, Class<? extends Record>> section : GROUPED.entrySet()) {
            if (!(given.get(section.getKey()) instanceof JsonObject t)) {
                continue;
            }
            for (String name : t.keySet()) {
                String group = groupOf(section.getValue(), name);
                String grouped = section.getKey() + "." + group + "." + name;
                if (group != null && message.contains("'" + grouped + "'")) {
                    return message.replace("'" + grouped + "'", "'" + section.getKey() + "." + name + "' (" + grouped
                            + ")");
                }
            }
        }
        return message;
    }
}
