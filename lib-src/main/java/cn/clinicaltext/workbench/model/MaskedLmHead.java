package cn.clinicaltext.workbench.model;

import java.nio.FloatBuffer;

/**
 * ALBERT's masked-LM head (Google's {@code cls/predictions}, as in the albert_tiny_google_zh checkpoint), applied
 * only at the masked positions, with its backward pass:
 * <pre>
 *   h   = x[masked positions]                         [M, H]  final hidden states
 *   u   = h @ W_t + b_t;  a = GELU(u)                 [M, E]  transform/dense
 *   y   = LayerNorm(a)                                [M, E]  transform/LayerNorm
 *   z   = y @ word_embeddings^T + output_bias         [M, V]  output weights tied to the input embeddings
 *   L   = mean over the M positions of -log softmax(z)[original token]
 * </pre>
 * Backward, each step the reverse of one above: dz = (softmax(z) - onehot) / M; d word_embeddings += dz^T y (the
 * tied table gets this dense part on top of its lookup gradient); d output_bias += column sums of dz; dy = dz @
 * word_embeddings; LayerNorm backward gives da and the gain/shift gradients; du = da * GELU'(u); dW_t += h^T du,
 * db_t += column sums of du; dh = du @ W_t^T, scattered back to the masked rows of dx [tokens, H], from which
 * {@link Encoder#backward} runs the encoder's backward pass.
 */
public final class MaskedLmHead {
    private MaskedLmHead() {
    }

    /**
     * Mean loss over the masked positions, how many of them the model predicted right, and (when gradients were
     * asked for and a position was masked) d x, the loss's gradient with respect to the final hidden states,
     * [tokens, H], for {@link Encoder#backward} (which consumes it); null otherwise.
     */
    public record Result(double loss, int correct, int predicted, Tensor dHidden) {
        public double accuracy() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }
    }

    /**
     * Loss of one pretraining step and, when {@code grads} is not null, the head's gradients added into grads and
     * d x in the result.
     *
     * @param hidden    the encoder's final hidden states x, [tokens, H] ({@link Encoder.Pass#output})
     * @param positions token positions (row-major in the batch) where a token was masked, each once
     * @param targets   the original token id at each of those positions
     */
    public static Result lossAndBackward(AlbertParams p, Tensor hidden, int[] positions, int[] targets,
                                         AlbertParams grads) {
        if (!p.hasMaskedLmHead()) {
            throw new IllegalArgumentException("the model has no masked-LM head");
        }
        if (positions.length != targets.length) {
            throw new IllegalArgumentException(positions.length + " positions for " + targets.length + " targets");
        }
        int m = positions.length;
        if (m == 0) {
            return new Result(0, 0, 0, null);          // nothing masked: no gradient
        }
        AlbertConfig c = p.config();
        int h = c.hiddenSize();
        int e = c.embeddingSize();
        Tensor word = p.get(AlbertParams.WORD);
        try (Tensor hs = Tensor.gatherRows(hidden, positions);
             Tensor u = Tensor.empty(m, e);
             Tensor y = Tensor.empty(m, e);
             Tensor xhat = Tensor.empty(m, e);
             Tensor rstd = Tensor.empty(m);
             Tensor z = Tensor.empty(m, c.vocabSize())) {
            Blas.matmul(hs, false, p.get(AlbertParams.MLM_DENSE_KERNEL), false, u, false);
            Kernels.biasActivation(u, p.get(AlbertParams.MLM_DENSE_BIAS), c.activation(), y);
            Kernels.layerNorm(y, p.get(AlbertParams.MLM_LN_GAMMA), p.get(AlbertParams.MLM_LN_BETA), c.layerNormEps(),
                    y, xhat, rstd);
            Blas.matmul(y, false, word, true, z, false);
            Kernels.addBias(z, p.get(AlbertParams.MLM_OUTPUT_BIAS));
            double[] losses = new double[m];
            boolean[] right = new boolean[m];
            // z becomes dz = (softmax(z) - onehot) / M
            Kernels.softmaxCrossEntropyRows(z, targets, 1f / m, losses, right);
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < m; i++) {
                loss += losses[i];
                correct += right[i] ? 1 : 0;
            }
            if (grads == null) {
                return new Result(loss / m, correct, m, null);
            }
            // z = y @ word^T + b:  d word += dz^T y,  d b += colsum(dz),  dy = dz @ word
            Blas.matmul(z, true, y, false, grads.get(AlbertParams.WORD), true);
            Kernels.addColumnSums(z, grads.get(AlbertParams.MLM_OUTPUT_BIAS));
            try (Tensor dy = Tensor.empty(m, e); Tensor dh = Tensor.empty(m, h)) {
                Blas.matmul(z, false, word, false, dy, false);
                // y = LN(a): da into dy, in place
                Kernels.layerNormBackward(dy, xhat, rstd, p.get(AlbertParams.MLM_LN_GAMMA), dy,
                        grads.get(AlbertParams.MLM_LN_GAMMA), grads.get(AlbertParams.MLM_LN_BETA));
                // a = act(u) (GELU in Google's checkpoints): du = da * act'(u)
                Kernels.activationBackward(u, dy, c.activation());
                // u = h @ W_t + b_t
                Blas.matmul(hs, true, dy, false, grads.get(AlbertParams.MLM_DENSE_KERNEL), true);
                Kernels.addColumnSums(dy, grads.get(AlbertParams.MLM_DENSE_BIAS));
                Blas.matmul(dy, false, p.get(AlbertParams.MLM_DENSE_KERNEL), true, dh, false);
                Tensor dx = Tensor.zeros(hidden.rows(), h);
                FloatBuffer dxb = dx.buffer();
                for (int i = 0; i < m; i++) {
                    dxb.put(positions[i] * h, dh.buffer(), i * h, h);
                }
                return new Result(loss / m, correct, m, dx);
            }
        }
    }
}
