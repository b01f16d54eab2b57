package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;

/**
 * The element-wise parts of the transformer, forward and backward, as loops over rows split across
 * {@link Parallel} threads. A row (or chunk) is copied into a Java array, computed there (where the JIT can
 * vectorise) and copied back: bulk copies of native memory are cheap, element-by-element access to it is not.
 */
public final class Kernels {
    private static final int CHUNK = 4096;
    /** Added to masked scores so they never win the maximum; their probability is then set to exactly 0. */
    private static final float MASKED = -1e5f;

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
                normaliseRow(row, r, eps, g, b, hb, rb);
                yb.put(r * cols, row);
            }
        });
    }

    /**
     * The shared core of both LayerNorm kernels: row becomes (row - mean) / sqrt(var + eps) * g + b; the
     * normalised values and 1/sqrt(var + eps) go to hb and rb (row r) when they are not null.
     */
    private static void normaliseRow(float[] row, int r, float eps, float[] g, float[] b, FloatBuffer hb, FloatBuffer rb) {
        int cols = row.length;
        float sum = 0f;
        for (int i = 0; i < cols; i++) {
            sum += row[i];
        }
        float mean = sum / cols;
        float sq = 0f;
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
    }

    /**
     * Backward of {@link #layerNorm}: given dy, writes dx (may be dy) and adds into dgamma, dbeta (skipped when
     * null). dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma.
     */
    public static void layerNormBackward(Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma,
                                         Tensor dx, Tensor dgamma, Tensor dbeta) {
        int cols = dy.cols();
        float[] g = gamma.toArray();
        int parts = Parallel.threads();
        float[][] dgParts = new float[parts][cols];
        float[][] dbParts = new float[parts][cols];
        FloatBuffer dyb = dy.buffer();
        FloatBuffer xhb = xhat.buffer();
        FloatBuffer dxb = dx.buffer();
        FloatBuffer rb = rstd.buffer();
        Parallel.forParts(dy.rows(), cols * 6L, (part, start, end) -> {
            float[] dyRow = new float[cols];
            float[] xhRow = new float[cols];
            float[] dgPart = dgParts[part];
            float[] dbPart = dbParts[part];
            for (int r = start; r < end; r++) {
                dyb.get(r * cols, dyRow);
                xhb.get(r * cols, xhRow);
                float inv = rb.get(r);
                float meanD = 0f;
                float meanDX = 0f;
                for (int i = 0; i < cols; i++) {
                    dgPart[i] += dyRow[i] * xhRow[i];
                    dbPart[i] += dyRow[i];
                    float d = dyRow[i] * g[i];
                    meanD += d;
                    meanDX += d * xhRow[i];
                }
                float md = meanD / cols;
                float mdx = meanDX / cols;
                for (int i = 0; i < cols; i++) {
                    dyRow[i] = inv * (dyRow[i] * g[i] - md - xhRow[i] * mdx);
                }
                dxb.put(r * cols, dyRow);
            }
        });
        if (dgamma != null) {
            for (int part = 0; part < parts; part++) {
                addInto(dgamma, dgParts[part]);
                addInto(dbeta, dbParts[part]);
            }
        }
    }

    private static void addInto(Tensor t, float[] values) {
        float[] acc = t.toArray();
        for (int i = 0; i < acc.length; i++) {
            acc[i] += values[i];
        }
        t.copyFrom(acc);
    }

    /**
     * out = LayerNorm(x + bias + residual) per row, in one pass (x may be out): the end of both sub-blocks of a
     * post-LN transformer layer. Saves xhat and rstd for the backward pass when they are not null. A null bias adds
     * nothing (it was added before dropout).
     */
    public static void biasResidualLayerNorm(Tensor x, Tensor bias, Tensor residual, Tensor gamma, Tensor beta,
                                             float eps, Tensor out, Tensor xhat, Tensor rstd) {
        int cols = x.cols();
        float[] bi = bias == null ? new float[cols] : bias.toArray();
        float[] g = gamma.toArray();
        float[] b = beta.toArray();
        FloatBuffer xb = x.buffer();
        FloatBuffer resb = residual.buffer();
        FloatBuffer ob = out.buffer();
        FloatBuffer hb = xhat == null ? null : xhat.buffer();
        FloatBuffer rb = rstd == null ? null : rstd.buffer();
        Parallel.forRange(x.rows(), cols * 5L, (start, end) -> {
            float[] row = new float[cols];
            float[] res = new float[cols];
            for (int r = start; r < end; r++) {
                xb.get(r * cols, row);
                resb.get(r * cols, res);
                for (int i = 0; i < cols; i++) {
                    row[i] = row[i] + bi[i] + res[i];
                }
                normaliseRow(row, r, eps, g, b, hb, rb);
                ob.put(r * cols, row);
            }
        });
    }

    /** x += bias per row, then out = act(x) (out may be x: in place, when no backward pass will follow). */
    public static void biasActivation(Tensor x, Tensor bias, Activation act, Tensor out) {
        int cols = x.cols();
        float[] bi = bias.toArray();
        FloatBuffer xb = x.buffer();
        FloatBuffer ab = out.buffer();
        Parallel.forRange(x.rows(), cols * 8L, (start, end) -> {
            float[] row = new float[cols];
            float[] work = new float[cols];
            for (int r = start; r < end; r++) {
                xb.get(r * cols, row);
                for (int i = 0; i < cols; i++) {
                    row[i] += bi[i];
                }
                if (out != x) {
                    xb.put(r * cols, row);
                }
                act.forward(row, work, cols);
                ab.put(r * cols, row);
            }
        });
    }

    /** x = act(x), in place. */
    public static void activation(Tensor x, Activation act) {
        FloatBuffer xb = x.buffer();
        forChunks(x.size(), 2, (at, len, s) -> {
            xb.get(at, s[0], 0, len);
            act.forward(s[0], s[1], len);
            xb.put(at, s[0], 0, len);
        });
    }

    /** dx = dy * act'(x), where x is the activation's input; written into dy. */
    public static void activationBackward(Tensor x, Tensor dy, Activation act) {
        FloatBuffer xb = x.buffer();
        FloatBuffer db = dy.buffer();
        forChunks(x.size(), 3, (at, len, s) -> {
            xb.get(at, s[0], 0, len);
            db.get(at, s[1], 0, len);
            act.backward(s[0], s[1], s[2], len);
            db.put(at, s[1], 0, len);
        });
    }

    /**
     * Softmax of each row of {@code rows} rows of length {@code keys} starting at {@code offset}, in place, over the
     * keys whose mask entry (from {@code maskOffset}) is non-zero; masked keys get probability 0 (the additive
     * -1e12 of bert4keras, in effect). Written without branches so the JIT vectorises it.
     */
    static void maskedSoftmaxRows(FloatBuffer s, long offset, int rows, int keys, float[] mask, int maskOffset,
                                  float[] row) {
        float[] bias = new float[keys];
        float[] keep = new float[keys];
        for (int j = 0; j < keys; j++) {
            keep[j] = mask[maskOffset + j] != 0f ? 1f : 0f;
            bias[j] = mask[maskOffset + j] != 0f ? 0f : MASKED;
        }
        for (int r = 0; r < rows; r++) {
            int at = (int) (offset + (long) r * keys);
            s.get(at, row, 0, keys);
            for (int j = 0; j < keys; j++) {
                row[j] += bias[j];
            }
            float max = max(row, keys);
            for (int j = 0; j < keys; j++) {
                row[j] = FastMath.expNonPositive(row[j] - max) * keep[j];
            }
            float inv = 1f / sum(row, keys);
            for (int j = 0; j < keys; j++) {
                row[j] *= inv;
            }
            s.put(at, row, 0, keys);
        }
    }

    /**
     * Softmax cross-entropy of each row of {@code logits} against its target, in place: the row becomes the loss
     * gradient (softmax - onehot) * gradScale; the loss of row r goes to {@code loss[r]} and whether its largest logit
     * is the target to {@code correct[r]}. The masked-LM output layer's softmax over the whole vocabulary.
     */
    public static void softmaxCrossEntropyRows(Tensor logits, int[] targets, float gradScale, double[] loss,
                                               boolean[] correct) {
        int cols = logits.cols();
        FloatBuffer lb = logits.buffer();
        Parallel.forRange(logits.rows(), cols * 6L, (start, end) -> {
            float[] row = new float[cols];
            for (int r = start; r < end; r++) {
                lb.get(r * cols, row);
                float max = max(row, cols);
                float target = row[targets[r]];
                correct[r] = target >= max;
                for (int j = 0; j < cols; j++) {
                    row[j] = FastMath.expNonPositive(row[j] - max);
                }
                float total = sum(row, cols);
                loss[r] = Math.log(total) + max - target;
                float inv = gradScale / total;
                for (int j = 0; j < cols; j++) {
                    row[j] *= inv;
                }
                row[targets[r]] -= gradScale;
                lb.put(r * cols, row);
            }
        });
    }

    /** Maximum with four independent accumulators (a reduction the JIT would not vectorise stays off the loops
     * that it does). */
    private static float max(float[] a, int n) {
        float m0 = -Float.MAX_VALUE;
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            m0 = Math.max(m0, a[i]);
            m1 = Math.max(m1, a[i + 1]);
            m2 = Math.max(m2, a[i + 2]);
            m3 = Math.max(m3, a[i + 3]);
        }
        for (; i < n; i++) {
            m0 = Math.max(m0, a[i]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    private static float sum(float[] a, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Softmax backward for {@code rows} rows of length {@code keys}: dS = P * (dP - sum(dP * P)), written into dp.
     * P is read from {@code pOffset}, dP read and written at {@code dOffset}.
     */
    static void softmaxBackwardRows(FloatBuffer pb, long pOffset, FloatBuffer db, long dOffset, int rows, int keys,
                                    float[] p, float[] d) {
        for (int r = 0; r < rows; r++) {
            int pa = (int) (pOffset + (long) r * keys);
            int da = (int) (dOffset + (long) r * keys);
            pb.get(pa, p, 0, keys);
            db.get(da, d, 0, keys);
            float dot = 0f;
            for (int j = 0; j < keys; j++) {
                dot += p[j] * d[j];
            }
            for (int j = 0; j < keys; j++) {
                d[j] = p[j] * (d[j] - dot);
            }
            db.put(da, d, 0, keys);
        }
    }

    /** Column sums of a matrix, added into {@code out} (the gradient of a bias). */
    public static void addColumnSums(Tensor x, Tensor out) {
        addColumnSums(x, 0, x.cols(), out);
    }

    /** Sums of columns [from, from + width) of a matrix, added into {@code out}. Deterministic: per-thread partial
     * sums are added in thread order. */
    public static void addColumnSums(Tensor x, int from, int width, Tensor out) {
        int cols = x.cols();
        int parts = Parallel.threads();
        float[][] partial = new float[parts][width];
        FloatBuffer xb = x.buffer();
        Parallel.forParts(x.rows(), width, (part, start, end) -> {
            float[] row = new float[width];
            float[] acc = partial[part];
            for (int r = start; r < end; r++) {
                xb.get(r * cols + from, row);
                for (int i = 0; i < width; i++) {
                    acc[i] += row[i];
                }
            }
        });
        float[] total = out.toArray();
        for (float[] part : partial) {
            for (int i = 0; i < width; i++) {
                total[i] += part[i];
            }
        }
        out.copyFrom(total);
    }

    @FunctionalInterface
    private interface ChunkBody {
        void run(int at, int len, float[][] scratch);
    }

    /**
     * Runs body over [0, n) in chunks of {@value #CHUNK} elements, chunks split across threads; each thread's body
     * gets {@code arrays} scratch arrays of {@value #CHUNK} floats.
     */
    private static void forChunks(int n, int arrays, ChunkBody body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, CHUNK, (start, end) -> {
            float[][] scratch = new float[arrays][CHUNK];
            for (int c = start; c < end; c++) {
                int at = c * CHUNK;
                body.run(at, Math.min(CHUNK, n - at), scratch);
            }
        });
    }
}
