package cn.clinicaltext.workbench.model;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.Arrays;

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
        this.pointer = new FloatPointer(Math.max(1, n));
        this.buffer = pointer.capacity(Math.max(1, n)).asBuffer();
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
        FloatBuffer b = buffer();
        for (int i = 0; i < size; i++) {
            b.put(i, v);
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
            pointer.deallocate();
            pointer = null;
            buffer = null;
        }
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
