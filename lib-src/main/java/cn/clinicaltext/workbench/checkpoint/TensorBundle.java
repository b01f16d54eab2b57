package cn.clinicaltext.workbench.checkpoint;

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
 * Format facts from TensorFlow's {@code tensor_bundle.proto} and LevelDB's table format documentation.
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
        ProtoReader r = new ProtoReader(header);
        int shards = 1;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> shards = (int) r.readVarint();
                case 2 -> {
                    if (r.readVarint() != 0) {
                        throw new CheckpointException(index + ": big-endian checkpoints are not supported");
                    }
                }
                default -> r.skip(tag & 7);
            }
        }
        return shards;
    }

    private static TensorInfo parseEntry(String name, byte[] value, Path index) throws CheckpointException {
        ProtoReader r = new ProtoReader(value);
        int dtype = 0;
        List<Long> dims = new ArrayList<>();
        int shard = 0;
        long offset = 0;
        long size = 0;
        int crc = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> dtype = (int) r.readVarint();
                case 2 -> {
                    ProtoReader shape = r.readMessage();
                    while (shape.hasMore()) {
                        int t = shape.readTag();
                        if ((t >>> 3) == 2) {
                            ProtoReader dim = shape.readMessage();
                            long d = 0;
                            while (dim.hasMore()) {
                                int dt = dim.readTag();
                                if ((dt >>> 3) == 1) {
                                    d = dim.readVarint();
                                } else {
                                    dim.skip(dt & 7);
                                }
                            }
                            dims.add(d);
                        } else {
                            shape.skip(t & 7);
                        }
                    }
                }
                case 3 -> shard = (int) r.readVarint();
                case 4 -> offset = r.readVarint();
                case 5 -> size = r.readVarint();
                case 6 -> crc = r.readFixed32();
                case 7 -> throw new CheckpointException(index + ": tensor " + name
                        + " is partitioned into slices, which this reader does not support");
                default -> r.skip(tag & 7);
            }
        }
        try {
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            return new TensorInfo(name, TensorInfo.DType.of(dtype), shape, shard, offset, size, crc);
        } catch (CheckpointException e) {
            throw new CheckpointException(index + ": tensor " + name + ": " + e.getMessage());
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
        int actual = Crc32c.mask(crc(info, bytes));
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
        ProtoReader r = new ProtoReader(bytes);
        ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < info.elements(); i++) {
            four.clear();
            four.putInt((int) r.readVarint());
            crc.update(four.array(), 0, 4);
        }
        int rest = r.position();
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
        ProtoReader r = new ProtoReader(bytes);
        long[] lengths = new long[(int) info.elements()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = r.readVarint();
        }
        r.readFixed32();
        List<byte[]> out = new ArrayList<>();
        int at = r.position();
        for (long length : lengths) {
            out.add(Arrays.copyOfRange(bytes, at, at + (int) length));
            at += (int) length;
        }
        return out;
    }
}
