package cn.clinicaltext.workbench.checkpoint;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protocol-buffer wire format (varints, length-delimited fields, fixed32/64) of the few small messages
 * a tensor bundle holds: BundleHeaderProto, BundleEntryProto, TensorShapeProto.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] data;
    private int pos;
    private final int end;

    ProtoReader(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    ProtoReader(byte[] data) {
        this(data, 0, data.length);
    }

    int position() {
        return pos;
    }

    void skipBytes(int n) throws CheckpointException {
        need(n);
        pos += n;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The next field's key: field number in the high bits, wire type in the low three. */
    int readTag() throws CheckpointException {
        return (int) readVarint();
    }

    long readVarint() throws CheckpointException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new CheckpointException("truncated varint");
            }
            byte b = data[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CheckpointException("malformed varint");
    }

    int readFixed32() throws CheckpointException {
        need(4);
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16 | (data[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** A length-delimited field as a reader over its bytes. */
    ProtoReader readMessage() throws CheckpointException {
        int length = (int) readVarint();
        need(length);
        ProtoReader sub = new ProtoReader(data, pos, length);
        pos += length;
        return sub;
    }

    String readString() throws CheckpointException {
        int length = (int) readVarint();
        need(length);
        String s = new String(data, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    void skip(int wireType) throws CheckpointException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                int length = (int) readVarint();
                need(length);
                pos += length;
            }
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw new CheckpointException("unsupported protobuf wire type " + wireType);
        }
    }

    private void need(int n) throws CheckpointException {
        if (n < 0 || pos + n > end) {
            throw new CheckpointException("truncated protobuf field");
        }
    }
}
