package cn.clinicaltext.workbench.model;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dense row-major float tensor in native memory, so BLAS reads it in place (copying Java arrays into native
 * memory on every matrix product costs more than the product for these sizes: measured 2-3x).
 * Element loops use the {@link FloatBuffer} view; {@link #close()} frees the memory at once rather than at GC.
 */
public final class Tensor implements AutoCloseable {
    private final int[] shape;
    private final long size;
    private FloatPointer pointer;
    private FloatBuffer buffer;

    /** Freed buffers, reused by later tensors of the same size ({@link BufferPool}). */
    private static final BufferPool POOL =
            new BufferPool(Long.getLong("workbench.tensorPoolMb", 1024) << 20);
    /** Bytes of tensors created and not yet closed (a leak shows as growth across repeated steps). */
    private static final AtomicLong LIVE_BYTES = new AtomicLong();

    /** Native bytes held by open tensors. */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** Native bytes kept by the pool for reuse. */
    public static long pooledBytes() {
        return POOL.pooledBytes();
    }

    private Tensor(int[] shape) {
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        }
        this.size = n;
        this.pointer = POOL.take(Math.max(1, n));
        this.buffer = pointer.asBuffer();
        LIVE_BYTES.addAndGet(Math.max(1, n) * 4);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        Tensor t = new Tensor(shape);
        t.fill(0f);
        return t;
    }

    /** A tensor whose contents are undefined until written. */
    public static Tensor empty(int... shape) {
        return new Tensor(shape);
    }

    public static Tensor of(float[] values, int... shape) {
        Tensor t = new Tensor(shape);
        if (values.length != t.size) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        t.buffer.put(0, values);
        return t;
    }

    /** The given rows of a matrix x, in order, as a new [rows.length, cols] tensor (a row's index checked). */
    public static Tensor gatherRows(Tensor x, int[] rows) {
        int h = x.cols();
        Tensor out = Tensor.empty(rows.length, h);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= x.rows()) {
                throw new IllegalArgumentException("row " + rows[i] + " outside 0.." + (x.rows() - 1));
            }
            out.buffer.put(i * h, x.buffer, rows[i] * h, h);
        }
        return out;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public int size() {
        return (int) size;
    }

    /** Number of rows when seen as a matrix whose rows are the last dimension. */
    public int rows() {
        return shape.length == 0 ? 1 : (int) (size / shape[shape.length - 1]);
    }

    public int cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    public FloatBuffer buffer() {
        check();
        return buffer;
    }

    FloatPointer pointer() {
        check();
        return pointer;
    }

    public float get(int i) {
        return buffer().get(i);
    }

    public void set(int i, float v) {
        buffer().put(i, v);
    }

    public float[] toArray() {
        float[] out = new float[size()];
        buffer().get(0, out);
        return out;
    }

    public void fill(float v) {
        if (v == 0f) {
            org.bytedeco.javacpp.Pointer.memset(pointer(), 0, Math.max(1, size) * 4);
            return;
        }
        FloatBuffer b = buffer();
        float[] chunk = new float[(int) Math.min(size, 8192)];
        Arrays.fill(chunk, v);
        for (int at = 0; at < size; at += chunk.length) {
            b.put(at, chunk, 0, (int) Math.min(chunk.length, size - at));
        }
    }

    public void copyFrom(Tensor other) {
        if (other.size != size) {
            throw new IllegalArgumentException("size mismatch: " + Arrays.toString(other.shape) + " into " + Arrays.toString(shape));
        }
        buffer().put(0, other.buffer(), 0, size());
    }

    public void copyFrom(float[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        buffer().put(0, values);
    }

    /** A new tensor with the same contents and shape. */
    public Tensor copy() {
        Tensor t = new Tensor(shape);
        t.copyFrom(this);
        return t;
    }

    public boolean isClosed() {
        return pointer == null;
    }

    private void check() {
        if (pointer == null) {
            throw new IllegalStateException("tensor " + Arrays.toString(shape) + " used after close()");
        }
    }

    @Override
    public void close() {
        if (pointer != null) {
            LIVE_BYTES.addAndGet(-Math.max(1, size) * 4);
            POOL.give(pointer, Math.max(1, size));
            pointer = null;
            buffer = null;
        }
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
