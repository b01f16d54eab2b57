package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.checkpoint.tf.TensorBundleProtos.BundleEntryProto;
import cn.clinicaltext.workbench.checkpoint.tf.TensorBundleProtos.BundleHeaderProto;
import cn.clinicaltext.workbench.checkpoint.tf.TensorBundleProtos.TensorShapeProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A TensorFlow V2 checkpoint ("tensor bundle"): {@code PREFIX.index} (a sorted table of BundleEntryProto records
 * keyed by variable name, with a BundleHeaderProto under the empty key) and {@code PREFIX.data-NNNNN-of-MMMMM}
 * shards holding the raw little-endian tensor bytes. Every tensor read is checked against its CRC-32C.
 * <p>
 * The index values are parsed by protobuf from the schema subset in {@code lib-src/main/proto/tensor_bundle_subset.proto};
 * the table around them follows LevelDB's table format documentation ({@link SortedTable}).
 */
public final class TensorBundle {
    private final Path prefix;
    private final int numShards;
    private final Map<String, TensorInfo> tensors;

    private TensorBundle(Path prefix, int numShards, Map<String, TensorInfo> tensors) {
        this.prefix = prefix;
        this.numShards = numShards;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Opens a checkpoint by its prefix ({@code dir/albert_model.ckpt}) or by its {@code .index} file.
     */
    public static TensorBundle open(Path prefixOrIndex) throws IOException {
        String s = prefixOrIndex.toString();
        Path prefix = s.endsWith(".index") ? Path.of(s.substring(0, s.length() - ".index".length())) : prefixOrIndex;
        Path index = Path.of(prefix + ".index");
        if (!Files.exists(index)) {
            throw new NoSuchFileException(index.toString(), null, "checkpoint index not found");
        }
        byte[] bytes = Files.readAllBytes(index);
        Map<String, byte[]> entries = SortedTable.readAll(bytes, index.toString());
        byte[] header = entries.remove("");
        if (header == null) {
            throw new CheckpointException(index + ": no BundleHeaderProto (is this a V1 checkpoint?)");
        }
        int numShards = parseHeader(header, index);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            tensors.put(e.getKey(), parseEntry(e.getKey(), e.getValue(), index));
        }
        return new TensorBundle(prefix, numShards, tensors);
    }

    private static int parseHeader(byte[] header, Path index) throws CheckpointException {
        BundleHeaderProto h = parse(index, "the BundleHeaderProto", () -> BundleHeaderProto.parseFrom(header));
        if (h.getEndianness() != BundleHeaderProto.Endianness.LITTLE) {
            throw new CheckpointException(index + ": big-endian checkpoints are not supported");
        }
        // TensorFlow always writes the count; a header without one is read as a single shard
        return h.getNumShards() == 0 ? 1 : h.getNumShards();
    }

    private static TensorInfo parseEntry(String name, byte[] value, Path index) throws CheckpointException {
        BundleEntryProto e = parse(index, "the BundleEntryProto of " + name,
                () -> BundleEntryProto.parseFrom(value));
        if (e.getSlicesCount() > 0) {
            throw new CheckpointException(index + ": tensor " + name
                    + " is partitioned into slices, which this reader does not support");
        }
        long[] shape = e.getShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
        try {
            return new TensorInfo(name, TensorInfo.DType.of(e.getDtype()), shape, e.getShardId(), e.getOffset(),
                    e.getSize(), e.getCrc32C());
        } catch (CheckpointException x) {
            throw new CheckpointException(index + ": tensor " + name + ": " + x.getMessage());
        }
    }

    private interface ProtoParse<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    /** Protobuf's own parse error, as a CheckpointException naming the file and what was being read. */
    private static <T> T parse(Path index, String what, ProtoParse<T> parse) throws CheckpointException {
        try {
            return parse.parse();
        } catch (InvalidProtocolBufferException x) {
            throw new CheckpointException(index + ": " + what + " cannot be parsed (" + x.getMessage() + ")");
        }
    }

    public Path prefix() {
        return prefix;
    }

    /** Tensors by name, in the index's (sorted) order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public TensorInfo info(String name) throws CheckpointException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(prefix + ": no tensor named " + name);
        }
        return info;
    }

    public Path shardFile(int shard) {
        return Path.of(prefix + String.format(Locale.ROOT, ".data-%05d-of-%05d", shard, numShards));
    }

    /** The tensor's bytes as stored, after checking length and CRC-32C. */
    public byte[] readBytes(String name) throws IOException {
        TensorInfo info = info(name);
        Path shard = shardFile(info.shard());
        if (!Files.exists(shard)) {
            throw new CheckpointException(prefix + ": data shard missing: " + shard.getFileName()
                    + " (needed for " + name + ")");
        }
        byte[] bytes = new byte[Math.toIntExact(info.size())];
        try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "r")) {
            if (info.offset() + info.size() > file.length()) {
                throw new CheckpointException(shard + ": truncated: " + name + " needs bytes " + info.offset() + ".."
                        + (info.offset() + info.size()) + " of a " + file.length() + "-byte file");
            }
            file.seek(info.offset());
            file.readFully(bytes);
        }
        int actual;
        try {
            actual = Crc32c.mask(crc(info, bytes));
        } catch (CheckpointException x) {
            throw new CheckpointException(shard + ": " + x.getMessage());
        }
        if (actual != info.crc32c()) {
            throw new CheckpointException(shard + ": tensor " + name + " is corrupted (CRC-32C mismatch)");
        }
        if (info.dtype() != TensorInfo.DType.STRING && info.size() != info.elements() * info.dtype().bytes) {
            throw new CheckpointException(prefix + ": tensor " + name + " holds " + info.size() + " bytes, but "
                    + info.dtype().label() + " " + info.shapeString() + " needs " + info.elements() * info.dtype().bytes);
        }
        return bytes;
    }

    /**
     * String tensors are stored as varint lengths, a masked CRC of the lengths, then the bytes; their checksum
     * covers the lengths as 4-byte little-endian integers, that masked CRC and the bytes (TensorFlow's
     * WriteStringTensor; checked against the TF2 checkpoints in ../shared).
     */
    private static int crc(TensorInfo info, byte[] bytes) throws CheckpointException {
        if (info.dtype() != TensorInfo.DType.STRING) {
            return Crc32c.of(bytes, 0, bytes.length);
        }
        CRC32C crc = new CRC32C();
        CodedInputStream r = CodedInputStream.newInstance(bytes);
        ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (long i = 0; i < info.elements(); i++) {
                four.clear();
                four.putInt((int) r.readRawVarint64());
                crc.update(four.array(), 0, 4);
            }
        } catch (IOException x) {
            throw new CheckpointException("string tensor " + info.name() + ": its lengths are truncated");
        }
        int rest = r.getTotalBytesRead();
        crc.update(bytes, rest, bytes.length - rest);
        return (int) crc.getValue();
    }

    public float[] readFloats(String name) throws IOException {
        TensorInfo info = info(name);
        if (info.dtype() != TensorInfo.DType.FLOAT) {
            throw new CheckpointException(prefix + ": tensor " + name + " is " + info.dtype().label() + ", not float");
        }
        float[] out = new float[(int) info.elements()];
        ByteBuffer.wrap(readBytes(name)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Values of any numeric tensor as doubles (for listings and checks). */
    public double[] readAsDoubles(String name) throws IOException {
        TensorInfo info = info(name);
        ByteBuffer b = ByteBuffer.wrap(readBytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[(int) info.elements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (info.dtype()) {
                case FLOAT -> b.getFloat();
                case DOUBLE -> b.getDouble();
                case INT32 -> b.getInt();
                case INT64 -> b.getLong();
                case INT16 -> b.getShort();
                case INT8 -> b.get();
                case UINT8, BOOL -> b.get() & 0xFF;
                default -> throw new CheckpointException(prefix + ": tensor " + name + " is " + info.dtype().label()
                        + ", not numeric");
            };
        }
        return out;
    }

    /** The elements of a string tensor. */
    public List<byte[]> readStrings(String name) throws IOException {
        TensorInfo info = info(name);
        byte[] bytes = readBytes(name);
        CodedInputStream r = CodedInputStream.newInstance(bytes);
        long[] lengths = new long[(int) info.elements()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = r.readRawVarint64();
        }
        r.readRawLittleEndian32();                     // the masked CRC of the lengths, checked by readBytes
        List<byte[]> out = new ArrayList<>();
        int at = r.getTotalBytesRead();
        for (long length : lengths) {
            out.add(Arrays.copyOfRange(bytes, at, at + (int) length));
            at += (int) length;
        }
        return out;
    }
}
