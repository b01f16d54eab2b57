package cn.clinicaltext.workbench.checkpoint;

import java.util.zip.CRC32C;

/** CRC-32C as LevelDB and TensorFlow store it: "masked" so that a CRC of data holding CRCs stays well mixed. */
final class Crc32c {
    private static final int MASK_DELTA = 0xa282ead8;

    private Crc32c() {
    }

    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    static int of(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
