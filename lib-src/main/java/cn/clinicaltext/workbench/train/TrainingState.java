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
import com.google.gson.reflect.TypeToken;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The full training state at an evaluation point (an epoch's end; a pretraining checkpoint), for resuming a run that
 * was interrupted (even by SIGKILL): parameters and Adam moments ({@code state/*-<tag>.safetensors}), then
 * {@code state/state.json} naming them, with the loop's position (step, best score and step, points without
 * improvement, the history). state.json is written last and atomically, so it only ever names complete files; files of
 * older points are removed afterwards. Batches and dropout masks are functions of (seed, step), so no random
 * generator state needs saving.
 */
public final class TrainingState {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * What state.json records: {@link TrainingLoop.Position}'s fields, the fingerprint of the run, and the tag of the
     * weight files. States written before 2026-12-08 recorded a fine-tuning run by epoch ({@code epoch},
     * {@code bestEpoch}, {@code badEpochs}); {@link #readMeta} reads them as this.
     */
    /**
     * @param points    evaluation points run (epochs, for fine-tuning)
     * @param bestPoint the last evaluation point whose model was kept, 1-based: the best score's, or the latest when
     *                  nothing is monitored (0: none yet)
     */
    public record Meta<R>(long step, int points, double bestScore, long bestStep, int bestPoint, int badPoints,
                          String fingerprint, List<R> history, String tag) {
    }

    /**
     * The record of a training session, written into the model folder when the session ends (how it stopped, its
     * time and tokens): a folder with a state but without it holds a run that was stopped or is running. Its own
     * name since 2026-12-08: it was run.json, the run file's name ({@link #OLD_SESSION_FILE}, still read).
     */
    public static final String SESSION_FILE = "session.json";

    /** The session record's name before 2026-12-08, in model folders trained then. */
    public static final String OLD_SESSION_FILE = "run.json";

    /** Whether a model folder's training ended (its session record, by either name). */
    public static boolean sessionEnded(Path modelDir) {
        return Files.exists(modelDir.resolve(SESSION_FILE)) || Files.exists(modelDir.resolve(OLD_SESSION_FILE))
                && Files.exists(modelDir.resolve("model.json"));
    }

    private TrainingState() {
    }

    public static Path dir(Path runDir) {
        return runDir.resolve("state");
    }

    /** Saves the position's parameters and Adam moments, then state.json naming them; older files are removed. */
    public static <R> void save(TrainingLoop.Plan plan, TrainingLoop.Position<R> at, AlbertParams params, Adam adam)
            throws IOException {
        String tag = "s" + at.step();
        Path dir = dir(plan.dir());
        Files.createDirectories(dir);
        String e = "-" + tag + ".safetensors";
        SafeTensors.write(dir.resolve("params" + e), params.tensors(), Map.of());
        SafeTensors.write(dir.resolve("adam-m" + e), adam.firstMoments().tensors(), Map.of());
        SafeTensors.write(dir.resolve("adam-v" + e), adam.secondMoments().tensors(), Map.of("adam_step", String.valueOf(adam.step())));
        int points = at.history().size();
        Meta<R> meta = new Meta<>(at.step(), points, at.bestScore(), at.bestStep(),
                at.bestStep() == 0 ? 0 : points - at.badPoints(), at.badPoints(), plan.fingerprint(), at.history(), tag);
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

    /**
     * Restores a saved state into params and adam and returns its position; null when the folder has none. A state
     * of a different run (other data, settings or start) is an error naming the folder.
     */
    public static <R> TrainingLoop.Position<R> restore(TrainingLoop.Plan plan, Class<R> rowType, AlbertParams params,
                                                Adam adam) throws IOException {
        Meta<R> saved = readMeta(plan.dir(), rowType);
        if (saved == null) {
            return null;
        }
        if (!saved.fingerprint().equals(plan.fingerprint())) {
            throw new IOException(plan.dir() + " holds the state of a different run (other data, settings, corpus or"
                    + " model); choose another --out folder or delete " + dir(plan.dir()));
        }
        Path dir = dir(plan.dir());
        String e = "-" + saved.tag() + ".safetensors";
        copyInto(SafeTensors.read(dir.resolve("params" + e)), params);
        copyInto(SafeTensors.read(dir.resolve("adam-m" + e)), adam.firstMoments());
        copyInto(SafeTensors.read(dir.resolve("adam-v" + e)), adam.secondMoments());
        adam.restore(Long.parseLong(SafeTensors.metadata(dir.resolve("adam-v" + e)).get("adam_step")));
        return new TrainingLoop.Position<>(saved.step(), saved.bestScore(), saved.bestStep(), saved.badPoints(),
                saved.history());
    }

    /** The saved position of a run with history rows of {@code rowType}, or null when it has no complete state. */
    public static <R> Meta<R> readMeta(Path runDir, Class<R> rowType) throws IOException {
        Path file = dir(runDir).resolve("state.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (o.has("epoch") && !o.has("bestStep")) {
                // the fine-tuning form before 2026-12-08: saved at an epoch's end, so step / epoch is an epoch's steps
                long stepsPerEpoch = o.get("step").getAsLong() / Math.max(1, o.get("epoch").getAsLong());
                o.addProperty("bestStep", o.get("bestEpoch").getAsLong() * stepsPerEpoch);
                o.add("badPoints", o.get("badEpochs"));
                o.add("points", o.get("epoch"));
                o.add("bestPoint", o.get("bestEpoch"));
            }
            if (!o.has("points")) {                          // the pretraining form before 2026-12-08
                o.addProperty("points", o.getAsJsonArray("history").size());
                o.addProperty("bestScore", Double.NaN);
            }
            Type type = TypeToken.getParameterized(Meta.class, rowType).getType();
            return GSON.fromJson(o, type);
        } catch (RuntimeException ex) {
            throw new IOException(file + ": unreadable training state (" + ex.getMessage() + ")", ex);
        }
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
