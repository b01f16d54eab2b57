package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encoder of the BERT family with a classifier on [CLS], forward and backward written out (post-LayerNorm blocks,
 * no pooler): ALBERT (one set of layer weights applied numHiddenLayers times) and BERT (each layer its own), GELU in
 * its tanh or exact form ({@link Activation}):
 * <pre>
 *   e = LayerNorm(word[ids] + type[segments] + position)            (width E)
 *   x = e @ W_map + b_map            if E != H, else x = e
 *   for l in 0..L-1, with the weights of group g(l) (AlbertConfig.groupOf):
 *       x1 = LN(x + Attention(x) @ W_o + b_o);  x = LN(x1 + act(x1 @ W_i + b_i) @ W_f + b_f)
 *   logits = pool(x) @ W_cls + b_cls       pool(x) = x[:, 0] ([CLS]), or the mean over each text's tokens
 * </pre>
 * In training, {@link Dropout} may act (as in BERT) on e after its LayerNorm, on the attention probabilities, on
 * each sub-block's output before its residual sum, and on x[:, 0] before the classifier. A model without a
 * classifier (numClasses 0, for masked-LM pretraining) stops at x; {@link #backwardFromHidden} starts there.
 * Matrix products go to OpenBLAS on native memory (Q, K and V in one product; attention heads as strided column
 * blocks, no copies); the element-wise parts are fused {@link Kernels}. An inference pass keeps nothing it does
 * not need; a training pass keeps what the backward pass reads. Why not SameDiff: docs/model-engine.md.
 */
public final class AlbertClassifier {
    /**
     * Forward passes of at most this many multiply-adds in the layers' matrix products run on one thread: waking
     * threads costs more than it saves. 6e8 is ALBERT-tiny's 128 tokens (the threshold was first set in tokens for
     * that model); measured in work, a 64-token text of bge-small-zh (8e8) gets both cores (latency on 2 cores:
     * docs/results/timings.md).
     */
    static final long SMALL_JOB_MACS = Long.getLong("workbench.smallJobMacs", 600_000_000L);

    private AlbertClassifier() {
    }

    /** Activations of one forward pass, kept for the backward pass and for inspection. Close when done. */
    public static final class Forward implements AutoCloseable {
        final Batch batch;
        final boolean training;
        final Dropout dropout;
        final Tensor wordInput;
        Tensor embXhat;
        Tensor embRstd;
        Tensor embOut;
        /** [W_q | W_k | W_v] of each layer group. */
        Tensor[] qkvKernels;
        final List<LayerCache> layers = new ArrayList<>();
        Tensor output;
        Tensor cls;
        public Tensor logits;
        /** [CLS] vector after the embeddings (projected when factorised) and after each layer, if recorded. */
        public final List<float[]> clsPerLayer = new ArrayList<>();

        Forward(Batch batch, boolean training, Dropout dropout, Tensor wordInput) {
            this.batch = batch;
            this.training = training;
            this.dropout = dropout;
            this.wordInput = wordInput;
        }

        /** The batch this pass ran on. */
        public Batch batch() {
            return batch;
        }

        /** Final hidden states [batch * length, hidden]. */
        public Tensor output() {
            return output;
        }

        /** The vectors the classifier reads, [batch, hidden]: final [CLS] vectors, or token means (see {@link Pooling}). */
        public Tensor cls() {
            return cls;
        }

        @Override
        public void close() {
            for (Tensor t : new Tensor[]{embXhat, embRstd, embOut, output, cls, logits}) {
                if (t != null) {
                    t.close();
                }
            }
            if (qkvKernels != null) {
                for (Tensor t : qkvKernels) {
                    if (t != null) {
                        t.close();
                    }
                }
            }
            layers.forEach(LayerCache::close);
        }
    }

    /** What the backward pass of one layer application reads. */
    static final class LayerCache implements AutoCloseable {
        Tensor input;
        Tensor qkv;
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
            for (Tensor t : new Tensor[]{input, qkv, probs, ctx, xhat1, rstd1, x1, ffnPre, ffnAct, xhat2, rstd2}) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    /**
     * Inference: runs the model keeping only the outputs. {@code wordEmbeddings}, when given ([tokens, E]), replace
     * the word-embedding lookup. With {@code recordCls}, the [CLS] vector after the embeddings and after every layer
     * is kept in {@link Forward#clsPerLayer}.
     */
    public static Forward forward(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls) {
        return run(p, batch, wordEmbeddings, recordCls, false, null);
    }

    /** Training without dropout: like {@link #forward} but keeps every activation {@link #backward} needs. */
    public static Forward forwardTraining(AlbertParams p, Batch batch, Tensor wordEmbeddings) {
        return run(p, batch, wordEmbeddings, false, true, null);
    }

    /** Training with this step's dropout masks (null or all rates 0: none). */
    public static Forward forwardTraining(AlbertParams p, Batch batch, Tensor wordEmbeddings, Dropout dropout) {
        return run(p, batch, wordEmbeddings, false, true, dropout != null && dropout.active() ? dropout : null);
    }

    private static Forward run(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls, boolean training,
                               Dropout dropout) {
        AlbertConfig c = p.config();
        long macs = (long) batch.tokens() * c.numHiddenLayers() * c.hiddenSize()
                * (4L * c.hiddenSize() + 2L * c.intermediateSize());
        if (macs <= SMALL_JOB_MACS) {
            return Parallel.sequentially(() -> forwardPass(p, batch, wordEmbeddings, recordCls, training, dropout));
        }
        return forwardPass(p, batch, wordEmbeddings, recordCls, training, dropout);
    }

    private static Forward forwardPass(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls,
                                       boolean training, Dropout dropout) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int len = batch.length();
        int e = c.embeddingSize();
        int h = c.hiddenSize();
        if (len > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + len + " exceeds max_position_embeddings "
                    + c.maxPositionEmbeddings());
        }
        Forward f = new Forward(batch, training, dropout, wordEmbeddings);
        Tensor emb = embed(p, batch, wordEmbeddings);
        if (training) {
            f.embXhat = Tensor.empty(tokens, e);
            f.embRstd = Tensor.empty(tokens);
        }
        Kernels.layerNorm(emb, p.get(AlbertParams.EMB_LN_GAMMA), p.get(AlbertParams.EMB_LN_BETA), c.layerNormEps(),
                emb, f.embXhat, f.embRstd);
        if (dropout != null) {
            dropout.apply(emb, Dropout.SITE_EMBEDDINGS, dropout.hidden());
        }
        Tensor x;
        if (c.factorisedEmbeddings()) {
            x = dense(emb, p.get(AlbertParams.MAP_KERNEL), p.get(AlbertParams.MAP_BIAS));
            if (training) {
                f.embOut = emb;
            } else {
                emb.close();
            }
        } else {
            x = emb;
        }
        if (recordCls) {
            f.clsPerLayer.add(clsRows(x, batch));
        }
        int groups = c.numHiddenGroups();
        f.qkvKernels = new Tensor[groups];
        Tensor[] qkvBiases = new Tensor[groups];
        try {
            for (int g = 0; g < groups; g++) {
                f.qkvKernels[g] = qkvKernel(p, LayerNames.of(g));
                qkvBiases[g] = qkvBias(p, LayerNames.of(g));
            }
            for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
                LayerCache cache = training ? new LayerCache() : null;
                int g = c.groupOf(layer);
                x = layer(p, batch, x, LayerNames.of(g), f.qkvKernels[g], qkvBiases[g], cache, dropout, layer);
                if (cache != null) {
                    f.layers.add(cache);
                }
                if (recordCls) {
                    f.clsPerLayer.add(clsRows(x, batch));
                }
            }
        } finally {
            for (Tensor b : qkvBiases) {
                if (b != null) {
                    b.close();
                }
            }
        }
        f.output = x;
        f.cls = pool(p.pooling(), x, batch);
        if (p.numClasses() > 0) {
            if (dropout != null) {
                dropout.apply(f.cls, Dropout.SITE_CLASSIFIER, dropout.classifier());
            }
            f.logits = dense(f.cls, p.get(AlbertParams.CLS_KERNEL), p.get(AlbertParams.CLS_BIAS));
        }
        return f;
    }

    /** The vectors the classifier reads, [batch, H]: each text's [CLS] row, or the mean of its unmasked rows. */
    private static Tensor pool(Pooling pooling, Tensor x, Batch batch) {
        int h = x.cols();
        int len = batch.length();
        Tensor out = Tensor.empty(batch.batch(), h);
        if (pooling == Pooling.CLS) {
            for (int b = 0; b < batch.batch(); b++) {
                out.buffer().put(b * h, x.buffer(), b * len * h, h);
            }
            return out;
        }
        float[] row = new float[h];
        float[] sum = new float[h];
        float[] mask = batch.mask();
        for (int b = 0; b < batch.batch(); b++) {
            Arrays.fill(sum, 0f);
            int n = 0;
            for (int t = 0; t < len; t++) {
                if (mask[b * len + t] != 0f) {
                    x.buffer().get((b * len + t) * h, row);
                    for (int i = 0; i < h; i++) {
                        sum[i] += row[i];
                    }
                    n++;
                }
            }
            for (int i = 0; i < h; i++) {
                sum[i] /= n;
            }
            out.buffer().put(b * h, sum);
        }
        return out;
    }

    /** [W_q | W_k | W_v] as one [H, 3H] matrix, so the three projections are one product. */
    private static Tensor qkvKernel(AlbertParams p, LayerNames n) {
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

    private static Tensor qkvBias(AlbertParams p, LayerNames n) {
        int h = p.config().hiddenSize();
        Tensor b = Tensor.empty(3 * h);
        b.buffer().put(0, p.get(n.qBias()).buffer(), 0, h);
        b.buffer().put(h, p.get(n.kBias()).buffer(), 0, h);
        b.buffer().put(2 * h, p.get(n.vBias()).buffer(), 0, h);
        return b;
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
        int vocab = p.config().vocabSize();
        int types = p.config().typeVocabSize();
        for (int t = 0; t < tokens; t++) {
            int id = batch.ids()[t];
            if (wordEmbeddings == null && (id < 0 || id >= vocab)) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab);
            }
            if (batch.segments()[t] < 0 || batch.segments()[t] >= types) {
                throw new IllegalArgumentException("segment id " + batch.segments()[t] + " outside 0.." + (types - 1));
            }
        }
        Parallel.forRange(tokens, e * 3L, (start, end) -> {
            float[] row = new float[e];
            float[] add = new float[e];
            for (int t = start; t < end; t++) {
                if (wordEmbeddings != null) {
                    wordEmbeddings.buffer().get(t * e, row);
                } else {
                    word.get(batch.ids()[t] * e, row);
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
        });
        return out;
    }

    /**
     * One transformer layer (the weights named by n) applied to x. In inference (cache null) x and every
     * intermediate are closed here; in training they go to the cache.
     */
    private static Tensor layer(AlbertParams p, Batch batch, Tensor x, LayerNames n, Tensor qkvKernel, Tensor qkvBias,
                                LayerCache cache, Dropout dropout, int layer) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int h = c.hiddenSize();
        boolean training = cache != null;
        Tensor qkv = dense(x, qkvKernel, qkvBias);
        Tensor probs = training ? Tensor.empty(batch.batch(), c.numAttentionHeads(), batch.length(), batch.length()) : null;
        Tensor ctx = Tensor.empty(tokens, h);
        attention(c, batch, qkv, probs, ctx, dropout, layer);
        Tensor a = Tensor.empty(tokens, h);
        Blas.matmul(ctx, false, p.get(n.oKernel()), false, a, false);
        Tensor xhat1 = training ? Tensor.empty(tokens, h) : null;
        Tensor rstd1 = training ? Tensor.empty(tokens) : null;
        Tensor oBias = p.get(n.oBias());
        if (dropout != null && dropout.hidden() > 0) {
            // LN(x + drop(a + b_o)): the bias goes in before the mask, so the fused kernel gets none
            Kernels.addBias(a, oBias);
            dropout.apply(a, Dropout.attentionOutputSite(layer), dropout.hidden());
            oBias = null;
        }
        Kernels.biasResidualLayerNorm(a, oBias, x, p.get(n.attnLnGamma()),
                p.get(n.attnLnBeta()), c.layerNormEps(), a, xhat1, rstd1);
        Tensor pre = Tensor.empty(tokens, c.intermediateSize());
        Blas.matmul(a, false, p.get(n.ffnInKernel()), false, pre, false);
        Tensor act = training ? Tensor.empty(tokens, c.intermediateSize()) : pre;
        Kernels.biasActivation(pre, p.get(n.ffnInBias()), c.activation(), act);
        Tensor out = Tensor.empty(tokens, h);
        Blas.matmul(act, false, p.get(n.ffnOutKernel()), false, out, false);
        Tensor xhat2 = training ? Tensor.empty(tokens, h) : null;
        Tensor rstd2 = training ? Tensor.empty(tokens) : null;
        Tensor fBias = p.get(n.ffnOutBias());
        if (dropout != null && dropout.hidden() > 0) {
            Kernels.addBias(out, fBias);
            dropout.apply(out, Dropout.ffnOutputSite(layer), dropout.hidden());
            fBias = null;
        }
        Kernels.biasResidualLayerNorm(out, fBias, a, p.get(n.ffnLnGamma()),
                p.get(n.ffnLnBeta()), c.layerNormEps(), out, xhat2, rstd2);
        if (training) {
            cache.input = x;
            cache.qkv = qkv;
            cache.probs = probs;
            cache.ctx = ctx;
            cache.xhat1 = xhat1;
            cache.rstd1 = rstd1;
            cache.x1 = a;
            cache.ffnPre = pre;
            cache.ffnAct = act;
            cache.xhat2 = xhat2;
            cache.rstd2 = rstd2;
        } else {
            x.close();
            qkv.close();
            ctx.close();
            a.close();
            pre.close();
        }
        return out;
    }

    /** pre += bias; act = activation(pre) (act may be pre). */

    static Tensor dense(Tensor x, Tensor kernel, Tensor bias) {
        Tensor y = Tensor.empty(x.rows(), kernel.cols());
        Blas.matmul(x, false, kernel, false, y, false);
        Kernels.addBias(y, bias);
        return y;
    }

    /**
     * Scaled dot-product attention per sequence and head, masked keys excluded. Q, K, V are the column blocks
     * [0,H), [H,2H), [2H,3H) of qkv, each head a block of d columns within them. Each (sequence, head) is one task:
     * scores, softmax and context stay in cache, tasks run in parallel with single-threaded BLAS. The
     * probabilities are kept in {@code probs} for training, else in a per-thread scratch block.
     */
    private static void attention(AlbertConfig c, Batch batch, Tensor qkv, Tensor probs, Tensor ctx, Dropout dropout,
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
     * Backward pass from the gradient of the loss with respect to the logits, for a {@link #forwardTraining}
     * pass. Parameter gradients are added into {@code grads} (null: compute input gradients only). Returns the
     * gradient with respect to the word embeddings fed to the model ([tokens, E]) when the forward pass was given
     * word embeddings (integrated gradients), else null; then the word-embedding table's gradient is accumulated
     * row by row (a scatter-add, so repeated ids add up).
     */
    public static Tensor backward(AlbertParams p, Forward f, Tensor dLogits, AlbertParams grads) {
        if (!f.training) {
            throw new IllegalStateException("backward needs a forward pass made with forwardTraining");
        }
        Batch batch = f.batch;
        int len = batch.length();
        int h = p.config().hiddenSize();
        // logits = drop(cls) @ W_cls + b_cls:  dW_cls = drop(cls)^T dLogits,  d cls = (dLogits @ W_cls^T) * s
        if (grads != null) {
            Blas.matmul(f.cls, true, dLogits, false, grads.get(AlbertParams.CLS_KERNEL), true);
            Kernels.addColumnSums(dLogits, grads.get(AlbertParams.CLS_BIAS));
        }
        Tensor dCls = Tensor.empty(batch.batch(), h);
        Blas.matmul(dLogits, false, p.get(AlbertParams.CLS_KERNEL), true, dCls, false);
        if (f.dropout != null) {
            f.dropout.apply(dCls, Dropout.SITE_CLASSIFIER, f.dropout.classifier());
        }
        // pool backward: [CLS] gets d cls; mean pooling gives each of a text's n tokens d cls / n
        Tensor dx = Tensor.zeros(batch.tokens(), h);
        if (p.pooling() == Pooling.CLS) {
            for (int b = 0; b < batch.batch(); b++) {
                dx.buffer().put(b * len * h, dCls.buffer(), b * h, h);
            }
        } else {
            float[] mask = batch.mask();
            float[] row = new float[h];
            for (int b = 0; b < batch.batch(); b++) {
                int n = 0;
                for (int t = 0; t < len; t++) {
                    n += mask[b * len + t] != 0f ? 1 : 0;
                }
                dCls.buffer().get(b * h, row);
                for (int i = 0; i < h; i++) {
                    row[i] /= n;
                }
                for (int t = 0; t < len; t++) {
                    if (mask[b * len + t] != 0f) {
                        dx.buffer().put((b * len + t) * h, row);
                    }
                }
            }
        }
        dCls.close();
        return backwardFromHidden(p, f, dx, grads);
    }

    /**
     * Backward pass from the gradient of the loss with respect to the final hidden states ([tokens, H], consumed:
     * closed here), for a head other than the classifier (the masked-LM head). Same accumulation and return value
     * as {@link #backward}.
     */
    public static Tensor backwardFromHidden(AlbertParams p, Forward f, Tensor dOutput, AlbertParams grads) {
        if (!f.training) {
            throw new IllegalStateException("backward needs a forward pass made with forwardTraining");
        }
        AlbertConfig c = p.config();
        Batch batch = f.batch;
        int tokens = batch.tokens();
        int len = batch.length();
        int e = c.embeddingSize();
        Tensor dx = dOutput;
        for (int layer = c.numHiddenLayers() - 1; layer >= 0; layer--) {
            int g = c.groupOf(layer);
            Tensor dIn = layerBackward(p, batch, LayerNames.of(g), f.layers.get(layer), f.qkvKernels[g], dx, grads,
                    f.dropout, layer);
            dx.close();
            dx = dIn;
        }
        Tensor dEmb;
        if (c.factorisedEmbeddings()) {
            dEmb = Tensor.empty(tokens, e);
            denseBackward(f.embOut, dx, p.get(AlbertParams.MAP_KERNEL), grad(grads, AlbertParams.MAP_KERNEL),
                    grad(grads, AlbertParams.MAP_BIAS), dEmb, false);
            dx.close();
        } else {
            dEmb = dx;
        }
        if (f.dropout != null) {
            f.dropout.apply(dEmb, Dropout.SITE_EMBEDDINGS, f.dropout.hidden());
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

    private static Tensor layerBackward(AlbertParams p, Batch batch, LayerNames n, LayerCache cache, Tensor qkvKernel,
                                        Tensor dOut, AlbertParams g, Dropout dropout, int layer) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int h = c.hiddenSize();
        int ffn = c.intermediateSize();
        boolean drop = dropout != null && dropout.hidden() > 0;
        // x_out = LN2(drop(f + b_f) + x1)
        Tensor dF = Tensor.empty(tokens, h);
        Kernels.layerNormBackward(dOut, cache.xhat2, cache.rstd2, p.get(n.ffnLnGamma()), dF,
                grad(g, n.ffnLnGamma()), grad(g, n.ffnLnBeta()));
        // the residual gets dF, the branch dF * s
        Tensor dFBranch = dF;
        if (drop) {
            dFBranch = dF.copy();
            dropout.apply(dFBranch, Dropout.ffnOutputSite(layer), dropout.hidden());
        }
        // f = act @ W_f + b_f
        Tensor dAct = Tensor.empty(tokens, ffn);
        denseBackward(cache.ffnAct, dFBranch, p.get(n.ffnOutKernel()), grad(g, n.ffnOutKernel()),
                grad(g, n.ffnOutBias()), dAct, false);
        if (dFBranch != dF) {
            dFBranch.close();
        }
        Kernels.activationBackward(cache.ffnPre, dAct, c.activation());
        // pre = x1 @ W_i + b_i; x1 also reaches the output through the residual, so dX1 starts as dF
        Tensor dX1 = dF;
        denseBackward(cache.x1, dAct, p.get(n.ffnInKernel()), grad(g, n.ffnInKernel()),
                grad(g, n.ffnInBias()), dX1, true);
        dAct.close();
        // x1 = LN1(a + b_o + x)
        Tensor dA = Tensor.empty(tokens, h);
        Kernels.layerNormBackward(dX1, cache.xhat1, cache.rstd1, p.get(n.attnLnGamma()), dA,
                grad(g, n.attnLnGamma()), grad(g, n.attnLnBeta()));
        dX1.close();
        // x1 = LN1(drop(a + b_o) + x): the residual gets dA, the branch dA * s
        Tensor dABranch = dA;
        if (drop) {
            dABranch = dA.copy();
            dropout.apply(dABranch, Dropout.attentionOutputSite(layer), dropout.hidden());
        }
        // a = ctx @ W_o
        Tensor dCtx = Tensor.empty(tokens, h);
        denseBackward(cache.ctx, dABranch, p.get(n.oKernel()), grad(g, n.oKernel()),
                grad(g, n.oBias()), dCtx, false);
        if (dABranch != dA) {
            dABranch.close();
        }
        Tensor dQkv = Tensor.empty(tokens, 3 * h);
        attentionBackward(c, batch, cache, dCtx, dQkv, dropout, layer);
        dCtx.close();
        // qkv = x @ [W_q|W_k|W_v] + b: the kernels' gradients are column blocks of x^T @ dQkv
        if (g != null) {
            String[][] names = {{n.qKernel(), n.qBias()}, {n.kKernel(), n.kBias()},
                    {n.vKernel(), n.vBias()}};
            for (int part = 0; part < 3; part++) {
                Blas.gemm(true, false, h, h, tokens, 1f, cache.input, 0, h, dQkv, (long) part * h, 3 * h,
                        1f, g.get(names[part][0]), 0, h);
                Kernels.addColumnSums(dQkv, part * h, h, g.get(names[part][1]));
            }
        }
        Tensor dIn = dA;
        Blas.matmul(dQkv, false, qkvKernel, true, dIn, true);
        dQkv.close();
        return dIn;
    }

    /** y = x @ W + b: adds dW, db (unless null: input gradients only), and writes (or adds) dy @ W^T into dx. */
    private static void denseBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx,
                                      boolean accumulate) {
        if (dw != null) {
            Blas.matmul(x, true, dy, false, dw, true);
            Kernels.addColumnSums(dy, db);
        }
        Blas.matmul(dy, false, w, true, dx, accumulate);
    }

    private static Tensor grad(AlbertParams grads, String name) {
        return grads == null ? null : grads.get(name);
    }

    private static void attentionBackward(AlbertConfig c, Batch batch, LayerCache cache, Tensor dCtx, Tensor dQkv,
                                          Dropout dropout, int layer) {
        int heads = c.numAttentionHeads();
        int d = c.headSize();
        int h = c.hiddenSize();
        int h3 = 3 * h;
        int len = batch.length();
        float scale = (float) (1.0 / Math.sqrt(d));
        Tensor qkv = cache.qkv;
        FloatBuffer pb = cache.probs.buffer();
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
                        Blas.gemm(true, false, len, d, len, 1f, cache.probs, s, len, dCtx, o, h, 0f, dQkv, q + 2L * h, h3);
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
