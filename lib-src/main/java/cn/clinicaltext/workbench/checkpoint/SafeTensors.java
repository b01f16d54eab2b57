package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.Tensor;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Float32 tensors in the safetensors format (an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data), readable from Python with the
 * {@code safetensors} or plain NumPy. The workbench saves its models and training state in it.
 * <p>
 * Integrity: the workbench writes the SHA-256 of the data section into the header's {@code __metadata__}
 * ({@value #DATA_SHA256}) and checks it on reading, so flipped or truncated weight bytes are an error, not a
 * model that predicts something else. Before anything is allocated the header is validated: bounded length, every
 * entry an F32 tensor with a non-negative shape and integer offsets, no duplicate names, byte ranges that match
 * dtype x shape, lie in the file, do not overlap and cover the data section exactly. Tensors holding NaN or an
 * infinity are refused with their name. Files from elsewhere (no checksum) are still validated and checked for
 * non-finite values.
 */
public final class SafeTensors {
    /** The metadata key holding the hex SHA-256 of the data section. */
    public static final String DATA_SHA256 = "data_sha256";
    /** Headers longer than this are refused before reading them (the safetensors library uses 100 MB too). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private SafeTensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        MessageDigest digest = sha256();
        byte[] chunk = new byte[1 << 16];
        for (Tensor t : tensors.values()) {
            forEachChunk(t, chunk, n -> digest.update(chunk, 0, n));
        }
        Map<String, String> meta = new TreeMap<>(metadata == null ? Map.of() : metadata);
        meta.put(DATA_SHA256, HexFormat.of().formatHex(digest.digest()));
        JsonObject header = new JsonObject();
        JsonObject metaJson = new JsonObject();
        meta.forEach(metaJson::addProperty);
        header.add("__metadata__", metaJson);
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
        Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            for (Tensor t : tensors.values()) {
                forEachChunk(t, chunk, n -> out.write(chunk, 0, n));
            }
        });
    }

    @FunctionalInterface
    private interface ChunkSink {
        void accept(int bytes) throws IOException;
    }

    /** The tensor's floats as little-endian bytes, a chunk at a time. */
    private static void forEachChunk(Tensor t, byte[] chunk, ChunkSink sink) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        var fb = t.buffer();
        int n = t.size();
        for (int at = 0; at < n; ) {
            int count = Math.min(chunk.length / 4, n - at);
            bb.clear();
            for (int i = 0; i < count; i++) {
                bb.putFloat(fb.get(at + i));
            }
            sink.accept(count * 4);
            at += count;
        }
    }

    /** One validated header entry. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    /** A validated header: entries in header order and the metadata. */
    private record Header(long dataStart, List<Entry> entries, Map<String, String> metadata) {
    }

    /** Every tensor of the file, in header order (validated, checksum verified when present, all values finite). */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return read(file, false, new ArrayList<>());
    }

    /**
     * The float32 tensors of a file written elsewhere (a Hugging Face checkpoint), in header order; integer and
     * boolean tensors (buffers such as {@code embeddings.position_ids}, not weights) are left out and their names
     * added to {@code skipped}. Half-precision weights are refused with how to convert them.
     */
    public static Map<String, Tensor> readFloat32(Path file, List<String> skipped) throws IOException {
        return read(file, true, skipped);
    }

    private static Map<String, Tensor> read(Path file, boolean skipIntegers, List<String> skipped) throws IOException {
        try (FileChannel ch = open(file)) {
            Header h = header(file, ch, skipIntegers);
            List<Entry> byOffset = new ArrayList<>(h.entries());
            byOffset.sort(Comparator.comparingLong(Entry::begin));
            MessageDigest digest = sha256();
            Map<String, Tensor> read = new LinkedHashMap<>();
            try {
                for (Entry e : byOffset) {
                    ByteBuffer data = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
                    while (data.hasRemaining()) {
                        if (ch.read(data, h.dataStart() + e.begin() + data.position()) < 0) {
                            throw new CheckpointException(file + ": truncated in tensor " + e.name());
                        }
                    }
                    digest.update(data.array());
                    if (!e.dtype().equals("F32")) {
                        skipped.add(e.name());
                        continue;
                    }
                    data.flip();
                    float[] values = new float[data.remaining() / 4];
                    data.asFloatBuffer().get(values);
                    for (int i = 0; i < values.length; i++) {
                        if (!Float.isFinite(values[i])) {
                            throw new CheckpointException(file + ": tensor " + e.name() + " holds " + values[i]
                                    + " at index " + i + "; a model with non-finite weights cannot be used");
                        }
                    }
                    Tensor t = Tensor.empty(e.shape());
                    t.copyFrom(values);
                    read.put(e.name(), t);
                }
                String expected = h.metadata().get(DATA_SHA256);
                if (expected != null && !expected.equalsIgnoreCase(HexFormat.of().formatHex(digest.digest()))) {
                    throw new CheckpointException(file + ": the weights do not match their SHA-256 checksum (the file"
                            + " was changed or damaged after it was written)");
                }
            } catch (IOException | RuntimeException ex) {
                read.values().forEach(Tensor::close);
                throw ex;
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : h.entries()) {
                if (read.containsKey(e.name())) {
                    out.put(e.name(), read.get(e.name()));
                }
            }
            return out;
        }
    }

    /** The free-form string metadata of a file (empty when none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            return header(file, ch).metadata();
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + ": is a directory, not a safetensors file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "weights file not found");
        }
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        return header(file, ch, false);
    }

    private static Header header(Path file, FileChannel ch, boolean skipIntegers) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new CheckpointException(file + ": truncated (no header)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
            throw new CheckpointException(file + ": corrupted or truncated header (length " + headerLen + " in a file of "
                    + size + " bytes)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        while (hb.hasRemaining() && ch.read(hb, 8 + hb.position()) >= 0) {
            // read it all
        }
        long dataStart = 8 + headerLen;
        long dataLength = size - dataStart;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonReader r = new JsonReader(new StringReader(new String(hb.array(), StandardCharsets.UTF_8)))) {
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                if (name.equals("__metadata__")) {
                    r.beginObject();
                    while (r.hasNext()) {
                        metadata.put(r.nextName(), r.nextString());
                    }
                    r.endObject();
                    continue;
                }
                if (entries.stream().anyMatch(e -> e.name().equals(name))) {
                    throw new CheckpointException(file + ": tensor " + name + " appears twice in the header");
                }
                entries.add(entry(file, name, r, dataLength, skipIntegers));
            }
            r.endObject();
        } catch (IllegalStateException | NumberFormatException | IOException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(file + ": header is not valid safetensors JSON (" + e.getMessage() + ")");
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        long at = 0;
        for (Entry e : byOffset) {
            if (e.begin() != at) {
                throw new CheckpointException(file + ": tensor " + e.name() + " starts at byte " + e.begin() + " of the data,"
                        + (e.begin() < at ? " inside the previous tensor (overlapping ranges)" : " leaving a gap after byte " + at));
            }
            at = e.end();
        }
        if (at != dataLength) {
            throw new CheckpointException(file + ": the tensors cover " + at + " bytes of data but the file holds "
                    + dataLength + (at > dataLength ? " (truncated)" : " (trailing bytes)"));
        }
        return new Header(dataStart, entries, metadata);
    }

    /** Bytes per element of the integer and boolean dtypes a foreign file may hold beside its F32 weights. */
    private static final Map<String, Integer> SKIPPABLE = Map.of("I64", 8, "I32", 4, "I16", 2, "I8", 1, "U8", 1,
            "BOOL", 1);

    private static Entry entry(Path file, String name, JsonReader r, long dataLength, boolean skipIntegers)
            throws IOException {
        String dtype = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            switch (r.nextName()) {
                case "dtype" -> dtype = r.nextString();
                case "shape" -> shape = longs(r);
                case "data_offsets" -> offsets = longs(r);
                default -> r.skipValue();
            }
        }
        r.endObject();
        String where = file + ": tensor " + name;
        if (dtype == null || shape == null || offsets == null) {
            throw new CheckpointException(where + " lacks " + (dtype == null ? "its dtype" : shape == null ? "its shape"
                    : "its data_offsets"));
        }
        int width = 4;
        if (!dtype.equals("F32")) {
            if (!skipIntegers || !SKIPPABLE.containsKey(dtype)) {
                throw new CheckpointException(where + " is " + dtype + ", only F32 is read"
                        + (dtype.equals("F16") || dtype.equals("BF16") ? " (half-precision weights: save the model in"
                        + " float32 first, e.g. model.float().save_pretrained(DIR) in transformers)" : ""));
            }
            width = SKIPPABLE.get(dtype);
        }
        if (offsets.size() != 2 || offsets.get(0) < 0 || offsets.get(1) < offsets.get(0)) {
            throw new CheckpointException(where + " has data_offsets " + offsets + "; expected [begin, end] with"
                    + " 0 <= begin <= end");
        }
        long elements = 1;
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = shape.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new CheckpointException(where + " has dimension " + d + " in its shape " + shape);
            }
            dims[i] = (int) d;
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException overflow) {
                throw new CheckpointException(where + " has a shape too large to exist: " + shape);
            }
        }
        long bytes = offsets.get(1) - offsets.get(0);
        if (bytes % width != 0 || elements != bytes / width) {
            throw new CheckpointException(where + ": shape " + shape + " needs " + elements + " values (" + width
                    + " bytes each), its range holds " + bytes + " bytes");
        }
        if (offsets.get(1) > dataLength) {
            throw new CheckpointException(where + " ends at byte " + offsets.get(1) + " of the data, which holds "
                    + dataLength + " (truncated file or wrong offsets)");
        }
        if (elements > Integer.MAX_VALUE / 4) {
            throw new CheckpointException(where + " is too large to read (" + elements + " values)");
        }
        return new Entry(name, dtype, dims, offsets.get(0), offsets.get(1));
    }

    private static List<Long> longs(JsonReader r) throws IOException {
        List<Long> out = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) {
                throw new IllegalStateException("expected a number, found " + r.peek());
            }
            out.add(r.nextLong());
        }
        r.endArray();
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
