package cn.clinicaltext.workbench.checkpoint;

import java.util.Arrays;
import java.util.Locale;

/**
 * One tensor's entry in a checkpoint index (a BundleEntryProto).
 *
 * @param name   variable name, e.g. {@code bert/embeddings/word_embeddings}
 * @param dtype  element type
 * @param shape  dimensions ({@code []} for a scalar)
 * @param shard  data file number
 * @param offset byte offset in the data file
 * @param size   byte length in the data file
 * @param crc32c masked CRC-32C of the tensor's bytes as stored
 */
public record TensorInfo(String name, DType dtype, long[] shape, int shard, long offset, long size, int crc32c) {

    /** TensorFlow's DataType enum values this reader understands. */
    public enum DType {
        FLOAT(1, 4), DOUBLE(2, 8), INT32(3, 4), UINT8(4, 1), INT16(5, 2), INT8(6, 1), STRING(7, -1), INT64(9, 8),
        BOOL(10, 1), HALF(19, 2), BFLOAT16(14, 2);

        final int code;
        final int bytes;

        DType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        static DType of(int code) throws CheckpointException {
            for (DType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new CheckpointException("unsupported tensor data type (TensorFlow DataType " + code + ")");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype.label() + " " + shapeString();
    }
}
