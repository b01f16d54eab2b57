package cn.clinicaltext.workbench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The encoder of the BERT family, forward and backward written out (post-LayerNorm blocks, no pooler): ALBERT (one
 * set of layer weights applied numHiddenLayers times) and BERT (each layer its own), GELU in its tanh or exact form
 * ({@link Activation}):
 * <pre>
 *   e = LayerNorm(word[ids] + type[segments] + position)            [tokens, E]
 *   x = e @ W_map + b_map            if E != H, else x = e          [tokens, H]
 *   for l in 0..L-1, with the weights of group g(l) (AlbertConfig.groupOf):
 *       x1 = LN(x + Attention(x) @ W_o + b_o);  x = LN(x1 + act(x1 @ W_i + b_i) @ W_f + b_f)
 * </pre>
 * The heads read x, the final hidden states, as peers (Hugging Face's {@code AlbertModel} and its
 * {@code AlbertFor*}): {@link ClassifierHead} (composed with the encoder in {@link SequenceClassifier}),
 * {@link MaskedLmHead} and {@link HiddenStateHead}; each returns d x, from which {@link #backward} runs. In training,
 * {@link Dropout} may act (as in BERT) on e after its LayerNorm, on the attention probabilities and on each
 * sub-block's output before its residual sum. Matrix products go to OpenBLAS on native memory (Q, K and V in one
 * product; attention heads as strided column blocks, no copies); the element-wise parts are fused {@link Kernels}.
 * An inference pass keeps nothing it does not need; a training pass keeps what the backward pass reads. Why not
 * SameDiff: docs/model-engine.md.
 * <p>
 * One unit per concept, each with its forward pass beside its backward: {@link Embeddings}, {@link SelfAttention},
 * {@link TransformerLayer} (attention, feed-forward, residuals and LayerNorms of one layer); this class runs them in
 * order and keeps what a pass needs.
 */
public final class Encoder {
    /**
     * Forward passes of at most this many multiply-adds in the layers' matrix products run on one thread: waking
     * threads costs more than it saves. 6e8 is ALBERT-tiny's 128 tokens (the threshold was first set in tokens for
     * that model); measured in work, a 64-token text of bge-small-zh (8e8) gets both cores (latency on 2 cores:
     * docs/results/timings.md).
     */
    static final long SMALL_JOB_MACS = Long.getLong("workbench.smallJobMacs", 600_000_000L);

    private Encoder() {
    }

    /** Activations of one forward pass, kept for the backward pass and for inspection. Close when done. */
    public static final class Pass implements AutoCloseable {
        final Batch batch;
        final boolean training;
        final Dropout dropout;
        /** The word embeddings fed in place of the lookup (integrated gradients), or null. */
        final Tensor wordInput;
        final Embeddings.Cache embeddings;
        /** [W_q | W_k | W_v] of each layer group. */
        final Tensor[] qkvKernels;
        final List<TransformerLayer.Cache> layers = new ArrayList<>();
        Tensor output;
        /** [CLS] vector after the embeddings (projected when factorised) and after each layer, if recorded. */
        final List<float[]> clsPerLayer = new ArrayList<>();

        Pass(Batch batch, boolean training, Dropout dropout, Tensor wordInput, int groups) {
            this.batch = batch;
            this.training = training;
            this.dropout = dropout;
            this.wordInput = wordInput;
            this.embeddings = training ? new Embeddings.Cache() : null;
            this.qkvKernels = new Tensor[groups];
        }

        /** The batch this pass ran on. */
        public Batch batch() {
            return batch;
        }

        /** Final hidden states, [batch * length, H] (row-major over the padded batch). */
        public Tensor output() {
            return output;
        }

        /** The step's dropout masks (null: none). */
        public Dropout dropout() {
            return dropout;
        }

        /** The [CLS] vector after the embeddings and after every layer, [batch * H] each, when recorded. */
        public List<float[]> clsPerLayer() {
            return clsPerLayer;
        }

        @Override
        public void close() {
            if (embeddings != null) {
                embeddings.close();
            }
            if (output != null) {
                output.close();
            }
            for (Tensor t : qkvKernels) {
                if (t != null) {
                    t.close();
                }
            }
            layers.forEach(TransformerLayer.Cache::close);
        }
    }

    /**
     * Inference: runs the encoder keeping only its output. {@code wordEmbeddings}, when given ([tokens, E]), replace
     * the word-embedding lookup. With {@code recordCls}, the [CLS] vector after the embeddings and after every layer
     * is kept ({@link Pass#clsPerLayer}).
     */
    public static Pass forward(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls) {
        return sized(p, batch, () -> forwardPass(p, batch, wordEmbeddings, recordCls, false, null));
    }

    /** Training with this step's dropout masks (null or all rates 0: none): keeps what {@link #backward} reads. */
    public static Pass forwardTraining(AlbertParams p, Batch batch, Tensor wordEmbeddings, Dropout dropout) {
        return sized(p, batch, () -> forwardPass(p, batch, wordEmbeddings, false, true, dropout));
    }

    /** Runs {@code pass} on one thread when the batch is a small job for this model ({@link #SMALL_JOB_MACS}). */
    static <T> T sized(AlbertParams p, Batch batch, Supplier<T> pass) {
        AlbertConfig c = p.config();
        long macs = (long) batch.tokens() * c.numHiddenLayers() * c.hiddenSize()
                * (4L * c.hiddenSize() + 2L * c.intermediateSize());
        return macs <= SMALL_JOB_MACS ? Parallel.sequentially(pass::get) : pass.get();
    }

    /** One pass; the step's dropout masks only in training, and none when every rate is 0. */
    static Pass forwardPass(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls, boolean training,
                            Dropout masks) {
        Dropout dropout = training && masks != null && masks.active() ? masks : null;
        AlbertConfig c = p.config();
        int len = batch.length();
        if (len > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + len + " exceeds max_position_embeddings "
                    + c.maxPositionEmbeddings());
        }
        int groups = c.numHiddenGroups();
        Pass f = new Pass(batch, training, dropout, wordEmbeddings, groups);
        Tensor x = Embeddings.forward(p, batch, wordEmbeddings, f.embeddings, dropout);
        if (recordCls) {
            f.clsPerLayer.add(ClassifierHead.clsRows(x, batch));
        }
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
        return f;
    }

    /**
     * Backward pass from the gradient of the loss with respect to the final hidden states ([tokens, H], consumed:
     * closed here; null: the head had nothing to give, so nothing is done and null returned), given by a head, for a
     * {@link #forwardTraining} pass. Parameter gradients are added into
     * {@code grads} (null: compute input gradients only). Returns the gradient with respect to the word embeddings
     * fed to the model ([tokens, E]) when the forward pass was given word embeddings (integrated gradients), else
     * null; then the word-embedding table's gradient is accumulated row by row (a scatter-add, so repeated ids add
     * up).
     */
    public static Tensor backward(AlbertParams p, Pass f, Tensor dOutput, AlbertParams grads) {
        if (!f.training) {
            throw new IllegalStateException("backward needs a forward pass made with forwardTraining");
        }
        if (dOutput == null) {
            return null;
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
        return Embeddings.backward(p, f.batch, f.embeddings, dx, f.dropout, f.wordInput != null, grads);
    }
}
