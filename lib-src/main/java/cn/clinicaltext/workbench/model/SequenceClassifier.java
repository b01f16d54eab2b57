package cn.clinicaltext.workbench.model;

import java.util.List;

/**
 * The encoder with the classifier head on its final hidden states (Hugging Face's
 * {@code AlbertForSequenceClassification}): {@link Encoder}, then {@link ClassifierHead}; backward in the reverse
 * order. What predict, evaluate, explain and fine-tuning run.
 */
public final class SequenceClassifier {
    private SequenceClassifier() {
    }

    /** One pass: the encoder's activations and the head's. Close when done. */
    public static final class Forward implements AutoCloseable {
        final Encoder.Pass encoder;
        final ClassifierHead.Pass head;
        /** [batch, classes]. */
        public final Tensor logits;

        Forward(Encoder.Pass encoder, ClassifierHead.Pass head) {
            this.encoder = encoder;
            this.head = head;
            this.logits = head.logits();
        }

        /** The batch this pass ran on. */
        public Batch batch() {
            return encoder.batch();
        }

        /** Final hidden states [batch * length, H]. */
        public Tensor output() {
            return encoder.output();
        }

        /** The vectors the classifier reads, [batch, H]: final [CLS] vectors, or token means (see {@link Pooling}). */
        public Tensor cls() {
            return head.pooled();
        }

        /** The [CLS] vector after the embeddings and after every layer, [batch * H] each, when recorded. */
        public List<float[]> clsPerLayer() {
            return encoder.clsPerLayer();
        }

        @Override
        public void close() {
            head.close();
            encoder.close();
        }
    }

    /** Inference (see {@link Encoder#forward}). */
    public static Forward forward(AlbertParams p, Batch batch, Tensor wordEmbeddings, boolean recordCls) {
        return Encoder.sized(p, batch, () -> classify(p, Encoder.forwardPass(p, batch, wordEmbeddings, recordCls,
                false, null)));
    }

    /** Training without dropout: keeps every activation {@link #backward} needs. */
    public static Forward forwardTraining(AlbertParams p, Batch batch, Tensor wordEmbeddings) {
        return forwardTraining(p, batch, wordEmbeddings, null);
    }

    /** Training with this step's dropout masks (null or all rates 0: none). */
    public static Forward forwardTraining(AlbertParams p, Batch batch, Tensor wordEmbeddings, Dropout dropout) {
        return Encoder.sized(p, batch, () -> classify(p, Encoder.forwardPass(p, batch, wordEmbeddings, false, true,
                dropout)));
    }

    private static Forward classify(AlbertParams p, Encoder.Pass encoder) {
        try {
            return new Forward(encoder, ClassifierHead.forward(p, encoder.output(), encoder.batch(), encoder.dropout()));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /**
     * Backward pass from the gradient of the loss with respect to the logits: the head's, then the encoder's
     * ({@link Encoder#backward}: same accumulation into grads and the same return value).
     */
    public static Tensor backward(AlbertParams p, Forward f, Tensor dLogits, AlbertParams grads) {
        if (!f.encoder.training) {
            throw new IllegalStateException("backward needs a forward pass made with forwardTraining");
        }
        Tensor dx = ClassifierHead.backward(p, f.head, f.batch(), f.encoder.dropout(), dLogits, grads);
        return Encoder.backward(p, f.encoder, dx, grads);
    }
}
