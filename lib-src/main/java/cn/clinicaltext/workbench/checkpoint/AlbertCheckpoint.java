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

/**
 * Loads a Google ALBERT TensorFlow checkpoint (e.g. albert_tiny_google_zh) into the model's parameters, by the
 * variable names of Google's ALBERT. The pooler and the pre-training heads ({@code cls/...}) are not used by the
 * classifier and are listed as ignored; the classifier head is not in pretrained checkpoints and is initialised.
 */
public final class AlbertCheckpoint {
    private AlbertCheckpoint() {
    }

    /** What loading did: tensors taken, ignored, and initialised because absent. */
    public record Report(Path checkpoint, List<String> loaded, List<String> ignored, List<String> initialised) {
        @Override
        public String toString() {
            return "loaded " + loaded.size() + " tensors from " + checkpoint
                    + (ignored.isEmpty() ? "" : "; ignored (not used by the classifier): " + ignored)
                    + (initialised.isEmpty() ? "" : "; initialised (not in the checkpoint): " + initialised);
        }
    }

    public record Loaded(AlbertParams params, Report report) {
    }

    public static Loaded load(Path prefix, AlbertConfig config, int numClasses, long seed) throws IOException {
        TensorBundle bundle = TensorBundle.open(prefix);
        Map<String, int[]> expected = AlbertParams.shapes(config, numClasses);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            if (isHead(name)) {
                continue;
            }
            TensorInfo info = bundle.tensors().get(name);
            if (info == null) {
                missing.add(name);
            } else if (!Arrays.equals(toLong(e.getValue()), info.shape())) {
                mismatched.add(name + " is " + info.shapeString() + " in the checkpoint, the config needs "
                        + Arrays.toString(e.getValue()));
            }
        }
        for (String name : bundle.tensors().keySet()) {
            if (expected.containsKey(name)) {
                continue;
            }
            if (name.startsWith("bert/pooler/") || name.startsWith("cls/") || name.equals("global_step")
                    || name.startsWith("_CHECKPOINTABLE") || name.contains("/adam_") || name.contains("/Adam")) {
                ignored.add(name);
            } else {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !mismatched.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder msg = new StringBuilder(prefix + " does not fit the model config:");
            if (!missing.isEmpty()) {
                msg.append("\n  missing: ").append(missing);
            }
            if (!mismatched.isEmpty()) {
                msg.append("\n  shape mismatch: ").append(mismatched);
            }
            if (!unexpected.isEmpty()) {
                msg.append("\n  unexpected: ").append(unexpected)
                        .append(" (a checkpoint with several hidden groups, or not an ALBERT checkpoint?)");
            }
            throw new CheckpointException(msg.toString());
        }
        AlbertParams init = AlbertParams.initialise(config, numClasses, seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> loaded = new ArrayList<>();
        List<String> initialised = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            if (isHead(name)) {
                tensors.put(name, init.get(name));
                initialised.add(name);
            } else {
                tensors.put(name, Tensor.of(bundle.readFloats(name), e.getValue()));
                init.get(name).close();
                loaded.add(name);
            }
        }
        return new Loaded(AlbertParams.of(config, numClasses, tensors), new Report(prefix, loaded, ignored, initialised));
    }

    private static boolean isHead(String name) {
        return name.equals(AlbertParams.CLS_KERNEL) || name.equals(AlbertParams.CLS_BIAS);
    }

    private static long[] toLong(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
