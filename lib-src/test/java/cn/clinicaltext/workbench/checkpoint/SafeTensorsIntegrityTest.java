package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Damaged or hostile safetensors files are refused with the file, the tensor and the reason, before allocating. */
class SafeTensorsIntegrityTest {
    private static Path written(Path dir) throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.of(new float[]{1, 2, 3, 4}, 2, 2));
        t.put("b", Tensor.of(new float[]{5, 6}, 2));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, t, Map.of("format", "test"));
        t.values().forEach(Tensor::close);
        return file;
    }

    /** A file with this header JSON and {@code dataBytes} bytes of data (floats 1, 2, 3, ...). */
    private static Path crafted(Path dir, String headerJson, int dataBytes) throws Exception {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        ByteBuffer data = ByteBuffer.allocate(dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= dataBytes; i += 4) {
            data.putFloat(i / 4f + 1);
        }
        out.write(data.array());
        Path file = dir.resolve("crafted-" + Math.abs(headerJson.hashCode()) + ".safetensors");
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void refused(Path file, String... words) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "says '" + w + "': " + e.getMessage());
        }
    }

    @Test
    void roundTripCarriesAChecksum(@TempDir Path dir) throws Exception {
        Path file = written(dir);
        assertEquals(64, SafeTensors.metadata(file).get(SafeTensors.DATA_SHA256).length());
        Map<String, Tensor> back = SafeTensors.read(file);
        assertArrayEquals(new float[]{1, 2, 3, 4}, back.get("a").toArray());
        back.values().forEach(Tensor::close);
    }

    @Test
    void flippedWeightBytesAreDetected(@TempDir Path dir) throws Exception {
        Path file = written(dir);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x10;                      // one bit of tensor b
        Files.write(file, bytes);
        refused(file, "SHA-256");
    }

    @Test
    void nonFiniteWeightsAreRefusedByName(@TempDir Path dir) throws Exception {
        Map<String, Tensor> t = Map.of("classifier/bias", Tensor.of(new float[]{0.5f, Float.NaN}, 2));
        Path file = dir.resolve("nan.safetensors");
        SafeTensors.write(file, t, Map.of());
        refused(file, "classifier/bias", "NaN");
    }

    @Test
    void badHeadersAreRefusedBeforeAllocating(@TempDir Path dir) throws Exception {
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[46340,46340],\"data_offsets\":[0,8]}}", 8),
                "tensor a", "needs");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8), "data_offsets");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlapping");
        refused(crafted(dir, "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor a", "dtype");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"x\"]}}", 8), "not valid");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16), "twice");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "F16");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "truncated");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12), "trailing");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2000000000,2000000000,2000000000],\"data_offsets\":[0,8]}}", 8),
                "too large");
        refused(crafted(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2000000000,2000000000],\"data_offsets\":[0,8]}}", 8),
                "needs");
        refused(crafted(dir, "not json", 0), "not valid");
        Path huge = dir.resolve("huge-header.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).array());
        refused(huge, "header");
        CheckpointException folder = assertThrows(CheckpointException.class, () -> SafeTensors.read(dir));
        assertTrue(folder.getMessage().contains("directory"), folder.getMessage());
    }
}
