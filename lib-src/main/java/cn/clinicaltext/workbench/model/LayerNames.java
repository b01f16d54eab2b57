package cn.clinicaltext.workbench.model;

import java.util.List;

/**
 * The names of one set of transformer-layer weights, group {@code G} under Google ALBERT's
 * {@code bert/encoder/transformer/group_G/inner_group_0/} (kernels [in, out]). An ALBERT has one group that every
 * layer applies; a BERT has one per layer ({@link AlbertConfig#groupOf}).
 */
public record LayerNames(String prefix, String qKernel, String qBias, String kKernel, String kBias, String vKernel,
                         String vBias, String oKernel, String oBias, String attnLnGamma, String attnLnBeta,
                         String ffnInKernel, String ffnInBias, String ffnOutKernel, String ffnOutBias,
                         String ffnLnGamma, String ffnLnBeta) {
    private static final LayerNames[] CACHE = new LayerNames[64];

    public static LayerNames of(int group) {
        if (group < 0) {
            throw new IllegalArgumentException("layer group " + group);
        }
        if (group < CACHE.length && CACHE[group] != null) {
            return CACHE[group];
        }
        String p = "bert/encoder/transformer/group_" + group + "/inner_group_0/";
        LayerNames n = new LayerNames(p,
                p + "attention_1/self/query/kernel", p + "attention_1/self/query/bias",
                p + "attention_1/self/key/kernel", p + "attention_1/self/key/bias",
                p + "attention_1/self/value/kernel", p + "attention_1/self/value/bias",
                p + "attention_1/output/dense/kernel", p + "attention_1/output/dense/bias",
                p + "LayerNorm/gamma", p + "LayerNorm/beta",
                p + "ffn_1/intermediate/dense/kernel", p + "ffn_1/intermediate/dense/bias",
                p + "ffn_1/intermediate/output/dense/kernel", p + "ffn_1/intermediate/output/dense/bias",
                p + "LayerNorm_1/gamma", p + "LayerNorm_1/beta");
        if (group < CACHE.length) {
            CACHE[group] = n;
        }
        return n;
    }

    /** The attention block's tensors (the sanity checks randomise them as one). */
    public List<String> attentionBlock() {
        return List.of(qKernel, qBias, kKernel, kBias, vKernel, vBias, oKernel, oBias, attnLnGamma, attnLnBeta);
    }

    /** The feed-forward block's tensors. */
    public List<String> feedForwardBlock() {
        return List.of(ffnInKernel, ffnInBias, ffnOutKernel, ffnOutBias, ffnLnGamma, ffnLnBeta);
    }
}
