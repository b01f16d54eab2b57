package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.train.TrainingConfig;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.List;

/**
 * Run files of earlier versions, read as they were meant: settings that have moved since are put where they are now
 * before the file is laid over its preset, so a run can be repeated months later.
 */
final class OlderRunFiles {
    private OlderRunFiles() {
    }

    /**
     * Run files of earlier versions name training settings without their group ({@code training.maxlen}, now
     * {@code training.data.maxlen}); such a name is moved into its group ({@link TrainingConfig#groupOf}), so those
     * files (and {@code --set training.maxlen=64}) are still read. Names no group has are left for the merge to refuse.
     */
    static JsonObject legacyTrainingNames(JsonObject overrides) {
        if (!(overrides.get("training") instanceof JsonObject training)) {
            return overrides;
        }
        JsonObject copy = overrides.deepCopy();
        JsonObject t = copy.getAsJsonObject("training");
        for (String name : List.copyOf(training.keySet())) {
            String group = TrainingConfig.groupOf(name);
            if (group != null && (!t.has(group) || t.get(group) instanceof JsonObject)) {
                JsonElement value = t.remove(name);
                if (!t.has(group)) {
                    t.add(group, new JsonObject());
                }
                t.getAsJsonObject(group).add(name, value);
            }
        }
        return copy;
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
        if (!(given.get("training") instanceof JsonObject training)) {
            return message;
        }
        for (String name : training.keySet()) {
            String group = TrainingConfig.groupOf(name);
            String grouped = "training." + group + "." + name;
            if (group != null && message.contains("'" + grouped + "'")) {
                return message.replace("'" + grouped + "'", "'training." + name + "' (" + grouped + ")");
            }
        }
        return message;
    }
}
