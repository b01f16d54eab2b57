package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.Tensor;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float32 tensors in the safetensors format (an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data), readable from Python with the
 * {@code safetensors} or plain NumPy. The workbench saves its models and training state in it.
 */
public final class SafeTensors {
    private SafeTensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new java.util.TreeMap<>(metadata).forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray range = new JsonArray();
            range.add(offset);
            offset += 4L * e.getValue().size();
            range.add(offset);
            t.add("data_offsets", range);
            header.add(e.getKey(), t);
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            byte[] chunk = new byte[1 << 16];
            ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                var fb = t.buffer();
                int n = t.size();
                for (int at = 0; at < n; ) {
                    int count = Math.min(chunk.length / 4, n - at);
                    bb.clear();
                    for (int i = 0; i < count; i++) {
                        bb.putFloat(fb.get(at + i));
                    }
                    out.write(chunk, 0, count * 4);
                    at += count;
                }
            }
        });
    }

    /** Every tensor of the file, in file order. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file + ": truncated (no header)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || 8 + headerLen > size) {
                throw new CheckpointException(file + ": corrupted or truncated header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonObject header;
            try {
                header = JsonParser.parseString(new String(hb.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new CheckpointException(file + ": header is not JSON (" + e.getMessage() + ")");
            }
            long dataStart = 8 + headerLen;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : header.keySet()) {
                if (name.equals("__metadata__")) {
                    continue;
                }
                JsonObject t = header.getAsJsonObject(name);
                if (!t.get("dtype").getAsString().equals("F32")) {
                    throw new CheckpointException(file + ": tensor " + name + " is " + t.get("dtype") + ", only F32 is read");
                }
                JsonArray shapeJson = t.getAsJsonArray("shape");
                int[] shape = new int[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsInt();
                }
                long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
                long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
                Tensor tensor = Tensor.empty(shape);
                if (end - begin != 4L * tensor.size() || dataStart + end > size) {
                    tensor.close();
                    throw new CheckpointException(file + ": tensor " + name + " is truncated or has a wrong byte range");
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                while (data.hasRemaining()) {
                    if (ch.read(data, dataStart + begin + data.position()) < 0) {
                        throw new CheckpointException(file + ": truncated in tensor " + name);
                    }
                }
                data.flip();
                float[] values = new float[tensor.size()];
                data.asFloatBuffer().get(values);
                tensor.copyFrom(values);
                out.put(name, tensor);
            }
            return out;
        }
    }

    /** The free-form string metadata of a file (empty when none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || 8 + headerLen > ch.size()) {
                throw new CheckpointException(file + ": corrupted or truncated header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonObject header = JsonParser.parseString(new String(hb.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, String> out = new LinkedHashMap<>();
            if (header.has("__metadata__")) {
                header.getAsJsonObject("__metadata__").entrySet()
                        .forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
            }
            return out;
        }
    }
}
