package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ALBERT encoder with a classifier on [CLS], forward and backward written out for this one architecture
 * (post-LayerNorm blocks, one set of layer weights applied numHiddenLayers times, GELU tanh form, no pooler):
 * <pre>
 *   e = LayerNorm(word[ids] + type[segments] + position)            (width E)
 *   x = e @ W_map + b_map            if E != H, else x = e
 *   repeat L times:  x1 = LN(x + Attention(x) @ W_o + b_o);  x = LN(x1 + GELU(x1 @ W_i + b_i) @ W_f + b_f)
 *   logits = x[:, 0] @ W_cls + b_cls
 * </pre>
 * Matrix products go to OpenBLAS on native memory (attention heads as strided column blocks, no copies); the
 * element-wise parts are {@link Kernels}. Why not SameDiff: see README, "Model engine".
 */
public final class AlbertClassifier {
    private AlbertClassifier() {
    }

    /** Activations of one forward pass, kept for the backward pass and for inspection. Close when done. */
    public static final class Forward implements AutoCloseable {
        final Batch batch;
        final Tensor wordInput;
        /** Embedding sum before LayerNorm is not needed; its normalised form and statistics are. */
        final Tensor embXhat;
        final Tensor embRstd;
        final Tensor embOut;
        final List<LayerCache> layers = new ArrayList<>();
        final Tensor output;
        final Tensor cls;
        public final Tensor logits;
        /** [CLS] vector after the embeddings (projected when factorised) and after each layer, if recorded. */
        public final List<float[]> clsPerLayer = new ArrayList<>();

        Forward(Batch batch, Tensor wordInput, Tensor embXhat, Tensor embRstd, Tensor embOut, Tensor output,
                Tensor cls, Tensor logits) {
            this.batch = batch;
            this.wordInput = wordInput;
            this.embXhat = embXhat;
            this.embRstd = embRstd;
            this.embOut = embOut;
            this.output = output;
            this.cls = cls;
            this.logits = logits;
        }

        /** Final hidden states [batch * length, hidden]. */
        public Tensor output() {
            return output;
        }

        @Override
        public void close() {
            for (Tensor t : new Tensor[]{embXhat, embRstd, embOut, output, cls, logits}) {
                if (t != null) {
                    t.close();
                }
            }
            layers.forEach(LayerCache::close);
        }
    }

    static final class LayerCache implements AutoCloseable {
        Tensor input;
        Tensor q;
        Tensor k;
        Tensor v;
        Tensor probs;
        Tensor ctx;
        Tensor xhat1;
        Tensor rstd1;
        Tensor x1;
        Tensor ffnPre;
        Tensor ffnAct;
        Tensor xhat2;
        Tensor rstd2;

        @Override
        public void close() {
            for (Tensor t : new Tensor[]{input, q, k, v, probs, ctx, xhat1, rstd1, x1, ffnPre, ffnAct, xhat2, rstd2}) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    /**
     * Runs the model. {@code wordEmbeddings}, when given ([tokens, E]), replaces the word-embedding lookup
     * (integrated gradients feeds interpolated embeddings this way). With {@code recordCls}, the [CLS] vector after
     * the embeddings and after every layer is kept in {@link Forward#clsPerLayer}.
     */
    public static Forward forward(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls) {
        if (batch.tokens() <= SMALL_JOB_TOKENS) {
            Forward[] out = new Forward[1];
            Blas.singleThreaded(() -> out[0] = Parallel.sequentially(() -> forwardPass(p, batch, wordEmbeddings, recordCls)));
            return out[0];
        }
        return forwardPass(p, batch, wordEmbeddings, recordCls);
    }

    /** Jobs up to this many tokens (one short text) run on one thread: waking threads costs more than it saves. */
    static final int SMALL_JOB_TOKENS = 128;

    private static Forward forwardPass(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int len = batch.length();
        int e = c.embeddingSize();
        int h = c.hiddenSize();
        if (len > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + len + " exceeds max_position_embeddings "
                    + c.maxPositionEmbeddings());
        }
        Tensor emb = embed(p, batch, wordEmbeddings);
        Tensor embXhat = Tensor.empty(tokens, e);
        Tensor embRstd = Tensor.empty(tokens);
        Kernels.layerNorm(emb, p.get(AlbertParams.EMB_LN_GAMMA), p.get(AlbertParams.EMB_LN_BETA), c.layerNormEps(),
                emb, embXhat, embRstd);
        Tensor x;
        if (c.factorisedEmbeddings()) {
            x = Tensor.empty(tokens, h);
            Blas.matmul(emb, false, p.get(AlbertParams.MAP_KERNEL), false, x, false);
            Kernels.addBias(x, p.get(AlbertParams.MAP_BIAS));
        } else {
            x = emb.copy();
        }
        List<float[]> clsPerLayer = new ArrayList<>();
        if (recordCls) {
            clsPerLayer.add(clsRows(x, batch));
        }
        List<LayerCache> caches = new ArrayList<>();
        for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
            LayerCache cache = new LayerCache();
            cache.input = x;
            x = layer(p, batch, x, cache);
            caches.add(cache);
            if (recordCls) {
                clsPerLayer.add(clsRows(x, batch));
            }
        }
        Tensor cls = Tensor.empty(batch.batch(), h);
        for (int b = 0; b < batch.batch(); b++) {
            cls.buffer().put(b * h, x.buffer(), b * len * h, h);
        }
        Tensor logits = Tensor.empty(batch.batch(), p.numClasses());
        Blas.matmul(cls, false, p.get(AlbertParams.CLS_KERNEL), false, logits, false);
        Kernels.addBias(logits, p.get(AlbertParams.CLS_BIAS));
        Forward f = new Forward(batch, wordEmbeddings, embXhat, embRstd, emb, x, cls, logits);
        f.layers.addAll(caches);
        f.clsPerLayer.addAll(clsPerLayer);
        return f;
    }

    private static float[] clsRows(Tensor x, Batch batch) {
        int h = x.cols();
        float[] out = new float[batch.batch() * h];
        for (int b = 0; b < batch.batch(); b++) {
            x.buffer().get(b * batch.length() * h, out, b * h, h);
        }
        return out;
    }

    /** word[ids] (or the given word embeddings) + type[segments] + position[t]. */
    private static Tensor embed(AlbertParams p, Batch batch, Tensor wordEmbeddings) {
        int e = p.config().embeddingSize();
        int tokens = batch.tokens();
        Tensor out = Tensor.empty(tokens, e);
        FloatBuffer word = p.get(AlbertParams.WORD).buffer();
        FloatBuffer type = p.get(AlbertParams.TOKEN_TYPE).buffer();
        FloatBuffer pos = p.get(AlbertParams.POSITION).buffer();
        FloatBuffer ob = out.buffer();
        float[] row = new float[e];
        float[] add = new float[e];
        int vocab = p.config().vocabSize();
        for (int t = 0; t < tokens; t++) {
            if (wordEmbeddings != null) {
                wordEmbeddings.buffer().get(t * e, row);
            } else {
                int id = batch.ids()[t];
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab);
                }
                word.get(id * e, row);
            }
            type.get(batch.segments()[t] * e, add);
            for (int i = 0; i < e; i++) {
                row[i] += add[i];
            }
            pos.get((t % batch.length()) * e, add);
            for (int i = 0; i < e; i++) {
                row[i] += add[i];
            }
            ob.put(t * e, row);
        }
        return out;
    }

    /** One application of the shared transformer layer. */
    private static Tensor layer(AlbertParams p, Batch batch, Tensor x, LayerCache cache) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int h = c.hiddenSize();
        cache.q = dense(x, p.get(AlbertParams.Q_KERNEL), p.get(AlbertParams.Q_BIAS));
        cache.k = dense(x, p.get(AlbertParams.K_KERNEL), p.get(AlbertParams.K_BIAS));
        cache.v = dense(x, p.get(AlbertParams.V_KERNEL), p.get(AlbertParams.V_BIAS));
        cache.probs = Tensor.empty(batch.batch(), c.numAttentionHeads(), batch.length(), batch.length());
        cache.ctx = Tensor.empty(tokens, h);
        attention(c, batch, cache.q, cache.k, cache.v, cache.probs, cache.ctx);
        Tensor a = dense(cache.ctx, p.get(AlbertParams.O_KERNEL), p.get(AlbertParams.O_BIAS));
        Kernels.addInPlace(a, x);
        cache.xhat1 = Tensor.empty(tokens, h);
        cache.rstd1 = Tensor.empty(tokens);
        Kernels.layerNorm(a, p.get(AlbertParams.ATTN_LN_GAMMA), p.get(AlbertParams.ATTN_LN_BETA), c.layerNormEps(),
                a, cache.xhat1, cache.rstd1);
        cache.x1 = a;
        cache.ffnPre = dense(a, p.get(AlbertParams.FFN_IN_KERNEL), p.get(AlbertParams.FFN_IN_BIAS));
        cache.ffnAct = cache.ffnPre.copy();
        activation(c, cache.ffnAct);
        Tensor f = dense(cache.ffnAct, p.get(AlbertParams.FFN_OUT_KERNEL), p.get(AlbertParams.FFN_OUT_BIAS));
        Kernels.addInPlace(f, a);
        cache.xhat2 = Tensor.empty(tokens, h);
        cache.rstd2 = Tensor.empty(tokens);
        Kernels.layerNorm(f, p.get(AlbertParams.FFN_LN_GAMMA), p.get(AlbertParams.FFN_LN_BETA), c.layerNormEps(),
                f, cache.xhat2, cache.rstd2);
        return f;
    }

    private static void activation(AlbertConfig c, Tensor x) {
        if (c.hiddenAct().equals("relu")) {
            FloatBuffer b = x.buffer();
            for (int i = 0, n = x.size(); i < n; i++) {
                b.put(i, Math.max(0f, b.get(i)));
            }
        } else {
            Kernels.gelu(x);
        }
    }

    private static void activationBackward(AlbertConfig c, Tensor pre, Tensor grad) {
        if (c.hiddenAct().equals("relu")) {
            FloatBuffer pb = pre.buffer();
            FloatBuffer gb = grad.buffer();
            for (int i = 0, n = pre.size(); i < n; i++) {
                if (pb.get(i) <= 0f) {
                    gb.put(i, 0f);
                }
            }
        } else {
            Kernels.geluBackward(pre, grad);
        }
    }

    static Tensor dense(Tensor x, Tensor kernel, Tensor bias) {
        Tensor y = Tensor.empty(x.rows(), kernel.cols());
        Blas.matmul(x, false, kernel, false, y, false);
        Kernels.addBias(y, bias);
        return y;
    }

    /**
     * Scaled dot-product attention per sequence and head, masked keys excluded; heads are column blocks of Q, K, V
     * and of the context. Each (sequence, head) is one task: scores, softmax and context stay in cache, and tasks
     * run in parallel with single-threaded BLAS.
     */
    private static void attention(AlbertConfig c, Batch batch, Tensor q, Tensor k, Tensor v, Tensor probs, Tensor ctx) {
        int heads = c.numAttentionHeads();
        int d = c.headSize();
        int h = c.hiddenSize();
        int len = batch.length();
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] mask = batch.mask();
        FloatBuffer pb = probs.buffer();
        Blas.singleThreaded(() -> Parallel.forRange(batch.batch() * heads, (long) len * len * d, (start, end) -> {
            float[] row = new float[len];
            for (int item = start; item < end; item++) {
                int b = item / heads;
                int head = item % heads;
                long qk = (long) b * len * h + (long) head * d;
                long s = (long) item * len * len;
                Blas.gemm(false, true, len, len, d, scale, q, qk, h, k, qk, h, 0f, probs, s, len);
                Kernels.maskedSoftmaxRows(pb, s, len, len, mask, b * len, row);
                Blas.gemm(false, false, len, d, len, 1f, probs, s, len, v, qk, h, 0f, ctx, qk, h);
            }
        }));
    }

    /**
     * Backward pass from the gradient of the loss with respect to the logits. Parameter gradients are added into
     * {@code grads}. Returns the gradient with respect to the word embeddings fed to the model ([tokens, E]) when
     * the forward pass was given word embeddings (integrated gradients), else null; then the word-embedding
     * table's gradient is accumulated row by row (a scatter-add, so repeated ids add up).
     */
    public static Tensor backward(AlbertParams p, Forward f, Tensor dLogits, AlbertParams grads) {
        AlbertConfig c = p.config();
        Batch batch = f.batch;
        int tokens = batch.tokens();
        int len = batch.length();
        int h = c.hiddenSize();
        int e = c.embeddingSize();
        if (grads != null) {
            Blas.matmul(f.cls, true, dLogits, false, grads.get(AlbertParams.CLS_KERNEL), true);
            Kernels.addColumnSums(dLogits, grads.get(AlbertParams.CLS_BIAS));
        }
        Tensor dCls = Tensor.empty(batch.batch(), h);
        Blas.matmul(dLogits, false, p.get(AlbertParams.CLS_KERNEL), true, dCls, false);
        Tensor dx = Tensor.zeros(tokens, h);
        for (int b = 0; b < batch.batch(); b++) {
            dx.buffer().put(b * len * h, dCls.buffer(), b * h, h);
        }
        dCls.close();
        for (int layer = c.numHiddenLayers() - 1; layer >= 0; layer--) {
            Tensor dIn = layerBackward(p, batch, f.layers.get(layer), dx, grads);
            dx.close();
            dx = dIn;
        }
        Tensor dEmb;
        if (c.factorisedEmbeddings()) {
            if (grads != null) {
                Blas.matmul(f.embOut, true, dx, false, grads.get(AlbertParams.MAP_KERNEL), true);
                Kernels.addColumnSums(dx, grads.get(AlbertParams.MAP_BIAS));
            }
            dEmb = Tensor.empty(tokens, e);
            Blas.matmul(dx, false, p.get(AlbertParams.MAP_KERNEL), true, dEmb, false);
            dx.close();
        } else {
            dEmb = dx;
        }
        Kernels.layerNormBackward(dEmb, f.embXhat, f.embRstd, p.get(AlbertParams.EMB_LN_GAMMA), dEmb,
                grad(grads, AlbertParams.EMB_LN_GAMMA), grad(grads, AlbertParams.EMB_LN_BETA));
        if (grads != null) {
            scatterAdd(dEmb, batch.segments(), grads.get(AlbertParams.TOKEN_TYPE), tokens, e);
            int[] positions = new int[tokens];
            for (int t = 0; t < tokens; t++) {
                positions[t] = t % len;
            }
            scatterAdd(dEmb, positions, grads.get(AlbertParams.POSITION), tokens, e);
        }
        if (f.wordInput != null) {
            return dEmb;
        }
        if (grads != null) {
            scatterAdd(dEmb, batch.ids(), grads.get(AlbertParams.WORD), tokens, e);
        }
        dEmb.close();
        return null;
    }

    /** table[index[t]] += rows[t]: the gradient of an embedding lookup (accumulates repeated indices). */
    static void scatterAdd(Tensor rows, int[] index, Tensor table, int count, int width) {
        FloatBuffer rb = rows.buffer();
        FloatBuffer tb = table.buffer();
        float[] r = new float[width];
        float[] acc = new float[width];
        for (int t = 0; t < count; t++) {
            rb.get(t * width, r);
            tb.get(index[t] * width, acc);
            for (int i = 0; i < width; i++) {
                acc[i] += r[i];
            }
            tb.put(index[t] * width, acc);
        }
    }

    private static Tensor layerBackward(AlbertParams p, Batch batch, LayerCache cache, Tensor dOut, AlbertParams g) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int h = c.hiddenSize();
        int ffn = c.intermediateSize();
        // x_out = LN2(f + x1)
        Tensor dF = Tensor.empty(tokens, h);
        Kernels.layerNormBackward(dOut, cache.xhat2, cache.rstd2, p.get(AlbertParams.FFN_LN_GAMMA), dF,
                grad(g, AlbertParams.FFN_LN_GAMMA), grad(g, AlbertParams.FFN_LN_BETA));
        // f = act @ W_f + b_f
        Tensor dAct = Tensor.zeros(tokens, ffn);
        denseBackward(cache.ffnAct, dF, p.get(AlbertParams.FFN_OUT_KERNEL), grad(g, AlbertParams.FFN_OUT_KERNEL),
                grad(g, AlbertParams.FFN_OUT_BIAS), dAct);
        activationBackward(c, cache.ffnPre, dAct);
        // pre = x1 @ W_i + b_i; x1 also reaches the output through the residual, so dX1 starts as dF
        Tensor dX1 = dF;
        denseBackward(cache.x1, dAct, p.get(AlbertParams.FFN_IN_KERNEL), grad(g, AlbertParams.FFN_IN_KERNEL),
                grad(g, AlbertParams.FFN_IN_BIAS), dX1);
        dAct.close();
        // x1 = LN1(a + x)
        Tensor dA = Tensor.empty(tokens, h);
        Kernels.layerNormBackward(dX1, cache.xhat1, cache.rstd1, p.get(AlbertParams.ATTN_LN_GAMMA), dA,
                grad(g, AlbertParams.ATTN_LN_GAMMA), grad(g, AlbertParams.ATTN_LN_BETA));
        dX1.close();
        // a = ctx @ W_o + b_o
        Tensor dCtx = Tensor.zeros(tokens, h);
        denseBackward(cache.ctx, dA, p.get(AlbertParams.O_KERNEL), grad(g, AlbertParams.O_KERNEL),
                grad(g, AlbertParams.O_BIAS), dCtx);
        Tensor dIn = dA;
        Tensor dQ = Tensor.empty(tokens, h);
        Tensor dK = Tensor.empty(tokens, h);
        Tensor dV = Tensor.empty(tokens, h);
        attentionBackward(c, batch, cache, dCtx, dQ, dK, dV);
        dCtx.close();
        denseBackward(cache.input, dQ, p.get(AlbertParams.Q_KERNEL), grad(g, AlbertParams.Q_KERNEL), grad(g, AlbertParams.Q_BIAS), dIn);
        denseBackward(cache.input, dK, p.get(AlbertParams.K_KERNEL), grad(g, AlbertParams.K_KERNEL), grad(g, AlbertParams.K_BIAS), dIn);
        denseBackward(cache.input, dV, p.get(AlbertParams.V_KERNEL), grad(g, AlbertParams.V_KERNEL), grad(g, AlbertParams.V_BIAS), dIn);
        dQ.close();
        dK.close();
        dV.close();
        return dIn;
    }

    /** y = x @ W + b: adds dW, db (unless null: input gradients only), and dy @ W^T into dx. */
    private static void denseBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx) {
        if (dw != null) {
            Blas.matmul(x, true, dy, false, dw, true);
            Kernels.addColumnSums(dy, db);
        }
        Blas.matmul(dy, false, w, true, dx, true);
    }

    private static Tensor grad(AlbertParams grads, String name) {
        return grads == null ? null : grads.get(name);
    }

    private static void attentionBackward(AlbertConfig c, Batch batch, LayerCache cache, Tensor dCtx,
                                          Tensor dQ, Tensor dK, Tensor dV) {
        int heads = c.numAttentionHeads();
        int d = c.headSize();
        int h = c.hiddenSize();
        int len = batch.length();
        float scale = (float) (1.0 / Math.sqrt(d));
        try (Tensor dP = Tensor.empty(batch.batch(), heads, len, len)) {
            FloatBuffer pb = cache.probs.buffer();
            FloatBuffer db = dP.buffer();
            Blas.singleThreaded(() -> Parallel.forRange(batch.batch() * heads, 2L * len * len * d, (start, end) -> {
                float[] p = new float[len];
                float[] g = new float[len];
                for (int item = start; item < end; item++) {
                    int b = item / heads;
                    int head = item % heads;
                    long qk = (long) b * len * h + (long) head * d;
                    long s = (long) item * len * len;
                    // ctx = P @ V:  dP = dCtx @ V^T,  dV = P^T @ dCtx
                    Blas.gemm(false, true, len, len, d, 1f, dCtx, qk, h, cache.v, qk, h, 0f, dP, s, len);
                    Blas.gemm(true, false, len, d, len, 1f, cache.probs, s, len, dCtx, qk, h, 0f, dV, qk, h);
                    Kernels.softmaxBackwardRows(pb, db, s, len, len, p, g);
                    // S = scale * Q @ K^T:  dQ = scale * dS @ K,  dK = scale * dS^T @ Q
                    Blas.gemm(false, false, len, d, len, scale, dP, s, len, cache.k, qk, h, 0f, dQ, qk, h);
                    Blas.gemm(true, false, len, d, len, scale, dP, s, len, cache.q, qk, h, 0f, dK, qk, h);
                }
            }));
        }
    }
}
