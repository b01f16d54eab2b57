package cn.clinicaltext.workbench.model;

import java.util.ArrayList;
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
 * <p>
 * One unit per concept, each with its forward pass beside its backward: {@link Embeddings}, {@link SelfAttention},
 * {@link TransformerLayer} (attention, feed-forward, residuals and LayerNorms of one layer), {@link ClassifierHead}
 * and the masked-LM head ({@link MaskedLmHead}); this class runs them in order and keeps what a pass needs.
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
        final List<TransformerLayer.Cache> layers = new ArrayList<>();
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
            layers.forEach(TransformerLayer.Cache::close);
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
        int len = batch.length();
        if (len > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + len + " exceeds max_position_embeddings "
                    + c.maxPositionEmbeddings());
        }
        Forward f = new Forward(batch, training, dropout, wordEmbeddings);
        Tensor x = Embeddings.forward(p, batch, wordEmbeddings, f, training, dropout);
        if (recordCls) {
            f.clsPerLayer.add(ClassifierHead.clsRows(x, batch));
        }
        int groups = c.numHiddenGroups();
        f.qkvKernels = new Tensor[groups];
        Tensor[] qkvBiases = new Tensor[groups];
        try {
            for (int g = 0; g < groups; g++) {
                f.qkvKernels[g] = SelfAttention.fusedKernel(p, LayerNames.of(g));
                qkvBiases[g] = SelfAttention.fusedBias(p, LayerNames.of(g));
            }
            for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
                TransformerLayer.Cache cache = training ? new TransformerLayer.Cache() : null;
                int g = c.groupOf(layer);
                x = TransformerLayer.forward(p, batch, x, LayerNames.of(g), f.qkvKernels[g], qkvBiases[g], cache, dropout,
                        layer);
                if (cache != null) {
                    f.layers.add(cache);
                }
                if (recordCls) {
                    f.clsPerLayer.add(ClassifierHead.clsRows(x, batch));
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
        ClassifierHead.forward(p, f, x, dropout);
        return f;
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
        return backwardFromHidden(p, f, ClassifierHead.backward(p, f, dLogits, grads), grads);
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
        Tensor dx = dOutput;
        for (int layer = c.numHiddenLayers() - 1; layer >= 0; layer--) {
            int g = c.groupOf(layer);
            Tensor dIn = TransformerLayer.backward(p, f.batch, LayerNames.of(g), f.layers.get(layer), f.qkvKernels[g],
                    dx, grads, f.dropout, layer);
            dx.close();
            dx = dIn;
        }
        return Embeddings.backward(p, f, dx, grads);
    }
}
