package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;

/**
 * The element-wise parts of the transformer, forward and backward, as loops over rows split across
 * {@link Parallel} threads. A row (or chunk) is copied into a Java array, computed there (where the JIT can
 * vectorise) and copied back: bulk copies of native memory are cheap, element-by-element access to it is not.
 */
public final class Kernels {
    /** sqrt(2/pi), of the tanh form of GELU (Hendrycks and Gimpel 2016), as in Google's BERT. */
    static final float GELU_C = 0.7978845608028654f;
    static final float GELU_A = 0.044715f;
    private static final int CHUNK = 4096;

    private Kernels() {
    }

    /** x[r, :] += bias for every row. */
    public static void addBias(Tensor x, Tensor bias) {
        int cols = x.cols();
        if (bias.size() != cols) {
            throw new IllegalArgumentException("bias " + bias + " for " + x);
        }
        float[] b = bias.toArray();
        FloatBuffer xb = x.buffer();
        Parallel.forRange(x.rows(), cols, (start, end) -> {
            float[] row = new float[cols];
            for (int r = start; r < end; r++) {
                xb.get(r * cols, row);
                for (int i = 0; i < cols; i++) {
                    row[i] += b[i];
                }
                xb.put(r * cols, row);
            }
        });
    }

    /** y += x, element-wise. */
    public static void addInPlace(Tensor y, Tensor x) {
        int n = y.size();
        if (x.size() != n) {
            throw new IllegalArgumentException("add: " + x + " into " + y);
        }
        FloatBuffer yb = y.buffer();
        FloatBuffer xb = x.buffer();
        forChunks(n, (at, len, a) -> {
            float[] b = new float[len];
            yb.get(at, a, 0, len);
            xb.get(at, b, 0, len);
            for (int i = 0; i < len; i++) {
                a[i] += b[i];
            }
            yb.put(at, a, 0, len);
        });
    }

    /**
     * Layer normalisation of each row: y = (x - mean) / sqrt(var + eps) * gamma + beta (y may be x). Saves the
     * normalised values (xhat) and 1/sqrt(var + eps) per row when the backward pass will need them (else null).
     */
    public static void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor xhat, Tensor rstd) {
        int cols = x.cols();
        float[] g = gamma.toArray();
        float[] b = beta.toArray();
        FloatBuffer xb = x.buffer();
        FloatBuffer yb = y.buffer();
        FloatBuffer hb = xhat == null ? null : xhat.buffer();
        FloatBuffer rb = rstd == null ? null : rstd.buffer();
        Parallel.forRange(x.rows(), cols * 4L, (start, end) -> {
            float[] row = new float[cols];
            for (int r = start; r < end; r++) {
                xb.get(r * cols, row);
                double sum = 0;
                for (int i = 0; i < cols; i++) {
                    sum += row[i];
                }
                float mean = (float) (sum / cols);
                double sq = 0;
                for (int i = 0; i < cols; i++) {
                    float d = row[i] - mean;
                    sq += d * d;
                }
                float inv = (float) (1.0 / Math.sqrt(sq / cols + eps));
                for (int i = 0; i < cols; i++) {
                    row[i] = (row[i] - mean) * inv;
                }
                if (hb != null) {
                    hb.put(r * cols, row);
                    rb.put(r, inv);
                }
                for (int i = 0; i < cols; i++) {
                    row[i] = row[i] * g[i] + b[i];
                }
                yb.put(r * cols, row);
            }
        });
    }

    /**
     * Backward of {@link #layerNorm}: given dy, writes dx (may be dy) and adds into dgamma, dbeta (skipped when
     * null). dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma.
     */
    public static void layerNormBackward(Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma,
                                         Tensor dx, Tensor dgamma, Tensor dbeta) {
        int cols = dy.cols();
        float[] g = gamma.toArray();
        float[] dg = new float[cols];
        float[] db = new float[cols];
        FloatBuffer dyb = dy.buffer();
        FloatBuffer xhb = xhat.buffer();
        FloatBuffer dxb = dx.buffer();
        FloatBuffer rb = rstd.buffer();
        Parallel.forRange(dy.rows(), cols * 6L, (start, end) -> {
            float[] dyRow = new float[cols];
            float[] xhRow = new float[cols];
            float[] dgPart = new float[cols];
            float[] dbPart = new float[cols];
            for (int r = start; r < end; r++) {
                dyb.get(r * cols, dyRow);
                xhb.get(r * cols, xhRow);
                float inv = rb.get(r);
                double meanD = 0;
                double meanDX = 0;
                for (int i = 0; i < cols; i++) {
                    dgPart[i] += dyRow[i] * xhRow[i];
                    dbPart[i] += dyRow[i];
                    float d = dyRow[i] * g[i];
                    meanD += d;
                    meanDX += d * xhRow[i];
                }
                float md = (float) (meanD / cols);
                float mdx = (float) (meanDX / cols);
                for (int i = 0; i < cols; i++) {
                    dyRow[i] = inv * (dyRow[i] * g[i] - md - xhRow[i] * mdx);
                }
                dxb.put(r * cols, dyRow);
            }
            synchronized (dg) {
                for (int i = 0; i < cols; i++) {
                    dg[i] += dgPart[i];
                    db[i] += dbPart[i];
                }
            }
        });
        if (dgamma != null) {
            addInto(dgamma, dg);
            addInto(dbeta, db);
        }
    }

    private static void addInto(Tensor t, float[] values) {
        float[] acc = t.toArray();
        for (int i = 0; i < acc.length; i++) {
            acc[i] += values[i];
        }
        t.copyFrom(acc);
    }

    /** GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), in place. */
    public static void gelu(Tensor x) {
        FloatBuffer xb = x.buffer();
        forChunks(x.size(), (at, len, a) -> {
            xb.get(at, a, 0, len);
            for (int i = 0; i < len; i++) {
                float v = a[i];
                a[i] = 0.5f * v * (1f + FastMath.tanh(GELU_C * (v + GELU_A * v * v * v)));
            }
            xb.put(at, a, 0, len);
        });
    }

    /** dx = dy * GELU'(x), where x is the GELU's input; written into dy. */
    public static void geluBackward(Tensor x, Tensor dy) {
        FloatBuffer xb = x.buffer();
        FloatBuffer db = dy.buffer();
        int n = x.size();
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, CHUNK, (start, end) -> {
            float[] a = new float[CHUNK];
            float[] d = new float[CHUNK];
            for (int c = start; c < end; c++) {
                int at = c * CHUNK;
                int len = Math.min(CHUNK, n - at);
                xb.get(at, a, 0, len);
                db.get(at, d, 0, len);
                geluDerivative(a, d, len);
                db.put(at, d, 0, len);
            }
        });
    }

    private static void geluDerivative(float[] a, float[] d, int len) {
        float[] t = new float[len];
        for (int i = 0; i < len; i++) {
            float v = a[i];
            t[i] = FastMath.tanh(GELU_C * v * (1f + GELU_A * v * v));
        }
        for (int i = 0; i < len; i++) {
            float v = a[i];
            float th = t[i];
            float dt = (1f - th * th) * GELU_C * (1f + 3f * GELU_A * v * v);
            d[i] = d[i] * (0.5f * (1f + th) + 0.5f * v * dt);
        }
    }

    /**
     * Softmax of each row of {@code rows} rows of length {@code keys} starting at {@code offset}, in place, over the
     * keys whose mask entry (from {@code maskOffset}) is non-zero; masked keys get probability 0 (the additive
     * -1e12 of bert4keras, in effect).
     */
    static void maskedSoftmaxRows(FloatBuffer s, long offset, int rows, int keys, float[] mask, int maskOffset,
                                  float[] row) {
        for (int r = 0; r < rows; r++) {
            int at = (int) (offset + (long) r * keys);
            s.get(at, row, 0, keys);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < keys; j++) {
                if (mask[maskOffset + j] != 0f && row[j] > max) {
                    max = row[j];
                }
            }
            float sum = 0f;
            for (int j = 0; j < keys; j++) {
                float e = mask[maskOffset + j] != 0f ? FastMath.exp(row[j] - max) : 0f;
                row[j] = e;
                sum += e;
            }
            float inv = sum > 0 ? 1f / sum : 0f;
            for (int j = 0; j < keys; j++) {
                row[j] *= inv;
            }
            s.put(at, row, 0, keys);
        }
    }

    /** Softmax backward for {@code rows} rows at {@code offset}: dS = P * (dP - sum(dP * P)), written into dp. */
    static void softmaxBackwardRows(FloatBuffer pb, FloatBuffer db, long offset, int rows, int keys,
                                    float[] p, float[] d) {
        for (int r = 0; r < rows; r++) {
            int at = (int) (offset + (long) r * keys);
            pb.get(at, p, 0, keys);
            db.get(at, d, 0, keys);
            float dot = 0f;
            for (int j = 0; j < keys; j++) {
                dot += p[j] * d[j];
            }
            for (int j = 0; j < keys; j++) {
                d[j] = p[j] * (d[j] - dot);
            }
            db.put(at, d, 0, keys);
        }
    }

    /** Column sums of a matrix, added into {@code out} (the gradient of a bias). */
    public static void addColumnSums(Tensor x, Tensor out) {
        int cols = x.cols();
        float[] acc = new float[cols];
        FloatBuffer xb = x.buffer();
        Parallel.forRange(x.rows(), cols, (start, end) -> {
            float[] row = new float[cols];
            float[] part = new float[cols];
            for (int r = start; r < end; r++) {
                xb.get(r * cols, row);
                for (int i = 0; i < cols; i++) {
                    part[i] += row[i];
                }
            }
            synchronized (acc) {
                for (int i = 0; i < cols; i++) {
                    acc[i] += part[i];
                }
            }
        });
        addInto(out, acc);
    }

    @FunctionalInterface
    private interface ChunkBody {
        void run(int at, int len, float[] scratch);
    }

    /** Runs body over [0, n) in chunks of {@value #CHUNK} elements, chunks split across threads. */
    private static void forChunks(int n, ChunkBody body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, CHUNK, (start, end) -> {
            float[] scratch = new float[CHUNK];
            for (int c = start; c < end; c++) {
                int at = c * CHUNK;
                body.run(at, Math.min(CHUNK, n - at), scratch);
            }
        });
    }
}
