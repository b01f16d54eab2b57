package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;

/**
 * The element-wise parts of the transformer, forward and backward, as loops over rows. A row is copied into a Java
 * array, computed there (where the JIT can vectorise) and copied back: bulk copies of native memory are cheap,
 * element-by-element access to it is not.
 */
public final class Kernels {
    /** sqrt(2/pi), of the tanh form of GELU (Hendrycks and Gimpel 2016), as in Google's BERT. */
    static final float GELU_C = 0.7978845608028654f;
    static final float GELU_A = 0.044715f;

    private Kernels() {
    }

    /** x[r, :] += bias for every row. */
    public static void addBias(Tensor x, Tensor bias) {
        int cols = x.cols();
        if (bias.size() != cols) {
            throw new IllegalArgumentException("bias " + bias + " for " + x);
        }
        float[] b = bias.toArray();
        float[] row = new float[cols];
        FloatBuffer xb = x.buffer();
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            xb.get(r * cols, row);
            for (int i = 0; i < cols; i++) {
                row[i] += b[i];
            }
            xb.put(r * cols, row);
        }
    }

    /** y += x, element-wise. */
    public static void addInPlace(Tensor y, Tensor x) {
        int n = y.size();
        if (x.size() != n) {
            throw new IllegalArgumentException("add: " + x + " into " + y);
        }
        int chunk = 4096;
        float[] a = new float[chunk];
        float[] b = new float[chunk];
        FloatBuffer yb = y.buffer();
        FloatBuffer xb = x.buffer();
        for (int at = 0; at < n; at += chunk) {
            int len = Math.min(chunk, n - at);
            yb.get(at, a, 0, len);
            xb.get(at, b, 0, len);
            for (int i = 0; i < len; i++) {
                a[i] += b[i];
            }
            yb.put(at, a, 0, len);
        }
    }

    /**
     * Layer normalisation of each row: y = (x - mean) / sqrt(var + eps) * gamma + beta. Saves the normalised
     * values (xhat) and 1/sqrt(var + eps) per row when the backward pass will need them (pass null otherwise).
     */
    public static void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor xhat, Tensor rstd) {
        int cols = x.cols();
        float[] g = gamma.toArray();
        float[] b = beta.toArray();
        float[] row = new float[cols];
        FloatBuffer xb = x.buffer();
        FloatBuffer yb = y.buffer();
        for (int r = 0, rows = x.rows(); r < rows; r++) {
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
            if (xhat != null) {
                xhat.buffer().put(r * cols, row);
                rstd.set(r, inv);
            }
            for (int i = 0; i < cols; i++) {
                row[i] = row[i] * g[i] + b[i];
            }
            yb.put(r * cols, row);
        }
    }

    /**
     * Backward of {@link #layerNorm}: given dy, writes dx and accumulates dgamma, dbeta.
     * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma.
     */
    public static void layerNormBackward(Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma,
                                         Tensor dx, Tensor dgamma, Tensor dbeta) {
        int cols = dy.cols();
        float[] g = gamma.toArray();
        float[] dg = dgamma.toArray();
        float[] db = dbeta.toArray();
        float[] dyRow = new float[cols];
        float[] xhRow = new float[cols];
        FloatBuffer dyb = dy.buffer();
        FloatBuffer xhb = xhat.buffer();
        FloatBuffer dxb = dx.buffer();
        for (int r = 0, rows = dy.rows(); r < rows; r++) {
            dyb.get(r * cols, dyRow);
            xhb.get(r * cols, xhRow);
            float inv = rstd.get(r);
            double meanD = 0;
            double meanDX = 0;
            for (int i = 0; i < cols; i++) {
                dg[i] += dyRow[i] * xhRow[i];
                db[i] += dyRow[i];
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
        dgamma.copyFrom(dg);
        dbeta.copyFrom(db);
    }

    /** GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), in place. */
    public static void gelu(Tensor x) {
        int n = x.size();
        int chunk = 4096;
        float[] a = new float[chunk];
        FloatBuffer xb = x.buffer();
        for (int at = 0; at < n; at += chunk) {
            int len = Math.min(chunk, n - at);
            xb.get(at, a, 0, len);
            for (int i = 0; i < len; i++) {
                float v = a[i];
                a[i] = 0.5f * v * (1f + tanh(GELU_C * (v + GELU_A * v * v * v)));
            }
            xb.put(at, a, 0, len);
        }
    }

    /** dx = dy * GELU'(x), where x is the GELU's input; written into dy. */
    public static void geluBackward(Tensor x, Tensor dy) {
        int n = x.size();
        int chunk = 4096;
        float[] a = new float[chunk];
        float[] d = new float[chunk];
        FloatBuffer xb = x.buffer();
        FloatBuffer db = dy.buffer();
        for (int at = 0; at < n; at += chunk) {
            int len = Math.min(chunk, n - at);
            xb.get(at, a, 0, len);
            db.get(at, d, 0, len);
            for (int i = 0; i < len; i++) {
                float v = a[i];
                float t = tanh(GELU_C * (v + GELU_A * v * v * v));
                float dt = (1f - t * t) * GELU_C * (1f + 3f * GELU_A * v * v);
                d[i] *= 0.5f * (1f + t) + 0.5f * v * dt;
            }
            db.put(at, d, 0, len);
        }
    }

    /** tanh through one exp: 1 - 2 / (e^{2x} + 1); Math.tanh is several times slower. */
    static float tanh(float x) {
        if (x > 15f) {
            return 1f;
        }
        if (x < -15f) {
            return -1f;
        }
        float e = (float) Math.exp(2f * x);
        return 1f - 2f / (e + 1f);
    }

    /**
     * Row-wise softmax of attention scores in place. Scores have rows of length {@code keys}; row r belongs to
     * sequence {@code r / rowsPerSequence}; key j of sequence b takes part only where {@code mask[b * keys + j]}.
     * Masked keys get probability 0 (the additive -1e12 of bert4keras, in effect).
     */
    public static void maskedSoftmax(Tensor scores, int keys, int rowsPerSequence, float[] mask) {
        float[] row = new float[keys];
        FloatBuffer sb = scores.buffer();
        for (int r = 0, rows = scores.size() / keys; r < rows; r++) {
            int b = r / rowsPerSequence;
            sb.get(r * keys, row);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < keys; j++) {
                if (mask[b * keys + j] != 0f && row[j] > max) {
                    max = row[j];
                }
            }
            float sum = 0f;
            for (int j = 0; j < keys; j++) {
                float e = mask[b * keys + j] != 0f ? (float) Math.exp(row[j] - max) : 0f;
                row[j] = e;
                sum += e;
            }
            float inv = sum > 0 ? 1f / sum : 0f;
            for (int j = 0; j < keys; j++) {
                row[j] *= inv;
            }
            sb.put(r * keys, row);
        }
    }

    /** Backward of softmax per row: dS = P * (dP - sum(dP * P)); written into dp. */
    public static void softmaxBackward(Tensor probs, Tensor dp, int keys) {
        float[] p = new float[keys];
        float[] d = new float[keys];
        FloatBuffer pb = probs.buffer();
        FloatBuffer db = dp.buffer();
        for (int r = 0, rows = probs.size() / keys; r < rows; r++) {
            pb.get(r * keys, p);
            db.get(r * keys, d);
            float dot = 0f;
            for (int j = 0; j < keys; j++) {
                dot += p[j] * d[j];
            }
            for (int j = 0; j < keys; j++) {
                d[j] = p[j] * (d[j] - dot);
            }
            db.put(r * keys, d);
        }
    }

    /** Column sums of a matrix, added into {@code out} (the gradient of a bias). */
    public static void addColumnSums(Tensor x, Tensor out) {
        int cols = x.cols();
        float[] acc = out.toArray();
        float[] row = new float[cols];
        FloatBuffer xb = x.buffer();
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            xb.get(r * cols, row);
            for (int i = 0; i < cols; i++) {
                acc[i] += row[i];
            }
        }
        out.copyFrom(acc);
    }
}
