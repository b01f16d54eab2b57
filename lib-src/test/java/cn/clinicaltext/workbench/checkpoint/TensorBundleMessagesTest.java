package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.checkpoint.tf.TensorBundleProtos.BundleEntryProto;
import cn.clinicaltext.workbench.checkpoint.tf.TensorBundleProtos.BundleHeaderProto;
import cn.clinicaltext.workbench.checkpoint.tf.TensorBundleProtos.TensorShapeProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The index's protobuf messages, on small bundles written here: a well-formed one reads back, and a damaged entry,
 * a partitioned variable and a big-endian header are each refused with the index file named. (The real TensorFlow
 * checkpoints are read in TensorBundleListingTest.)
 */
class TensorBundleMessagesTest {
    private static final float[] VALUES = {1.5f, -2f, 0.25f, 8f, 0f, -0.5f};

    @Test
    void aWrittenBundleReadsBack(@TempDir Path dir) throws Exception {
        Path prefix = write(dir, header(BundleHeaderProto.Endianness.LITTLE), entry().build().toByteArray());
        TensorBundle bundle = TensorBundle.open(prefix);
        TensorInfo info = bundle.info("w");
        assertEquals(TensorInfo.DType.FLOAT, info.dtype());
        assertArrayEquals(new long[]{2, 3}, info.shape());
        assertArrayEquals(VALUES, bundle.readFloats("w"));
    }

    @Test
    void aDamagedEntryIsRefusedWithTheIndexNamed(@TempDir Path dir) throws Exception {
        byte[] good = entry().build().toByteArray();
        byte[] cut = Arrays.copyOf(good, 4);  // the shape message's length now runs past the end
        Path prefix = write(dir, header(BundleHeaderProto.Endianness.LITTLE), cut);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorBundle.open(prefix));
        assertTrue(e.getMessage().startsWith(prefix + ".index"), e.getMessage());
        assertTrue(e.getMessage().contains("BundleEntryProto of w"), e.getMessage());
    }

    @Test
    void slicesAndBigEndianAreRefused(@TempDir Path dir) throws Exception {
        Path sliced = write(dir.resolve("a"), header(BundleHeaderProto.Endianness.LITTLE),
                entry().addSlices(ByteString.copyFromUtf8("x")).build().toByteArray());
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorBundle.open(sliced));
        assertTrue(e.getMessage().contains("partitioned"), e.getMessage());

        Path big = write(dir.resolve("b"), header(BundleHeaderProto.Endianness.BIG), entry().build().toByteArray());
        e = assertThrows(CheckpointException.class, () -> TensorBundle.open(big));
        assertTrue(e.getMessage().contains("big-endian"), e.getMessage());
        assertTrue(e.getMessage().startsWith(big + ".index"), e.getMessage());
    }

    private static byte[] header(BundleHeaderProto.Endianness endianness) {
        return BundleHeaderProto.newBuilder().setNumShards(1).setEndianness(endianness).build().toByteArray();
    }

    private static byte[] data() {
        ByteBuffer b = ByteBuffer.allocate(4 * VALUES.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : VALUES) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static BundleEntryProto.Builder entry() {
        byte[] data = data();
        return BundleEntryProto.newBuilder().setDtype(1)
                .setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(2))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3)))
                .setShardId(0).setOffset(0).setSize(data.length)
                .setCrc32C(Crc32c.mask(Crc32c.of(data, 0, data.length)));
    }

    /** PREFIX.index as a LevelDB table with one data block (the header under "", then "w") and its data shard. */
    private static Path write(Path dir, byte[] header, byte[] entry) throws Exception {
        Files.createDirectories(dir);
        Path prefix = dir.resolve("model.ckpt");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("", header);
        entries.put("w", entry);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        byte[] dataBlock = block(entries);
        file.write(dataBlock);
        file.write(trailer(dataBlock));
        ByteArrayOutputStream handle = new ByteArrayOutputStream();
        CodedOutputStream h = CodedOutputStream.newInstance(handle);
        h.writeUInt64NoTag(0);
        h.writeUInt64NoTag(dataBlock.length);
        h.flush();
        Map<String, byte[]> index = new LinkedHashMap<>();
        index.put("x", handle.toByteArray());
        byte[] indexBlock = block(index);
        int indexOffset = file.size();
        file.write(indexBlock);
        file.write(trailer(indexBlock));
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        CodedOutputStream f = CodedOutputStream.newInstance(footer);
        f.writeUInt64NoTag(0);                         // metaindex handle (unused by the reader)
        f.writeUInt64NoTag(0);
        f.writeUInt64NoTag(indexOffset);
        f.writeUInt64NoTag(indexBlock.length);
        f.flush();
        byte[] padded = Arrays.copyOf(footer.toByteArray(), 40);
        file.write(padded);
        file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SortedTable.MAGIC).array());
        Files.write(Path.of(prefix + ".index"), file.toByteArray());
        Files.write(Path.of(prefix + ".data-00000-of-00001"), data());
        return prefix;
    }

    /** Entries without prefix compression (shared = 0), one restart point at 0. */
    private static byte[] block(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            c.writeUInt32NoTag(0);
            c.writeUInt32NoTag(key.length);
            c.writeUInt32NoTag(e.getValue().length);
            c.writeRawBytes(key);
            c.writeRawBytes(e.getValue());
        }
        c.writeFixed32NoTag(0);
        c.writeFixed32NoTag(1);
        c.flush();
        return out.toByteArray();
    }

    /** Compression byte 0 (none) and the masked CRC-32C of the block and that byte. */
    private static byte[] trailer(byte[] block) {
        byte[] withType = Arrays.copyOf(block, block.length + 1);
        int crc = Crc32c.mask(Crc32c.of(withType, 0, withType.length));
        return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).putInt(crc).array();
    }
}
