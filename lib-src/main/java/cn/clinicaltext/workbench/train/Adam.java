package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Tensor;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with bias correction, updating every parameter from its gradient; the learning rate
 * is given per step so a schedule can drive it. With a weight decay it is AdamW (Loshchilov and Hutter 2019):
 * p <- p - lr * (m_hat / (sqrt(v_hat) + eps) + lambda * p), the decay applied to the weights directly (not through
 * the gradient), and only to kernels and embedding tables ({@link AlbertParams#decays}). Its moments are part of
 * the training state that is checkpointed.
 */
public final class Adam implements AutoCloseable {
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

    /** One AdamW update with learning rate {@code lr} and decoupled weight decay {@code weightDecay} (0: Adam). */
    public void update(AlbertParams params, AlbertParams grads, float lr, float weightDecay) {
        step++;
        float c1 = (float) (1 - Math.pow(beta1, step));
        float c2 = (float) (1 - Math.pow(beta2, step));
        float stepSize = lr / c1;
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        int chunk = 8192;
        float[] pw = new float[chunk];
        float[] gw = new float[chunk];
        float[] mw = new float[chunk];
        float[] vw = new float[chunk];
        for (Map.Entry<String, Tensor> e : params.tensors().entrySet()) {
            FloatBuffer p = e.getValue().buffer();
            FloatBuffer g = grads.get(e.getKey()).buffer();
            FloatBuffer mb = m.get(e.getKey()).buffer();
            FloatBuffer vb = v.get(e.getKey()).buffer();
            int n = e.getValue().size();
            float decay = AlbertParams.decays(e.getKey()) ? 1f - lr * weightDecay : 1f;
            for (int at = 0; at < n; at += chunk) {
                int len = Math.min(chunk, n - at);
                p.get(at, pw, 0, len);
                g.get(at, gw, 0, len);
                mb.get(at, mw, 0, len);
                vb.get(at, vw, 0, len);
                for (int i = 0; i < len; i++) {
                    float gi = gw[i];
                    mw[i] = beta1 * mw[i] + (1 - beta1) * gi;
                    vw[i] = beta2 * vw[i] + (1 - beta2) * gi * gi;
                    pw[i] = pw[i] * decay - stepSize * mw[i] / ((float) Math.sqrt(vw[i]) * invSqrtC2 + epsilon);
                }
                p.put(at, pw, 0, len);
                mb.put(at, mw, 0, len);
                vb.put(at, vw, 0, len);
            }
        }
    }

    @Override
    public void close() {
        m.close();
        v.close();
    }
}
