package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.SafeTensors;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Tensor;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The full training state at the end of an epoch, for resuming a run that was interrupted (even by SIGKILL):
 * parameters and Adam moments ({@code state/*-e<epoch>.safetensors}), then {@code state/state.json} naming them,
 * with step, early-stopping counters and the history. state.json is written last and atomically, so it only ever
 * names complete files; files of older epochs are removed afterwards. Shuffling is seeded per epoch, so no random
 * generator state needs saving.
 */
public final class TrainingState {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** What state.json records. */
    public record Meta(int epoch, long step, double bestScore, int bestEpoch, int badEpochs, String fingerprint,
                       List<EpochStats> history) {
    }

    /**
     * The record of a training session, written into the model folder when the session ends (how it stopped, its
     * time and tokens): a folder with a state but without it holds a run that was stopped or is running.
     */
    public static final String SESSION_FILE = "run.json";

    private TrainingState() {
    }

    public static Path dir(Path runDir) {
        return runDir.resolve("state");
    }

    public static void save(Path runDir, Meta meta, AlbertParams params, Adam adam) throws IOException {
        save(runDir, "e" + meta.epoch(), GSON.toJson(meta), params, adam);
    }

    /**
     * Saves parameters and Adam moments under a tag (the epoch, or the step of a pretraining run), then state.json
     * holding {@code metaJson} and the tag, atomically; files of other tags are removed afterwards.
     */
    public static void save(Path runDir, String tag, String metaJson, AlbertParams params, Adam adam) throws IOException {
        Path dir = dir(runDir);
        Files.createDirectories(dir);
        String e = "-" + tag + ".safetensors";
        SafeTensors.write(dir.resolve("params" + e), params.tensors(), Map.of());
        SafeTensors.write(dir.resolve("adam-m" + e), adam.firstMoments().tensors(), Map.of());
        SafeTensors.write(dir.resolve("adam-v" + e), adam.secondMoments().tensors(), Map.of("adam_step", String.valueOf(adam.step())));
        JsonObject meta = JsonParser.parseString(metaJson).getAsJsonObject();
        meta.addProperty("tag", tag);
        AtomicFiles.writeString(dir.resolve("state.json"), GSON.toJson(meta) + "\n");
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".safetensors") && !name.endsWith(e)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The saved meta data, or null when the run has no complete state yet. */
    public static Meta readMeta(Path runDir) throws IOException {
        return readMeta(runDir, Meta.class);
    }

    /** The saved meta data as {@code type}, or null when the run has no complete state yet. */
    public static <T> T readMeta(Path runDir, Class<T> type) throws IOException {
        Path file = dir(runDir).resolve("state.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return GSON.fromJson(Files.readString(file), type);
        } catch (RuntimeException ex) {
            throw new IOException(file + ": unreadable training state (" + ex.getMessage() + ")", ex);
        }
    }

    /** Copies the saved parameters and Adam moments of {@code meta.epoch()} into params and adam. */
    public static void restore(Path runDir, Meta meta, AlbertParams params, Adam adam) throws IOException {
        restore(runDir, "e" + meta.epoch(), params, adam);
    }

    /** Copies the parameters and Adam moments saved under {@code tag} into params and adam. */
    public static void restore(Path runDir, String tag, AlbertParams params, Adam adam) throws IOException {
        Path dir = dir(runDir);
        String e = "-" + tag + ".safetensors";
        copyInto(SafeTensors.read(dir.resolve("params" + e)), params);
        copyInto(SafeTensors.read(dir.resolve("adam-m" + e)), adam.firstMoments());
        copyInto(SafeTensors.read(dir.resolve("adam-v" + e)), adam.secondMoments());
        adam.restore(Long.parseLong(SafeTensors.metadata(dir.resolve("adam-v" + e)).get("adam_step")));
    }

    private static void copyInto(Map<String, Tensor> saved, AlbertParams target) throws IOException {
        try {
            for (Map.Entry<String, Tensor> t : target.tensors().entrySet()) {
                Tensor s = saved.get(t.getKey());
                if (s == null || s.size() != t.getValue().size()) {
                    throw new IOException("saved training state does not fit the model: " + t.getKey());
                }
                t.getValue().copyFrom(s);
            }
        } finally {
            saved.values().forEach(Tensor::close);
        }
    }

    static String fingerprint(Object... parts) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < parts.length; i++) {
            o.add(String.valueOf(i), JsonParser.parseString(new Gson().toJson(parts[i])));
        }
        return Hashes.sha256(o.toString().getBytes(StandardCharsets.UTF_8));
    }
}
