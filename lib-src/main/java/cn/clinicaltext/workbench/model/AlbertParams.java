package cn.clinicaltext.workbench.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The trainable tensors of an ALBERT classifier, keyed by Google ALBERT's TensorFlow variable names (kernels are
 * [in, out], as TensorFlow stores them). The layer weights live under {@code bert/encoder/transformer/group_G/
 * inner_group_0/} ({@link LayerNames}): one group that every layer shares (ALBERT), or one group per layer (BERT,
 * whose checkpoints the readers in {@code checkpoint} rename into these names); the constants below name group 0,
 * the one shared layer of an ALBERT. The
 * classifier head, absent from pretrained checkpoints, is {@code classifier/kernel} [hidden, classes] and
 * {@code classifier/bias}; a model for masked-LM pretraining has no classifier (0 classes) and instead the
 * masked-LM head of Google's checkpoints under {@code cls/predictions/} (its output weights are the word
 * embeddings, tied).
 */
public final class AlbertParams implements AutoCloseable {
    public static final String LAYER = LayerNames.of(0).prefix();
    public static final String WORD = "bert/embeddings/word_embeddings";
    public static final String POSITION = "bert/embeddings/position_embeddings";
    public static final String TOKEN_TYPE = "bert/embeddings/token_type_embeddings";
    public static final String EMB_LN_GAMMA = "bert/embeddings/LayerNorm/gamma";
    public static final String EMB_LN_BETA = "bert/embeddings/LayerNorm/beta";
    public static final String MAP_KERNEL = "bert/encoder/embedding_hidden_mapping_in/kernel";
    public static final String MAP_BIAS = "bert/encoder/embedding_hidden_mapping_in/bias";
    public static final String Q_KERNEL = LayerNames.of(0).qKernel();
    public static final String Q_BIAS = LayerNames.of(0).qBias();
    public static final String K_KERNEL = LayerNames.of(0).kKernel();
    public static final String K_BIAS = LayerNames.of(0).kBias();
    public static final String V_KERNEL = LayerNames.of(0).vKernel();
    public static final String V_BIAS = LayerNames.of(0).vBias();
    public static final String O_KERNEL = LayerNames.of(0).oKernel();
    public static final String O_BIAS = LayerNames.of(0).oBias();
    public static final String ATTN_LN_GAMMA = LayerNames.of(0).attnLnGamma();
    public static final String ATTN_LN_BETA = LayerNames.of(0).attnLnBeta();
    public static final String FFN_IN_KERNEL = LayerNames.of(0).ffnInKernel();
    public static final String FFN_IN_BIAS = LayerNames.of(0).ffnInBias();
    public static final String FFN_OUT_KERNEL = LayerNames.of(0).ffnOutKernel();
    public static final String FFN_OUT_BIAS = LayerNames.of(0).ffnOutBias();
    public static final String FFN_LN_GAMMA = LayerNames.of(0).ffnLnGamma();
    public static final String FFN_LN_BETA = LayerNames.of(0).ffnLnBeta();
    public static final String CLS_KERNEL = "classifier/kernel";
    public static final String CLS_BIAS = "classifier/bias";
    public static final String MLM_DENSE_KERNEL = "cls/predictions/transform/dense/kernel";
    public static final String MLM_DENSE_BIAS = "cls/predictions/transform/dense/bias";
    public static final String MLM_LN_GAMMA = "cls/predictions/transform/LayerNorm/gamma";
    public static final String MLM_LN_BETA = "cls/predictions/transform/LayerNorm/beta";
    public static final String MLM_OUTPUT_BIAS = "cls/predictions/output_bias";
    /** Task-agnostic distillation's projection of the student's hidden states onto the teacher's width ({@link HiddenStateHead}). */
    public static final String PROJECTION_KERNEL = "distil/projection/kernel";
    public static final String PROJECTION_BIAS = "distil/projection/bias";

    private final AlbertConfig config;
    private final int numClasses;
    private final boolean maskedLm;
    /** Width of the distillation projection (the teacher's hidden size), 0 without one. */
    private final int projection;
    private final Pooling pooling;
    private final Map<String, Tensor> tensors;

    private AlbertParams(AlbertConfig config, int numClasses, boolean maskedLm, int projection, Pooling pooling,
                         Map<String, Tensor> tensors) {
        this.config = config;
        this.numClasses = numClasses;
        this.maskedLm = maskedLm;
        this.projection = projection;
        this.pooling = pooling;
        this.tensors = tensors;
    }

    /** Name and shape of every parameter of a classifier with this config and number of classes, in a fixed order. */
    public static Map<String, int[]> shapes(AlbertConfig c, int numClasses) {
        return shapes(c, numClasses, false);
    }

    /** Like {@link #shapes(AlbertConfig, int, boolean, int)} without a distillation projection. */
    public static Map<String, int[]> shapes(AlbertConfig c, int numClasses, boolean maskedLm) {
        return shapes(c, numClasses, maskedLm, 0);
    }

    /**
     * Name and shape of every parameter, in a fixed order: the encoder, the classifier when numClasses &gt; 0, the
     * masked-LM head when asked, the distillation projection [hidden, projection] when projection &gt; 0 (with none of
     * them: the encoder alone, as a distillation teacher is used).
     */
    public static Map<String, int[]> shapes(AlbertConfig c, int numClasses, boolean maskedLm, int projection) {
        if (numClasses < 0 || projection < 0) {
            throw new IllegalArgumentException("classes and projection width must be >= 0, got " + numClasses
                    + " and " + projection);
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
        for (int g = 0; g < c.numHiddenGroups(); g++) {
            LayerNames n = LayerNames.of(g);
            s.put(n.qKernel(), new int[]{h, h});
            s.put(n.qBias(), new int[]{h});
            s.put(n.kKernel(), new int[]{h, h});
            s.put(n.kBias(), new int[]{h});
            s.put(n.vKernel(), new int[]{h, h});
            s.put(n.vBias(), new int[]{h});
            s.put(n.oKernel(), new int[]{h, h});
            s.put(n.oBias(), new int[]{h});
            s.put(n.attnLnGamma(), new int[]{h});
            s.put(n.attnLnBeta(), new int[]{h});
            s.put(n.ffnInKernel(), new int[]{h, f});
            s.put(n.ffnInBias(), new int[]{f});
            s.put(n.ffnOutKernel(), new int[]{f, h});
            s.put(n.ffnOutBias(), new int[]{h});
            s.put(n.ffnLnGamma(), new int[]{h});
            s.put(n.ffnLnBeta(), new int[]{h});
        }
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
        if (projection > 0) {
            s.put(PROJECTION_KERNEL, new int[]{h, projection});
            s.put(PROJECTION_BIAS, new int[]{projection});
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
        return initialise(config, numClasses, maskedLm, 0, seed);
    }

    /**
     * Like {@link #initialise(AlbertConfig, int, boolean, long)}, with a distillation projection of that width
     * (0: none); the tensors before it are drawn exactly as without it.
     */
    public static AlbertParams initialise(AlbertConfig config, int numClasses, boolean maskedLm, int projection,
                                          long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes(config, numClasses, maskedLm, projection).entrySet()) {
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
        return new AlbertParams(config, numClasses, maskedLm, projection, Pooling.CLS, tensors);
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
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(e.getValue()));
            }
            tensors.put(e.getKey(), t);
        }
        return new AlbertParams(config, numClasses, maskedLm, 0, Pooling.CLS, tensors);
    }

    /** Zero-filled tensors of the same names and shapes (gradients, optimizer moments). */
    public AlbertParams zerosLike() {
        Map<String, Tensor> z = new LinkedHashMap<>();
        tensors.forEach((k, v) -> z.put(k, Tensor.zeros(v.shape())));
        return new AlbertParams(config, numClasses, maskedLm, projection, pooling, z);
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

    /** Width of the distillation projection, 0 without one. */
    public int projectionWidth() {
        return projection;
    }

    /** The tensors a start is made of: every one but the distillation projection (a device of training only). */
    public Map<String, Tensor> startTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>(tensors);
        out.remove(PROJECTION_KERNEL);
        out.remove(PROJECTION_BIAS);
        return Collections.unmodifiableMap(out);
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
        return p == pooling ? this : new AlbertParams(config, numClasses, maskedLm, projection, p, tensors);
    }

    /** Whether decoupled weight decay applies: kernels and embedding tables, not biases or LayerNorm parameters. */
    public static boolean decays(String name) {
        return !name.endsWith("bias") && !name.endsWith("/beta") && !name.endsWith("/gamma");
    }

    /** The names of the weights layer {@code layer} applies. */
    public LayerNames layer(int layer) {
        return LayerNames.of(config.groupOf(layer));
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
