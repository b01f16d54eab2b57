package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;

import java.util.Collections;
import java.util.List;

/**
 * The model run on one text's token ids with its word embeddings replaced (integrated-gradients path points,
 * occluded copies): class probabilities, and the gradient of one class's probability with respect to the word
 * embeddings of each copy. Copies run as batches of at most {@link #CHUNK_TOKENS} tokens, which bounds the memory
 * the backward pass keeps (attention probabilities grow with length squared).
 */
final class EmbeddingGradients {
    /** Tokens per batch: 32 path points of a 128-token text. */
    static final int CHUNK_TOKENS = 4096;

    private EmbeddingGradients() {
    }

    /**
     * d p_target / d embeddings for each copy. {@code inputs[r]} holds copy r's word embeddings ([length * E]);
     * {@code targets[r]} its class. Returns [copies][length * E].
     *
     * <p>softmax backward: p = softmax(z), d p_t / d z_c = p_t (1[c = t] - p_c); the engine's backward takes it
     * from there, with no parameter gradients (null accumulator).
     */
    static float[][] of(AlbertParams params, int[] ids, float[][] inputs, int[] targets) {
        int copies = inputs.length;
        int len = ids.length;
        int e = params.config().embeddingSize();
        int classes = params.numClasses();
        int chunk = Math.max(1, CHUNK_TOKENS / len);
        float[][] out = new float[copies][];
        for (int from = 0; from < copies; from += chunk) {
            int n = Math.min(chunk, copies - from);
            float[] rows = new float[n * len * e];
            for (int r = 0; r < n; r++) {
                System.arraycopy(inputs[from + r], 0, rows, r * len * e, len * e);
            }
            Batch batch = Batch.of(Collections.nCopies(n, ids));
            try (Tensor input = Tensor.of(rows, n * len, e);
                 var f = SequenceClassifier.forwardTraining(params, batch, input)) {
                float[] probs = Loss.softmax(f.logits);
                float[] d = new float[n * classes];
                for (int r = 0; r < n; r++) {
                    int t = targets[from + r];
                    float pt = probs[r * classes + t];
                    for (int c = 0; c < classes; c++) {
                        d[r * classes + c] = pt * ((c == t ? 1f : 0f) - probs[r * classes + c]);
                    }
                }
                try (Tensor dLogits = Tensor.of(d, n, classes);
                     Tensor grad = SequenceClassifier.backward(params, f, dLogits, null)) {
                    float[] g = grad.toArray();
                    for (int r = 0; r < n; r++) {
                        float[] row = new float[len * e];
                        System.arraycopy(g, r * len * e, row, 0, len * e);
                        out[from + r] = row;
                    }
                }
            }
        }
        return out;
    }

    /** Class probabilities of each copy: [copies][classes], by inference in batches. */
    static float[][] probabilities(AlbertParams params, int[] ids, List<float[]> inputs) {
        int len = ids.length;
        int e = params.config().embeddingSize();
        int classes = params.numClasses();
        int chunk = Math.max(1, CHUNK_TOKENS / len);
        float[][] out = new float[inputs.size()][];
        for (int from = 0; from < inputs.size(); from += chunk) {
            int n = Math.min(chunk, inputs.size() - from);
            float[] rows = new float[n * len * e];
            for (int r = 0; r < n; r++) {
                System.arraycopy(inputs.get(from + r), 0, rows, r * len * e, len * e);
            }
            try (Tensor input = Tensor.of(rows, n * len, e);
                 var f = SequenceClassifier.forward(params, Batch.of(Collections.nCopies(n, ids)), input, false)) {
                float[] p = Loss.softmax(f.logits);
                for (int r = 0; r < n; r++) {
                    float[] row = new float[classes];
                    System.arraycopy(p, r * classes, row, 0, classes);
                    out[from + r] = row;
                }
            }
        }
        return out;
    }
}
