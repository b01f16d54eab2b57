package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;

/**
 * Multi-head scaled dot-product self-attention, the forward pass beside its backward:
 * <pre>
 *   [Q | K | V] = x @ [W_q | W_k | W_v] + [b_q | b_k | b_v]                  [tokens, 3H], one product
 *   for each sequence and head (d = H / heads columns of Q, K and V):
 *       S = Q K^T / sqrt(d),  P = softmax(S) over the text's own tokens,  ctx = drop(P) @ V
 * </pre>
 * The output projection, the residual and the LayerNorm are the layer's ({@link TransformerLayer}).
 */
final class SelfAttention {
    private SelfAttention() {
    }

    /** [W_q | W_k | W_v] as one [H, 3H] matrix, so the three projections are one product. */
    static Tensor fusedKernel(AlbertParams p, LayerNames n) {
        int h = p.config().hiddenSize();
        Tensor w = Tensor.empty(h, 3 * h);
        String[] names = {n.qKernel(), n.kKernel(), n.vKernel()};
        for (int part = 0; part < 3; part++) {
            FloatBuffer src = p.get(names[part]).buffer();
            for (int r = 0; r < h; r++) {
                w.buffer().put(r * 3 * h + part * h, src, r * h, h);
            }
        }
        return w;
    }

    static Tensor fusedBias(AlbertParams p, LayerNames n) {
        int h = p.config().hiddenSize();
        Tensor b = Tensor.empty(3 * h);
        b.buffer().put(0, p.get(n.qBias()).buffer(), 0, h);
        b.buffer().put(h, p.get(n.kBias()).buffer(), 0, h);
        b.buffer().put(2 * h, p.get(n.vBias()).buffer(), 0, h);
        return b;
    }

    /**
     * Scaled dot-product attention per sequence and head, masked keys excluded. Q, K, V are the column blocks
     * [0,H), [H,2H), [2H,3H) of qkv, each head a block of d columns within them. Each (sequence, head) is one task:
     * scores, softmax and context stay in cache, tasks run in parallel with single-threaded BLAS. The
     * probabilities are kept in {@code probs} for training, else in a per-thread scratch block.
     */
    static void forward(AlbertConfig c, Batch batch, Tensor qkv, Tensor probs, Tensor ctx, Dropout dropout,
                        int layer) {
        int heads = c.numAttentionHeads();
        int d = c.headSize();
        int h = c.hiddenSize();
        int h3 = 3 * h;
        int len = batch.length();
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] mask = batch.mask();
        boolean drop = dropout != null && dropout.attention() > 0;
        long dropBase = drop ? dropout.base(Dropout.attentionSite(layer)) : 0;
        Parallel.forRange(batch.batch() * heads, (long) len * len * d, (start, end) -> {
            float[] row = new float[len];
            Tensor scratch = probs == null ? Tensor.empty(len, len) : null;
            Tensor target = probs == null ? scratch : probs;
            Tensor dropped = drop ? Tensor.empty(len, len) : null;
            FloatBuffer pb = target.buffer();
            try {
                for (int item = start; item < end; item++) {
                    int b = item / heads;
                    int head = item % heads;
                    long q = (long) b * len * h3 + (long) head * d;
                    long out = (long) b * len * h + (long) head * d;
                    long s = probs == null ? 0 : (long) item * len * len;
                    Blas.gemm(false, true, len, len, d, scale, qkv, q, h3, qkv, q + h, h3, 0f, target, s, len);
                    Kernels.maskedSoftmaxRows(pb, s, len, len, mask, b * len, row);
                    if (drop) {
                        // ctx = drop(P) @ V; P itself stays in probs for the softmax's backward pass
                        droppedProbabilities(pb, s, len, dropBase, (long) item * len * len, dropout.attention(), dropped, row);
                        Blas.gemm(false, false, len, d, len, 1f, dropped, 0, len, qkv, q + 2L * h, h3, 0f, ctx, out, h);
                    } else {
                        Blas.gemm(false, false, len, d, len, 1f, target, s, len, qkv, q + 2L * h, h3, 0f, ctx, out, h);
                    }
                }
            } finally {
                if (scratch != null) {
                    scratch.close();
                }
                if (dropped != null) {
                    dropped.close();
                }
            }
        });
    }

    /** out = P * mask / (1 - rate) for one (sequence, head) block of len x len probabilities starting at s. */
    private static void droppedProbabilities(FloatBuffer pb, long s, int len, long base, long index0, float rate,
                                             Tensor out, float[] row) {
        FloatBuffer ob = out.buffer();
        for (int i = 0; i < len; i++) {
            pb.get((int) (s + (long) i * len), row, 0, len);
            Dropout.scale(row, 0, len, base, index0 + (long) i * len, rate);
            ob.put(i * len, row, 0, len);
        }
    }

    /**
     * The backward pass of {@link #forward}: d[Q | K | V] ([tokens, 3H], written) from d ctx, with the probabilities
     * P the training pass kept (dropout masks drawn again from the step's seed, not stored).
     */
    static void backward(AlbertConfig c, Batch batch, Tensor qkv, Tensor probs, Tensor dCtx, Tensor dQkv,
                         Dropout dropout, int layer) {
        int heads = c.numAttentionHeads();
        int d = c.headSize();
        int h = c.hiddenSize();
        int h3 = 3 * h;
        int len = batch.length();
        float scale = (float) (1.0 / Math.sqrt(d));
        FloatBuffer pb = probs.buffer();
        boolean drop = dropout != null && dropout.attention() > 0;
        long dropBase = drop ? dropout.base(Dropout.attentionSite(layer)) : 0;
        Parallel.forRange(batch.batch() * heads, 2L * len * len * d, (start, end) -> {
            float[] p = new float[len];
            float[] g = new float[len];
            try (Tensor dP = Tensor.empty(len, len); Tensor dropped = drop ? Tensor.empty(len, len) : null) {
                FloatBuffer db = dP.buffer();
                for (int item = start; item < end; item++) {
                    int b = item / heads;
                    int head = item % heads;
                    long q = (long) b * len * h3 + (long) head * d;
                    long o = (long) b * len * h + (long) head * d;
                    long s = (long) item * len * len;
                    long index0 = (long) item * len * len;
                    if (drop) {
                        // ctx = Pd @ V with Pd = P * s:  dPd = dCtx @ V^T,  dV = Pd^T @ dCtx,  dP = dPd * s
                        droppedProbabilities(pb, s, len, dropBase, index0, dropout.attention(), dropped, p);
                        Blas.gemm(false, true, len, len, d, 1f, dCtx, o, h, qkv, q + 2L * h, h3, 0f, dP, 0, len);
                        Blas.gemm(true, false, len, d, len, 1f, dropped, 0, len, dCtx, o, h, 0f, dQkv, q + 2L * h, h3);
                        for (int i = 0; i < len; i++) {
                            db.get(i * len, g, 0, len);
                            Dropout.scale(g, 0, len, dropBase, index0 + (long) i * len, dropout.attention());
                            db.put(i * len, g, 0, len);
                        }
                    } else {
                        // ctx = P @ V:  dP = dCtx @ V^T,  dV = P^T @ dCtx
                        Blas.gemm(false, true, len, len, d, 1f, dCtx, o, h, qkv, q + 2L * h, h3, 0f, dP, 0, len);
                        Blas.gemm(true, false, len, d, len, 1f, probs, s, len, dCtx, o, h, 0f, dQkv, q + 2L * h, h3);
                    }
                    Kernels.softmaxBackwardRows(pb, s, db, 0, len, len, p, g);
                    // S = scale * Q @ K^T:  dQ = scale * dS @ K,  dK = scale * dS^T @ Q
                    Blas.gemm(false, false, len, d, len, scale, dP, 0, len, qkv, q + h, h3, 0f, dQkv, q, h3);
                    Blas.gemm(true, false, len, d, len, scale, dP, 0, len, qkv, q, h3, 0f, dQkv, q + h, h3);
                }
            }
        });
    }
}
