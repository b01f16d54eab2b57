package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.testing.SharedReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Real TensorFlow checkpoints (committed test fixtures): every tensor of EXPECTED-LISTING.txt must read back as listed. */
class TensorBundleListingTest {
    private static final Pattern TENSOR = Pattern.compile(
            "^  (\\S+)\\s+(\\w+)\\s+shape=\\[([0-9, ]*)] off=(\\d+) size=(\\d+) crc_ok=(\\S+)(?: values=\\((.*)\\))?$");

    record Expected(String name, String dtype, long[] shape, long offset, long size, String crc, String values) {
    }

    private static Map<String, List<Expected>> listing() throws Exception {
        Path file = SharedReference.require("reference/tf-checkpoints/EXPECTED-LISTING.txt");
        Map<String, List<Expected>> sections = new LinkedHashMap<>();
        List<Expected> current = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("=== ")) {
                current = new ArrayList<>();
                sections.put(line.substring(4).trim(), current);
                continue;
            }
            Matcher m = TENSOR.matcher(line);
            if (m.matches() && current != null) {
                long[] shape = m.group(3).isBlank() ? new long[0]
                        : Arrays.stream(m.group(3).split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
                current.add(new Expected(m.group(1), m.group(2), shape, Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5)), m.group(6), m.group(7)));
            }
        }
        return sections;
    }

    @Test
    void everyListedTensorMatches() throws Exception {
        Map<String, List<Expected>> sections = listing();
        Path shared = SharedReference.require("reference");
        int checked = 0;
        int valuesChecked = 0;
        List<String> absent = new ArrayList<>();
        for (Map.Entry<String, List<Expected>> section : sections.entrySet()) {
            Path prefix = shared.resolve(section.getKey());
            if (!Files.exists(Path.of(prefix + ".index"))) {
                absent.add(section.getKey());
                continue;
            }
            TensorBundle bundle = TensorBundle.open(prefix);
            assertEquals(section.getValue().stream().map(Expected::name).toList(),
                    new ArrayList<>(bundle.tensors().keySet()), section.getKey());
            for (Expected e : section.getValue()) {
                TensorInfo info = bundle.info(e.name());
                assertEquals(e.dtype(), info.dtype().label(), e.name());
                assertArrayEquals(e.shape(), info.shape(), e.name());
                assertEquals(e.offset(), info.offset(), e.name());
                assertEquals(e.size(), info.size(), e.name());
                if (e.crc().equals("True")) {
                    bundle.readBytes(e.name());
                } else {
                    CheckpointException missing = assertThrows(CheckpointException.class, () -> bundle.readBytes(e.name()));
                    assertTrue(missing.getMessage().contains("data shard missing"), missing.getMessage());
                }
                if (e.values() != null) {
                    double[] expected = Arrays.stream(e.values().split(",")).map(String::trim)
                            .filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
                    assertArrayEquals(expected, bundle.readAsDoubles(e.name()), 0.0, e.name());
                    valuesChecked++;
                }
                checked++;
            }
        }
        assertTrue(checked >= 220, "tensors checked: " + checked);
        assertTrue(valuesChecked >= 20, "values checked: " + valuesChecked);
        assertTrue(absent.size() <= 1, "listed checkpoints missing from the fixtures: " + absent);
    }

    @Test
    void stringTensorsOfTf2CheckpointsRead() throws Exception {
        TensorBundle bundle = TensorBundle.open(SharedReference.require(
                "reference/tf-checkpoints/saved_model_half_plus_two_tf2_cpu/variables.index"));
        List<byte[]> graph = bundle.readStrings("_CHECKPOINTABLE_OBJECT_GRAPH");
        assertEquals(1, graph.size());
        assertTrue(graph.get(0).length > 100);
    }

    @Test
    void corruptionTruncationAndMissingShardsAreNamed(@TempDir Path dir) throws Exception {
        Path source = SharedReference.require("reference/tf-checkpoints/saved_model_half_plus_two_mkl");
        Path index = dir.resolve("variables.index");
        Path data = dir.resolve("variables.data-00000-of-00001");
        Files.copy(source.resolve("variables.index"), index);
        Files.copy(source.resolve("variables.data-00000-of-00001"), data);
        assertEquals(0.5, TensorBundle.open(dir.resolve("variables")).readFloats("a")[0]);

        byte[] bytes = Files.readAllBytes(data);
        bytes[0] ^= 0x01;
        Files.write(data, bytes);
        CheckpointException crc = assertThrows(CheckpointException.class,
                () -> TensorBundle.open(dir.resolve("variables")).readFloats("a"));
        assertTrue(crc.getMessage().contains("CRC-32C mismatch"), crc.getMessage());

        Files.write(data, Arrays.copyOf(bytes, 20));
        CheckpointException truncated = assertThrows(CheckpointException.class,
                () -> TensorBundle.open(dir.resolve("variables")).readFloats("conv2d_2/kernel"));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        Files.delete(data);
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> TensorBundle.open(dir.resolve("variables")).readFloats("a"));
        assertTrue(missing.getMessage().contains("data shard missing"), missing.getMessage());

        byte[] idx = Files.readAllBytes(index);
        idx[10] ^= 0x40;
        Files.write(index, idx);
        CheckpointException badIndex = assertThrows(CheckpointException.class, () -> TensorBundle.open(dir.resolve("variables")));
        assertTrue(badIndex.getMessage().contains("corrupted"), badIndex.getMessage());

        Files.write(index, Arrays.copyOf(idx, 30));
        CheckpointException shortIndex = assertThrows(CheckpointException.class, () -> TensorBundle.open(dir.resolve("variables")));
        assertTrue(shortIndex.getMessage().contains("truncated"), shortIndex.getMessage());
    }
}
