package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with bias correction, updating every parameter from its gradient; the learning rate
 * is given per step so a schedule can drive it. With a weight decay it is AdamW (Loshchilov and Hutter 2019):
 * p <- p - lr * (m_hat / (sqrt(v_hat) + eps) + lambda * p), the decay applied to the weights directly (not through
 * the gradient), and only to kernels and embedding tables ({@link AlbertParams#decays}). Its moments are part of
 * the training state that is checkpointed.
 */
public final class Adam implements AutoCloseable {
    /** Elements per chunk of the update: four chunks of floats stay in a core's L1/L2 cache. */
    private static final int CHUNK = 8192;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final AlbertParams m;
    private final AlbertParams v;
    private long step;

    public Adam(AlbertParams params, float beta1, float beta2, float epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = params.zerosLike();
        this.v = params.zerosLike();
    }

    /** Keras/bert4keras defaults: beta1 0.9, beta2 0.999, epsilon 1e-7 (PyTorch uses 1e-8). */
    public static Adam withDefaults(AlbertParams params) {
        return new Adam(params, 0.9f, 0.999f, 1e-7f);
    }

    public long step() {
        return step;
    }

    public AlbertParams firstMoments() {
        return m;
    }

    public AlbertParams secondMoments() {
        return v;
    }

    public void restore(long steps) {
        this.step = steps;
    }

    /** One update of every parameter with learning rate {@code lr}. */
    public void update(AlbertParams params, AlbertParams grads, float lr) {
        update(params, grads, lr, 0f);
    }

    /**
     * Scales every gradient by min(1, maxNorm / ||g||), ||g|| the global L2 norm over all of them (Pascanu et al.
     * 2013; PyTorch's clip_grad_norm_). Returns the norm before clipping. The sum runs in a fixed order in double,
     * so it does not depend on threads.
     */
    public static double clipGlobalNorm(AlbertParams grads, double maxNorm) {
        double sq = 0;
        float[] chunk = new float[8192];
        for (Tensor t : grads.tensors().values()) {
            FloatBuffer b = t.buffer();
            int n = t.size();
            for (int at = 0; at < n; at += chunk.length) {
                int len = Math.min(chunk.length, n - at);
                b.get(at, chunk, 0, len);
                double s = 0;
                for (int i = 0; i < len; i++) {
                    s += (double) chunk[i] * chunk[i];
                }
                sq += s;
            }
        }
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (Tensor t : grads.tensors().values()) {
                FloatBuffer b = t.buffer();
                int n = t.size();
                for (int at = 0; at < n; at += chunk.length) {
                    int len = Math.min(chunk.length, n - at);
                    b.get(at, chunk, 0, len);
                    for (int i = 0; i < len; i++) {
                        chunk[i] *= scale;
                    }
                    b.put(at, chunk, 0, len);
                }
            }
        }
        return norm;
    }

    /**
     * One AdamW update with learning rate {@code lr} and decoupled weight decay {@code weightDecay} (0: Adam), in one
     * fused pass per tensor (read p, g, m, v once, write p, m, v once) split in chunks over the engine's threads.
     * Every element's arithmetic is the same whoever runs it, so the result does not depend on the thread count.
     * Measured (2026-11-26, 2 cores, ALBERT-tiny, 8 M parameters): 16 ms a step on one thread, 9.5 ms on two.
     */
    public void update(AlbertParams params, AlbertParams grads, float lr, float weightDecay) {
        update(params, grads, lr, weightDecay, null);
    }

    /**
     * Like {@link #update(AlbertParams, AlbertParams, float, float)}; with {@code wordRows} (sorted, distinct) the
     * word-embedding table is updated at those rows only (lazy Adam: the other rows' moments and weights stay as
     * they are; their gradient is 0 when the rows are the batch's tokens). Null: every row, plain (W)Adam.
     */
    public void update(AlbertParams params, AlbertParams grads, float lr, float weightDecay, int[] wordRows) {
        step++;
        float c1 = (float) (1 - Math.pow(beta1, step));
        float c2 = (float) (1 - Math.pow(beta2, step));
        float stepSize = lr / c1;
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        for (Map.Entry<String, Tensor> e : params.tensors().entrySet()) {
            String name = e.getKey();
            Tensor p = e.getValue();
            float decay = AlbertParams.decays(name) ? 1f - lr * weightDecay : 1f;
            Segment update = new Segment(p.buffer(), grads.get(name).buffer(), m.get(name).buffer(),
                    v.get(name).buffer(), decay, stepSize, invSqrtC2);
            if (wordRows != null && name.equals(AlbertParams.WORD)) {
                int width = p.cols();
                Parallel.forRange(wordRows.length, width * 4L, (from, to) -> {
                    float[][] work = new float[4][width];
                    for (int r = from; r < to; r++) {
                        update.run(wordRows[r] * width, width, work);
                    }
                });
            } else {
                int n = p.size();
                Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK * 4L, (from, to) -> {
                    float[][] work = new float[4][CHUNK];
                    for (int c = from; c < to; c++) {
                        update.run(c * CHUNK, Math.min(CHUNK, n - c * CHUNK), work);
                    }
                });
            }
        }
    }

    /** The update of one tensor: its elements [at, at + len) at a time, through four scratch arrays. */
    private final class Segment {
        private final FloatBuffer p;
        private final FloatBuffer g;
        private final FloatBuffer m;
        private final FloatBuffer v;
        private final float decay;
        private final float stepSize;
        private final float invSqrtC2;

        Segment(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, float decay, float stepSize,
                float invSqrtC2) {
            this.p = p;
            this.g = g;
            this.m = m;
            this.v = v;
            this.decay = decay;
            this.stepSize = stepSize;
            this.invSqrtC2 = invSqrtC2;
        }

        void run(int at, int len, float[][] work) {
            // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p = p (1 - lr wd) - lr/c1 * m / (sqrt(v / c2) + eps)
            float[] pw = work[0];
            float[] gw = work[1];
            float[] mw = work[2];
            float[] vw = work[3];
            p.get(at, pw, 0, len);
            g.get(at, gw, 0, len);
            m.get(at, mw, 0, len);
            v.get(at, vw, 0, len);
            for (int i = 0; i < len; i++) {
                float gi = gw[i];
                mw[i] = beta1 * mw[i] + (1 - beta1) * gi;
                vw[i] = beta2 * vw[i] + (1 - beta2) * gi * gi;
                pw[i] = pw[i] * decay - stepSize * mw[i] / ((float) Math.sqrt(vw[i]) * invSqrtC2 + epsilon);
            }
            p.put(at, pw, 0, len);
            m.put(at, mw, 0, len);
            v.put(at, vw, 0, len);
        }
    }

    /** The sorted distinct token ids of a batch: the word-embedding rows a lazy update touches. */
    public static int[] distinctIds(int[] ids) {
        return Arrays.stream(ids).distinct().sorted().toArray();
    }

    @Override
    public void close() {
        m.close();
        v.close();
    }
}
