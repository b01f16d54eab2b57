package cn.clinicaltext.workbench.model;

import java.util.Arrays;

/**
 * The classifier on the encoder's final hidden states x, the forward pass beside its backward (its loss:
 * {@link Loss}):
 * <pre>
 *   c      = pool(x)                           [batch, H]   x[:, 0] ([CLS]), or the mean over each text's tokens
 *   logits = drop(c) @ W_cls + b_cls           [batch, classes]
 * </pre>
 * Backward: d W_cls += drop(c)^T d logits, d b_cls += column sums of d logits, d c = (d logits @ W_cls^T) * mask,
 * given back to [CLS] (or shared over each text's tokens) in d x [tokens, H]. No pooler (albert_tiny_google_zh's is
 * unused, as in the original project).
 */
public final class ClassifierHead {
    private ClassifierHead() {
    }

    /** What a pass computed: the pooled vectors (after dropout, in training) and the logits. Close when done. */
    public record Pass(Tensor pooled, Tensor logits) implements AutoCloseable {
        @Override
        public void close() {
            pooled.close();
            logits.close();
        }
    }

    /** logits = drop(pool(x)) @ W_cls + b_cls for the texts of {@code batch} (dropout null: none). */
    public static Pass forward(AlbertParams p, Tensor x, Batch batch, Dropout dropout) {
        if (p.numClasses() == 0) {
            throw new IllegalArgumentException("the model has no classifier");
        }
        Tensor pooled = pool(p.pooling(), x, batch);
        if (dropout != null) {
            dropout.apply(pooled, Dropout.SITE_CLASSIFIER, dropout.classifier());
        }
        return new Pass(pooled, TransformerLayer.dense(pooled, p.get(AlbertParams.CLS_KERNEL),
                p.get(AlbertParams.CLS_BIAS)));
    }

    /**
     * The backward pass of {@link #forward} from d logits [batch, classes]: parameter gradients into grads (null:
     * none); returns d x [tokens, H].
     */
    public static Tensor backward(AlbertParams p, Pass pass, Batch batch, Dropout dropout, Tensor dLogits,
                                  AlbertParams grads) {
        int len = batch.length();
        int h = p.config().hiddenSize();
        // logits = drop(cls) @ W_cls + b_cls:  dW_cls = drop(cls)^T dLogits,  d cls = (dLogits @ W_cls^T) * s
        if (grads != null) {
            Blas.matmul(pass.pooled(), true, dLogits, false, grads.get(AlbertParams.CLS_KERNEL), true);
            Kernels.addColumnSums(dLogits, grads.get(AlbertParams.CLS_BIAS));
        }
        Tensor dCls = Tensor.empty(batch.batch(), h);
        Blas.matmul(dLogits, false, p.get(AlbertParams.CLS_KERNEL), true, dCls, false);
        if (dropout != null) {
            dropout.apply(dCls, Dropout.SITE_CLASSIFIER, dropout.classifier());
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
        return dx;
    }

    /** The vectors the classifier reads, [batch, H]: each text's [CLS] row, or the mean of its unmasked rows. */
    static Tensor pool(Pooling pooling, Tensor x, Batch batch) {
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

    /** The [CLS] row of each text, [batch * H] (recorded per layer for inspection). */
    static float[] clsRows(Tensor x, Batch batch) {
        int h = x.cols();
        float[] out = new float[batch.batch() * h];
        for (int b = 0; b < batch.batch(); b++) {
            x.buffer().get(b * batch.length() * h, out, b * h, h);
        }
        return out;
    }
}
