package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;

/**
 * The embeddings, the forward pass beside its backward:
 * <pre>
 *   e = drop(LN(word[ids] + type[segments] + position[t]))          [tokens, E]
 *   x = e @ W_map + b_map       when factorised (E != H, ALBERT's embedding_hidden_mapping_in), else x = e
 * </pre>
 * Backward: the mapping's and LayerNorm's gradients, then each table's rows by a scatter-add (repeated ids add up).
 */
final class Embeddings {
    private Embeddings() {
    }

    /** What the backward pass reads: the LayerNorm's normalised input and inverse deviations, and e when factorised. */
    static final class Cache implements AutoCloseable {
        Tensor xhat;
        Tensor rstd;
        Tensor out;

        @Override
        public void close() {
            for (Tensor t : new Tensor[]{xhat, rstd, out}) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    /**
     * The embeddings of a batch, [tokens, H]; in training (cache not null) what {@link #backward} reads goes into the
     * cache.
     */
    static Tensor forward(AlbertParams p, Batch batch, Tensor wordEmbeddings, Cache cache, Dropout dropout) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int e = c.embeddingSize();
        boolean training = cache != null;
        Tensor emb = sum(p, batch, wordEmbeddings);
        if (training) {
            cache.xhat = Tensor.empty(tokens, e);
            cache.rstd = Tensor.empty(tokens);
        }
        Kernels.layerNorm(emb, p.get(AlbertParams.EMB_LN_GAMMA), p.get(AlbertParams.EMB_LN_BETA), c.layerNormEps(),
                emb, training ? cache.xhat : null, training ? cache.rstd : null);
        if (dropout != null) {
            dropout.apply(emb, Dropout.SITE_EMBEDDINGS, dropout.hidden());
        }
        Tensor x;
        if (c.factorisedEmbeddings()) {
            x = TransformerLayer.dense(emb, p.get(AlbertParams.MAP_KERNEL), p.get(AlbertParams.MAP_BIAS));
            if (training) {
                cache.out = emb;
            } else {
                emb.close();
            }
        } else {
            x = emb;
        }
        return x;
    }

    /** word[ids] (or the given word embeddings) + type[segments] + position[t]. */
    private static Tensor sum(AlbertParams p, Batch batch, Tensor wordEmbeddings) {
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
     * The backward pass of {@link #forward} from d x ([tokens, H], consumed): parameter gradients into grads (null:
     * none). Returns d word embeddings when the forward pass was given word embeddings ({@code wordInput}), else null
     * (the word table's gradient is then a scatter-add of the rows).
     */
    static Tensor backward(AlbertParams p, Batch batch, Cache cache, Tensor dx, Dropout dropout, boolean wordInput,
                           AlbertParams grads) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int len = batch.length();
        int e = c.embeddingSize();
        Tensor dEmb;
        if (c.factorisedEmbeddings()) {
            dEmb = Tensor.empty(tokens, e);
            TransformerLayer.denseBackward(cache.out, dx, p.get(AlbertParams.MAP_KERNEL), TransformerLayer.grad(grads, AlbertParams.MAP_KERNEL),
                    TransformerLayer.grad(grads, AlbertParams.MAP_BIAS), dEmb, false);
            dx.close();
        } else {
            dEmb = dx;
        }
        if (dropout != null) {
            dropout.apply(dEmb, Dropout.SITE_EMBEDDINGS, dropout.hidden());
        }
        Kernels.layerNormBackward(dEmb, cache.xhat, cache.rstd, p.get(AlbertParams.EMB_LN_GAMMA), dEmb,
                TransformerLayer.grad(grads, AlbertParams.EMB_LN_GAMMA), TransformerLayer.grad(grads, AlbertParams.EMB_LN_BETA));
        if (grads != null) {
            scatterAdd(dEmb, batch.segments(), grads.get(AlbertParams.TOKEN_TYPE), tokens, e);
            int[] positions = new int[tokens];
            for (int t = 0; t < tokens; t++) {
                positions[t] = t % len;
            }
            scatterAdd(dEmb, positions, grads.get(AlbertParams.POSITION), tokens, e);
        }
        if (wordInput) {
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
}
