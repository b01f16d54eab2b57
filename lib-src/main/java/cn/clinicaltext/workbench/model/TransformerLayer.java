package cn.clinicaltext.workbench.model;

/**
 * One post-LayerNorm transformer layer with the weights of one group ({@link LayerNames}), the forward pass beside
 * its backward:
 * <pre>
 *   x1  = LN(x + drop(SelfAttention(x) @ W_o + b_o))
 *   out = LN(x1 + drop(act(x1 @ W_i + b_i) @ W_f + b_f))         act: GELU (tanh or exact) or ReLU
 * </pre>
 * Dropout acts on each sub-block's output before its residual sum (BERT's sites), with the step's masks.
 */
final class TransformerLayer {
    private TransformerLayer() {
    }

    /** What the backward pass of one layer application reads. */
    static final class Cache implements AutoCloseable {
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
     * One transformer layer (the weights named by n) applied to x. In inference (cache null) x and every
     * intermediate are closed here; in training they go to the cache.
     */
    static Tensor forward(AlbertParams p, Batch batch, Tensor x, LayerNames n, Tensor qkvKernel, Tensor qkvBias,
                          Cache cache, Dropout dropout, int layer) {
        AlbertConfig c = p.config();
        int tokens = batch.tokens();
        int h = c.hiddenSize();
        boolean training = cache != null;
        Tensor qkv = dense(x, qkvKernel, qkvBias);
        Tensor probs = training ? Tensor.empty(batch.batch(), c.numAttentionHeads(), batch.length(), batch.length()) : null;
        Tensor ctx = Tensor.empty(tokens, h);
        SelfAttention.forward(c, batch, qkv, probs, ctx, dropout, layer);
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

    /** The backward pass of {@link #forward}: parameter gradients into g (null: none), returns d input. */
    static Tensor backward(AlbertParams p, Batch batch, LayerNames n, Cache cache, Tensor qkvKernel, Tensor dOut,
                           AlbertParams g, Dropout dropout, int layer) {
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
        SelfAttention.backward(c, batch, cache.qkv, cache.probs, dCtx, dQkv, dropout, layer);
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

    /** y = x @ W + b. */
    static Tensor dense(Tensor x, Tensor kernel, Tensor bias) {
        Tensor y = Tensor.empty(x.rows(), kernel.cols());
        Blas.matmul(x, false, kernel, false, y, false);
        Kernels.addBias(y, bias);
        return y;
    }

    /** y = x @ W + b: adds dW, db (unless null: input gradients only), and writes (or adds) dy @ W^T into dx. */
    static void denseBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx,
                                      boolean accumulate) {
        if (dw != null) {
            Blas.matmul(x, true, dy, false, dw, true);
            Kernels.addColumnSums(dy, db);
        }
        Blas.matmul(dy, false, w, true, dx, accumulate);
    }

    static Tensor grad(AlbertParams grads, String name) {
        return grads == null ? null : grads.get(name);
    }
}
