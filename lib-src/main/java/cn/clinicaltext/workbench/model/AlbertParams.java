package cn.clinicaltext.workbench.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The trainable tensors of an ALBERT classifier, keyed by Google ALBERT's TensorFlow variable names (kernels are
 * [in, out], as TensorFlow stores them). The one shared transformer layer lives under {@link #LAYER}; the
 * classifier head, absent from pretrained checkpoints, is {@code classifier/kernel} [hidden, classes] and
 * {@code classifier/bias}; a model for masked-LM pretraining has no classifier (0 classes) and instead the
 * masked-LM head of Google's checkpoints under {@code cls/predictions/} (its output weights are the word
 * embeddings, tied).
 */
public final class AlbertParams implements AutoCloseable {
    public static final String LAYER = "bert/encoder/transformer/group_0/inner_group_0/";
    public static final String WORD = "bert/embeddings/word_embeddings";
    public static final String POSITION = "bert/embeddings/position_embeddings";
    public static final String TOKEN_TYPE = "bert/embeddings/token_type_embeddings";
    public static final String EMB_LN_GAMMA = "bert/embeddings/LayerNorm/gamma";
    public static final String EMB_LN_BETA = "bert/embeddings/LayerNorm/beta";
    public static final String MAP_KERNEL = "bert/encoder/embedding_hidden_mapping_in/kernel";
    public static final String MAP_BIAS = "bert/encoder/embedding_hidden_mapping_in/bias";
    public static final String Q_KERNEL = LAYER + "attention_1/self/query/kernel";
    public static final String Q_BIAS = LAYER + "attention_1/self/query/bias";
    public static final String K_KERNEL = LAYER + "attention_1/self/key/kernel";
    public static final String K_BIAS = LAYER + "attention_1/self/key/bias";
    public static final String V_KERNEL = LAYER + "attention_1/self/value/kernel";
    public static final String V_BIAS = LAYER + "attention_1/self/value/bias";
    public static final String O_KERNEL = LAYER + "attention_1/output/dense/kernel";
    public static final String O_BIAS = LAYER + "attention_1/output/dense/bias";
    public static final String ATTN_LN_GAMMA = LAYER + "LayerNorm/gamma";
    public static final String ATTN_LN_BETA = LAYER + "LayerNorm/beta";
    public static final String FFN_IN_KERNEL = LAYER + "ffn_1/intermediate/dense/kernel";
    public static final String FFN_IN_BIAS = LAYER + "ffn_1/intermediate/dense/bias";
    public static final String FFN_OUT_KERNEL = LAYER + "ffn_1/intermediate/output/dense/kernel";
    public static final String FFN_OUT_BIAS = LAYER + "ffn_1/intermediate/output/dense/bias";
    public static final String FFN_LN_GAMMA = LAYER + "LayerNorm_1/gamma";
    public static final String FFN_LN_BETA = LAYER + "LayerNorm_1/beta";
    public static final String CLS_KERNEL = "classifier/kernel";
    public static final String CLS_BIAS = "classifier/bias";
    public static final String MLM_DENSE_KERNEL = "cls/predictions/transform/dense/kernel";
    public static final String MLM_DENSE_BIAS = "cls/predictions/transform/dense/bias";
    public static final String MLM_LN_GAMMA = "cls/predictions/transform/LayerNorm/gamma";
    public static final String MLM_LN_BETA = "cls/predictions/transform/LayerNorm/beta";
    public static final String MLM_OUTPUT_BIAS = "cls/predictions/output_bias";

    private final AlbertConfig config;
    private final int numClasses;
    private final boolean maskedLm;
    private final Pooling pooling;
    private final Map<String, Tensor> tensors;

    private AlbertParams(AlbertConfig config, int numClasses, boolean maskedLm, Pooling pooling,
                         Map<String, Tensor> tensors) {
        this.config = config;
        this.numClasses = numClasses;
        this.maskedLm = maskedLm;
        this.pooling = pooling;
        this.tensors = tensors;
    }

    /** Name and shape of every parameter of a classifier with this config and number of classes, in a fixed order. */
    public static Map<String, int[]> shapes(AlbertConfig c, int numClasses) {
        return shapes(c, numClasses, false);
    }

    /**
     * Name and shape of every parameter, in a fixed order: the encoder, the classifier when numClasses &gt; 0, the
     * masked-LM head when asked.
     */
    public static Map<String, int[]> shapes(AlbertConfig c, int numClasses, boolean maskedLm) {
        if (numClasses < 0 || (numClasses == 0 && !maskedLm)) {
            throw new IllegalArgumentException("a model needs a classifier (classes > 0) or the masked-LM head, got "
                    + numClasses + " classes");
        }
        int e = c.embeddingSize();
        int h = c.hiddenSize();
        int f = c.intermediateSize();
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put(WORD, new int[]{c.vocabSize(), e});
        s.put(POSITION, new int[]{c.maxPositionEmbeddings(), e});
        s.put(TOKEN_TYPE, new int[]{c.typeVocabSize(), e});
        s.put(EMB_LN_GAMMA, new int[]{e});
        s.put(EMB_LN_BETA, new int[]{e});
        if (c.factorisedEmbeddings()) {
            s.put(MAP_KERNEL, new int[]{e, h});
            s.put(MAP_BIAS, new int[]{h});
        }
        s.put(Q_KERNEL, new int[]{h, h});
        s.put(Q_BIAS, new int[]{h});
        s.put(K_KERNEL, new int[]{h, h});
        s.put(K_BIAS, new int[]{h});
        s.put(V_KERNEL, new int[]{h, h});
        s.put(V_BIAS, new int[]{h});
        s.put(O_KERNEL, new int[]{h, h});
        s.put(O_BIAS, new int[]{h});
        s.put(ATTN_LN_GAMMA, new int[]{h});
        s.put(ATTN_LN_BETA, new int[]{h});
        s.put(FFN_IN_KERNEL, new int[]{h, f});
        s.put(FFN_IN_BIAS, new int[]{f});
        s.put(FFN_OUT_KERNEL, new int[]{f, h});
        s.put(FFN_OUT_BIAS, new int[]{h});
        s.put(FFN_LN_GAMMA, new int[]{h});
        s.put(FFN_LN_BETA, new int[]{h});
        if (numClasses > 0) {
            s.put(CLS_KERNEL, new int[]{h, numClasses});
            s.put(CLS_BIAS, new int[]{numClasses});
        }
        if (maskedLm) {
            s.put(MLM_DENSE_KERNEL, new int[]{h, e});
            s.put(MLM_DENSE_BIAS, new int[]{e});
            s.put(MLM_LN_GAMMA, new int[]{e});
            s.put(MLM_LN_BETA, new int[]{e});
            s.put(MLM_OUTPUT_BIAS, new int[]{c.vocabSize()});
        }
        return s;
    }

    /**
     * Seeded random initialisation as in Google's BERT: truncated normal (std initializer_range, cut at 2 std) for
     * embeddings and kernels, zeros for biases, ones for LayerNorm gains.
     */
    public static AlbertParams initialise(AlbertConfig config, int numClasses, long seed) {
        return initialise(config, numClasses, false, seed);
    }

    /** Like {@link #initialise(AlbertConfig, int, long)}, with or without the masked-LM head. */
    public static AlbertParams initialise(AlbertConfig config, int numClasses, boolean maskedLm, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes(config, numClasses, maskedLm).entrySet()) {
            Tensor t = Tensor.zeros(e.getValue());
            String name = e.getKey();
            if (name.endsWith("/gamma")) {
                t.fill(1f);
            } else if (!name.endsWith("bias") && !name.endsWith("/beta")) {
                float[] v = new float[t.size()];
                for (int i = 0; i < v.length; i++) {
                    double g;
                    do {
                        g = random.nextGaussian();
                    } while (Math.abs(g) > 2);
                    v[i] = (float) (g * config.initializerRange());
                }
                t.copyFrom(v);
            }
            tensors.put(name, t);
        }
        return new AlbertParams(config, numClasses, maskedLm, Pooling.CLS, tensors);
    }

    /** Parameters from given tensors; every expected name must be present with its shape. */
    public static AlbertParams of(AlbertConfig config, int numClasses, Map<String, Tensor> given) {
        return of(config, numClasses, false, given);
    }

    /** Like {@link #of(AlbertConfig, int, Map)}, with or without the masked-LM head. */
    public static AlbertParams of(AlbertConfig config, int numClasses, boolean maskedLm, Map<String, Tensor> given) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes(config, numClasses, maskedLm).entrySet()) {
            Tensor t = given.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + java.util.Arrays.toString(t.shape())
                        + ", expected " + java.util.Arrays.toString(e.getValue()));
            }
            tensors.put(e.getKey(), t);
        }
        return new AlbertParams(config, numClasses, maskedLm, Pooling.CLS, tensors);
    }

    /** Zero-filled tensors of the same names and shapes (gradients, optimizer moments). */
    public AlbertParams zerosLike() {
        Map<String, Tensor> z = new LinkedHashMap<>();
        tensors.forEach((k, v) -> z.put(k, Tensor.zeros(v.shape())));
        return new AlbertParams(config, numClasses, maskedLm, pooling, z);
    }

    public AlbertConfig config() {
        return config;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean hasMaskedLmHead() {
        return maskedLm;
    }

    /** What the classifier reads ([CLS] unless set with {@link #withPooling}). */
    public Pooling pooling() {
        return pooling;
    }

    /**
     * The same parameters (the same tensors, not copies: close only one of the two) with the classifier reading
     * {@code p}.
     */
    public AlbertParams withPooling(Pooling p) {
        return p == pooling ? this : new AlbertParams(config, numClasses, maskedLm, p, tensors);
    }

    /** Whether decoupled weight decay applies: kernels and embedding tables, not biases or LayerNorm parameters. */
    public static boolean decays(String name) {
        return !name.endsWith("bias") && !name.endsWith("/beta") && !name.endsWith("/gamma");
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return t;
    }

    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public long count() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    public void fill(float value) {
        tensors.values().forEach(t -> t.fill(value));
    }

    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
    }
}
