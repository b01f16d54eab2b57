package cn.clinicaltext.workbench.checkpoint;

import com.google.protobuf.CodedInputStream;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LevelDB sorted-string-table format of a TensorFlow checkpoint's {@code .index} file: a 48-byte footer
 * (metaindex and index block handles, magic number), an index block pointing at data blocks, and data blocks of
 * prefix-compressed key/value entries with a restart array. Every block carries a compression byte (none or
 * Snappy) and a masked CRC-32C, both checked. Its integers are varints in protobuf's encoding, read with
 * protobuf's {@link CodedInputStream}.
 */
final class SortedTable {
    static final long MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER_LENGTH = 48;
    private static final int TRAILER_LENGTH = 5;

    private SortedTable() {
    }

    /** All key/value entries of the table, in file order; any malformed structure is a CheckpointException. */
    static Map<String, byte[]> readAll(byte[] file, String name) throws CheckpointException {
        try {
            return parse(file, name);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(name + ": malformed checkpoint index (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the file is damaged or not an index");
        }
    }

    private static Map<String, byte[]> parse(byte[] file, String name) throws IOException {
        if (file.length < FOOTER_LENGTH) {
            throw new CheckpointException(name + ": truncated (" + file.length + " bytes, a table needs at least 48)");
        }
        int footer = file.length - FOOTER_LENGTH;
        long magic = 0;
        for (int i = 7; i >= 0; i--) {
            magic = (magic << 8) | (file[footer + 40 + i] & 0xFFL);
        }
        if (magic != MAGIC) {
            throw new CheckpointException(name + ": not a TensorFlow checkpoint index (bad magic number; truncated or"
                    + " another file?)");
        }
        CodedInputStream handles = CodedInputStream.newInstance(file, footer, 40);
        handles.readRawVarint64();                     // the metaindex block's handle, unused
        handles.readRawVarint64();
        long indexOffset = handles.readRawVarint64();
        long indexSize = handles.readRawVarint64();
        byte[] index = block(file, indexOffset, indexSize, name, "index block");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (byte[] handle : entries(index, name).values()) {
            CodedInputStream h = CodedInputStream.newInstance(handle);
            long offset = h.readRawVarint64();
            long size = h.readRawVarint64();
            entries.putAll(entries(block(file, offset, size, name, "data block @" + offset), name));
        }
        return entries;
    }

    private static byte[] block(byte[] file, long offset, long size, String name, String what) throws CheckpointException {
        if (offset < 0 || size < 0 || offset > file.length || size > file.length - offset - TRAILER_LENGTH) {
            throw new CheckpointException(name + ": " + what + " lies beyond the end of the file (truncated?)");
        }
        int start = (int) offset;
        int length = (int) size;
        byte type = file[start + length];
        int stored = (file[start + length + 1] & 0xFF) | (file[start + length + 2] & 0xFF) << 8
                | (file[start + length + 3] & 0xFF) << 16 | (file[start + length + 4] & 0xFF) << 24;
        int actual = Crc32c.mask(Crc32c.of(file, start, length + 1));
        if (stored != actual) {
            throw new CheckpointException(name + ": " + what + " is corrupted (CRC-32C mismatch)");
        }
        byte[] raw = Arrays.copyOfRange(file, start, start + length);
        return switch (type) {
            case 0 -> raw;
            case 1 -> {
                try {
                    yield Snappy.uncompress(raw);
                } catch (IOException e) {
                    throw new CheckpointException(name + ": " + what + " cannot be Snappy-decompressed: " + e.getMessage());
                }
            }
            default -> throw new CheckpointException(name + ": " + what + " has unknown compression type " + type);
        };
    }

    private static Map<String, byte[]> entries(byte[] block, String name) throws IOException {
        if (block.length < 4) {
            throw new CheckpointException(name + ": block too short");
        }
        int restarts = readInt(block, block.length - 4);
        int limit = block.length - 4 - 4 * restarts;
        if (restarts < 0 || limit < 0) {
            throw new CheckpointException(name + ": corrupted block (bad restart count)");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] key = new byte[0];
        CodedInputStream r = CodedInputStream.newInstance(block, 0, limit);
        while (!r.isAtEnd()) {
            int shared = r.readRawVarint32();
            int unshared = r.readRawVarint32();
            int valueLength = r.readRawVarint32();
            int at = r.getTotalBytesRead();
            if (shared > key.length || unshared < 0 || valueLength < 0 || at + unshared + valueLength > limit) {
                throw new CheckpointException(name + ": corrupted block entry");
            }
            byte[] next = Arrays.copyOf(key, shared + unshared);
            System.arraycopy(block, at, next, shared, unshared);
            key = next;
            out.put(new String(key, StandardCharsets.UTF_8), Arrays.copyOfRange(block, at + unshared, at + unshared + valueLength));
            r.skipRawBytes(unshared + valueLength);
        }
        return out;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
