package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads pretrained weights into the model's parameters, by the engine's names (Google ALBERT's TensorFlow names):
 * from any {@link TensorSource} (a TensorFlow checkpoint, a safetensors file, an ONNX file's initializers) through
 * a name mapping of {@link CheckpointNames} (identity for Google ALBERT and the workbench's own pretraining output).
 * Which folder holds which format is {@link PretrainedStart}'s business. The classifier head is never in
 * pretrained weights and is initialised; the masked-LM head ({@code cls/predictions/...}) is loaded when asked for
 * (continued pretraining) and initialised if the checkpoint lacks it, else listed as ignored like the pooler.
 */
public final class AlbertCheckpoint {
    /** The file the workbench's {@code pretrain} writes into its output folder, beside albert_config.json and vocab.txt. */
    public static final String SAFETENSORS_NAME = "albert_model.safetensors";
    /** The TensorFlow checkpoint prefix inside a pretrained folder. */
    public static final String TF_PREFIX = "albert_model.ckpt";

    private AlbertCheckpoint() {
    }

    /** What loading did: tensors taken, ignored, and initialised because absent. */
    public record Report(Path checkpoint, List<String> loaded, List<String> ignored, List<String> initialised) {
        @Override
        public String toString() {
            return "loaded " + loaded.size() + " tensors from " + checkpoint
                    + (ignored.isEmpty() ? "" : "; ignored (not used by this model): " + ignored)
                    + (initialised.isEmpty() ? "" : "; initialised (not in the checkpoint): " + initialised);
        }
    }

    public record Loaded(AlbertParams params, Report report) {
    }

    /** Where the tensors come from: their shapes by name (as the source names them), and a reader. */
    public interface TensorSource {
        Map<String, long[]> shapes();

        float[] read(String name) throws IOException;
    }

    /** A source of tensors already in memory (a safetensors file, an ONNX file's initializers). */
    public static TensorSource inMemory(Map<String, Tensor> tensors) {
        return new TensorSource() {
            @Override
            public Map<String, long[]> shapes() {
                Map<String, long[]> s = new LinkedHashMap<>();
                tensors.forEach((k, v) -> s.put(k, toLong(v.shape())));
                return s;
            }

            @Override
            public float[] read(String name) {
                return tensors.get(name).toArray();
            }
        };
    }

    /**
     * Google ALBERT's own names (albert_tiny_google_zh, the workbench's pretraining output): the engine's names, with
     * the tensors the model never reads marked unused.
     */
    public static CheckpointNames.Mapped albertNames(String name) {
        if (name.startsWith("bert/pooler/") || name.startsWith("cls/seq_relationship/") || name.equals("global_step")
                || name.startsWith("classifier/") || name.startsWith("_CHECKPOINTABLE") || name.contains("/adam_")
                || name.contains("/Adam")) {
            return CheckpointNames.Mapped.UNUSED;
        }
        return new CheckpointNames.Mapped(name, false);
    }

    /** Whether a folder holds weights under Google ALBERT's own names (TensorFlow, or the workbench's pretraining). */
    public static boolean isPretrainedDir(Path dir) {
        PretrainedStart.Format f = PretrainedStart.formatOf(dir);
        return f == PretrainedStart.Format.GOOGLE_ALBERT_TF || f == PretrainedStart.Format.WORKBENCH;
    }

    /** A classifier from a TensorFlow checkpoint (prefix without .index): the encoder loaded, the head initialised. */
    public static Loaded load(Path prefix, AlbertConfig config, int numClasses, long seed) throws IOException {
        return load(prefix, config, numClasses, false, seed);
    }

    public static Loaded load(Path prefix, AlbertConfig config, int numClasses, boolean maskedLm, long seed)
            throws IOException {
        return load(prefix, bundleSource(TensorBundle.open(prefix)), AlbertCheckpoint::albertNames, config, numClasses,
                maskedLm, seed);
    }

    /** The tensors of a TensorFlow checkpoint. */
    public static TensorSource bundleSource(TensorBundle bundle) {
        return new TensorSource() {
            @Override
            public Map<String, long[]> shapes() {
                Map<String, long[]> s = new LinkedHashMap<>();
                bundle.tensors().forEach((k, v) -> s.put(k, v.shape()));
                return s;
            }

            @Override
            public float[] read(String name) throws IOException {
                return bundle.readFloats(name);
            }
        };
    }

    /**
     * Loads the tensors of {@code source} whose names {@code names} maps to the engine's (transposing where it
     * says), checks every name and shape against what {@code config} needs, and initialises the heads the source
     * lacks. Everything wrong is reported at once: missing tensors, shape mismatches, names no rule knows, names of
     * weights this config has no place for.
     */
    public static Loaded load(Path where, TensorSource source, Function<String, CheckpointNames.Mapped> names,
                              AlbertConfig config, int numClasses, boolean maskedLm, long seed) throws IOException {
        Map<String, int[]> expected = AlbertParams.shapes(config, numClasses, maskedLm);
        Map<String, long[]> available = new LinkedHashMap<>();
        Map<String, String> sourceName = new LinkedHashMap<>();
        Map<String, Boolean> transposed = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, long[]> e : source.shapes().entrySet()) {
            CheckpointNames.Mapped m = names.apply(e.getKey());
            if (m == null) {
                unexpected.add(e.getKey());
                continue;
            }
            if (m.unused()) {
                ignored.add(e.getKey());
                continue;
            }
            long[] shape = e.getValue();
            if (m.transpose()) {
                if (shape.length != 2) {
                    mismatched.add(e.getKey() + " is " + Arrays.toString(shape) + ", a matrix was expected");
                    continue;
                }
                shape = new long[]{shape[1], shape[0]};
            }
            if (sourceName.put(m.engineName(), e.getKey()) != null) {
                unexpected.add(e.getKey() + " (a second tensor for " + m.engineName() + ")");
            }
            available.put(m.engineName(), shape);
            transposed.put(m.engineName(), m.transpose());
        }
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            long[] shape = available.get(name);
            if (shape == null) {
                if (!mayBeInitialised(name)) {
                    missing.add(name);
                }
            } else if (!Arrays.equals(toLong(e.getValue()), shape)) {
                String given = sourceName.get(name);
                mismatched.add(given + " is " + Arrays.toString(transposed.get(name) ? new long[]{shape[1], shape[0]} : shape)
                        + " in the checkpoint, the config needs " + Arrays.toString(e.getValue())
                        + (transposed.get(name) ? " transposed" : ""));
            }
        }
        for (String name : available.keySet()) {
            if (expected.containsKey(name)) {
                continue;
            }
            if (name.startsWith("cls/")) {
                // a masked-LM head, which a classifier does not use
                ignored.add(sourceName.get(name));
            } else {
                unexpected.add(sourceName.get(name) + (sourceName.get(name).equals(name) ? "" : " (" + name + ")"));
            }
        }
        if (!missing.isEmpty() || !mismatched.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder msg = new StringBuilder(where + " does not fit the model config:");
            if (!missing.isEmpty()) {
                msg.append("\n  missing: ").append(firstFew(missing));
            }
            if (!mismatched.isEmpty()) {
                msg.append("\n  shape mismatch: ").append(firstFew(mismatched));
            }
            if (!unexpected.isEmpty()) {
                msg.append("\n  unexpected: ").append(firstFew(unexpected))
                        .append(" (more layers or layer groups than the config has, or not a BERT/ALBERT checkpoint?)");
            }
            throw new CheckpointException(msg.toString());
        }
        AlbertParams init = AlbertParams.initialise(config, numClasses, maskedLm, seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> loaded = new ArrayList<>();
        List<String> initialised = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            if (!available.containsKey(name)) {
                tensors.put(name, init.get(name));
                initialised.add(name);
            } else {
                float[] values = source.read(sourceName.get(name));
                tensors.put(name, Tensor.of(transposed.get(name) ? transpose(values, e.getValue()) : values,
                        e.getValue()));
                init.get(name).close();
                loaded.add(name);
            }
        }
        return new Loaded(AlbertParams.of(config, numClasses, maskedLm, tensors), new Report(where, loaded, ignored, initialised));
    }

    /** Heads a checkpoint may lack: the classifier always (it is task-specific), the masked-LM head (some do). */
    private static boolean mayBeInitialised(String name) {
        return name.startsWith("classifier/") || name.startsWith("cls/predictions/");
    }

    /** At most 12 entries of a list for an error message, and how many more there are. */
    private static String firstFew(List<String> items) {
        int shown = Math.min(12, items.size());
        return items.subList(0, shown) + (items.size() > shown ? " and " + (items.size() - shown) + " more" : "");
    }

    /** The [rows, cols] matrix whose transpose, [cols, rows], was read. */
    private static float[] transpose(float[] read, int[] shape) {
        int rows = shape[0];
        int cols = shape[1];
        float[] out = new float[read.length];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                out[r * cols + c] = read[c * rows + r];
            }
        }
        return out;
    }

    private static long[] toLong(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
