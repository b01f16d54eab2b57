package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.model.Activation;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.LayerNames;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.model.Tensor;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Unique;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's ALBERT classifier ({@link cn.clinicaltext.workbench.model.SequenceClassifier}) as a SameDiff graph: same
 * {@link AlbertConfig}, same parameters under the same (TensorFlow) names, same mathematics:
 * <pre>
 *   e = LayerNorm(word[ids] + type[segments] + position[0..T))     x = e @ W_map + b_map if factorised, else e
 *   repeat L times (one set of weights):
 *       x1 = LN(x + drop(Attention(x) @ W_o + b_o));   x = LN(x1 + drop(GELU(x1 @ W_i + b_i) @ W_f + b_f))
 *   hidden_states = x;   pooled = x[:, 0] or the masked mean;   logits = drop(pooled) @ W_cls + b_cls
 * </pre>
 * Inputs: {@value #INPUT_IDS} and {@value #SEGMENT_IDS} [batch, length] INT, {@value #ATTENTION_MASK} [batch, length]
 * FLOAT (1 token, 0 padding); outputs {@value #LOGITS}, {@value #PROBABILITIES}, {@value #HIDDEN_STATES}
 * [batch, length, hidden] and {@value #POOLED}. Any batch size and length up to max_position_embeddings run in one
 * graph. A training graph adds {@value #LABELS} [batch] INT, the mean cross-entropy {@value #LOSS} and, for each
 * dropout site with a rate, a placeholder of the scale factors mask / (1 - p): fed from the engine's own
 * {@link Dropout} they drop exactly what the engine drops (so the twin's gradients can be checked against the
 * engine's with dropout on), fed with ones they switch dropout off.
 * <p>
 * Where SameDiff 1.0.0-M2.1 could not be used as it is (see {@code ../shared/notes/samediff-m2.1.md}), each with a
 * test in {@code AlbertTwinTest}:
 * <ul>
 *   <li>{@code gather}'s gradient overwrites rows for repeated ids instead of adding them, and a graph with two
 *   gathers on the gradient path fails ("Unable to replace samediff namespace"). The inference graph looks words up
 *   with gather (no gradient); the training graph takes the batch's distinct ids' rows as a one-hot product with
 *   the table and spreads them to the tokens by a [tokens, distinct ids] selection product, so both gradients are
 *   products that add repeated ids up; token types (2 rows) are a one-hot product; positions 0..T-1 a slice.</li>
 *   <li>Neither built-in GELU is BERT's tanh form: written out, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</li>
 *   <li>The built-in multi-head attention op has no q/k/v/o biases: attention is written out with batched
 *   products over [batch, heads, length, head size] and an additive mask before the softmax.</li>
 *   <li>LayerNorm is written out too: the built-in op does not take ALBERT's epsilon of 1e-12.</li>
 * </ul>
 * Off-heap memory: the helpers below copy results to Java arrays and close the arrays SameDiff returned. Measured
 * (2026-11-26, this project's 2-core machine, ALBERT-tiny size, batch 32 x 128, -Xmx512m): resident memory levels
 * off at about 1.9 GB after 10 calls and stays there over 40; JavaCPP's tracked bytes stay at 31 MB.
 */
public final class AlbertTwin {
    public static final String INPUT_IDS = "input_ids";
    public static final String SEGMENT_IDS = "segment_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    public static final String HIDDEN_STATES = "hidden_states";
    public static final String POOLED = "pooled";
    public static final String LOSS = "loss";
    /** What the additive attention mask puts on padded keys: exp of it is 0 in float, as in the engine. */
    static final double MASKED = -1e5;

    static {
        Nd4jRuntime.start();
    }

    private final SameDiff sd;
    private final AlbertConfig config;
    private final int numClasses;
    private final Pooling pooling;
    /** The sites this training graph drops at, in the order they were built. */
    private final List<DropoutSite> dropoutSites;

    /** What a dropout placeholder covers; its shape for one batch. */
    enum SiteShape {
        /** [tokens, E] */
        EMBEDDINGS,
        /** [tokens, H] */
        TOKENS,
        /** [batch, heads, T, T] */
        ATTENTION,
        /** [batch, H] */
        POOLED;

        long[] of(Batch b, AlbertConfig c) {
            return switch (this) {
                case EMBEDDINGS -> new long[]{b.tokens(), c.embeddingSize()};
                case TOKENS -> new long[]{b.tokens(), c.hiddenSize()};
                case ATTENTION -> new long[]{b.batch(), c.numAttentionHeads(), b.length(), b.length()};
                case POOLED -> new long[]{b.batch(), c.hiddenSize()};
            };
        }

        /** The placeholder's declared shape: batch and length left open. */
        long[] declared(AlbertConfig c) {
            return switch (this) {
                case EMBEDDINGS -> new long[]{-1, c.embeddingSize()};
                case TOKENS, POOLED -> new long[]{-1, c.hiddenSize()};
                case ATTENTION -> new long[]{-1, c.numAttentionHeads(), -1, -1};
            };
        }
    }

    /** One dropout placeholder: the engine's site number, the placeholder's name, the rate, what it covers. */
    record DropoutSite(int site, String placeholder, float rate, SiteShape shape) {
    }

    private AlbertTwin(SameDiff sd, AlbertConfig config, int numClasses, Pooling pooling, List<DropoutSite> sites) {
        this.sd = sd;
        this.config = config;
        this.numClasses = numClasses;
        this.pooling = pooling;
        this.dropoutSites = List.copyOf(sites);
    }

    /** The inference graph of a classifier (what {@code ./workbench export} writes): no labels, no dropout. */
    public static AlbertTwin inference(AlbertParams params) {
        return build(params, null);
    }

    /**
     * A training graph with the loss and, where {@code rates} (hidden, attention, classifier) are above 0, dropout
     * placeholders at the engine's sites.
     */
    public static AlbertTwin training(AlbertParams params, Dropout rates) {
        return build(params, rates == null ? new Dropout(0, 0f, 0f, 0f) : rates);
    }

    private static AlbertTwin build(AlbertParams params, Dropout rates) {
        if (params.numClasses() < 1) {
            throw new IllegalArgumentException("the twin is of a classifier; these parameters have no classifier");
        }
        AlbertConfig c = params.config();
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> w = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.tensors().entrySet()) {
            w.put(e.getKey(), sd.var(e.getKey(), toArray(e.getValue())));
        }
        Builder b = new Builder(sd, c, w, rates);
        b.classifier(params.numClasses(), params.pooling());
        return new AlbertTwin(sd, c, params.numClasses(), params.pooling(), b.sites);
    }

    /** Builds the graph, one method per block, in the order of the formula above. */
    private static final class Builder {
        final SameDiff sd;
        final AlbertConfig c;
        final Map<String, SDVariable> w;
        final Dropout rates;
        final List<DropoutSite> sites = new ArrayList<>();
        final SDVariable ids;
        final SDVariable segments;
        final SDVariable mask;
        final SDVariable batch;
        final SDVariable length;

        Builder(SameDiff sd, AlbertConfig c, Map<String, SDVariable> w, Dropout rates) {
            this.sd = sd;
            this.c = c;
            this.w = w;
            this.rates = rates;
            ids = sd.placeHolder(INPUT_IDS, DataType.INT, -1, -1);
            segments = sd.placeHolder(SEGMENT_IDS, DataType.INT, -1, -1);
            mask = sd.placeHolder(ATTENTION_MASK, DataType.FLOAT, -1, -1);
            batch = sd.sizeAt(ids, 0).castTo(DataType.LONG);
            length = sd.sizeAt(ids, 1).castTo(DataType.LONG);
        }

        /** x * scale, the scale a placeholder of this site's shape, when the training graph drops here at all. */
        SDVariable dropout(SDVariable x, int site, String name, float rate, SiteShape shape) {
            if (rates == null || rate == 0f) {
                return x;
            }
            SDVariable scale = sd.placeHolder("dropout/" + name, DataType.FLOAT, shape.declared(c));
            sites.add(new DropoutSite(site, scale.name(), rate, shape));
            return x.mul(scale);
        }

        SDVariable shape(Object... dims) {
            SDVariable[] parts = new SDVariable[dims.length];
            for (int i = 0; i < dims.length; i++) {
                parts[i] = dims[i] instanceof SDVariable v ? sd.reshape(v, 1)
                        : sd.constant(Nd4j.createFromArray(((Number) dims[i]).longValue()));
            }
            return sd.concat(0, parts);
        }

        void classifier(int numClasses, Pooling pooling) {
            int h = c.hiddenSize();
            SDVariable x = encoder();
            SDVariable hidden = sd.reshape(HIDDEN_STATES, x, shape(batch, length, (long) h));
            SDVariable pooled;
            if (pooling == Pooling.CLS) {
                pooled = hidden.get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
            } else {
                SDVariable m = sd.expandDims(mask, 2);
                pooled = hidden.mul(m).sum(1).div(mask.sum(true, 1));
            }
            pooled = sd.identity(POOLED, pooled);
            SDVariable dropped = dropout(pooled, Dropout.SITE_CLASSIFIER, "classifier", rate(Rate.CLASSIFIER), SiteShape.POOLED);
            SDVariable logits = sd.identity(LOGITS,
                    dropped.mmul(w.get(AlbertParams.CLS_KERNEL)).add(w.get(AlbertParams.CLS_BIAS)));
            sd.nn.softmax(PROBABILITIES, logits, 1);
            if (rates != null) {
                SDVariable labels = sd.placeHolder(LABELS, DataType.INT, -1);
                SDVariable onehot = sd.oneHot(labels, numClasses, -1, 1.0, 0.0, DataType.FLOAT);
                // log softmax written out: sd.nn.logSoftmax with an axis fails when SameDiff clones the graph for
                // its gradient (M2.1: "Error setting property for function LogSoftMax")
                SDVariable shifted = logits.sub(logits.max(true, 1));
                SDVariable logP = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
                SDVariable perText = onehot.mul(logP).sum(1).neg();
                sd.mean(LOSS, perText);
                sd.setLossVariables(LOSS);
            }
        }

        enum Rate { HIDDEN, ATTENTION, CLASSIFIER }

        float rate(Rate r) {
            if (rates == null) {
                return 0f;
            }
            return switch (r) {
                case HIDDEN -> rates.hidden();
                case ATTENTION -> rates.attention();
                case CLASSIFIER -> rates.classifier();
            };
        }

        /** Final hidden states [batch * length, H]. */
        SDVariable encoder() {
            int e = c.embeddingSize();
            SDVariable flatIds = sd.reshape(ids, -1);
            SDVariable word;
            if (rates == null) {
                word = sd.gather(w.get(AlbertParams.WORD), flatIds, 0);
            } else {
                // word[ids] without gather (its gradient is wrong): the batch's distinct ids' rows as a one-hot
                // product over the vocabulary, spread to the tokens by a [tokens, distinct] selection product;
                // the gradients of both products add repeated ids up
                SDVariable[] distinct = new Unique(sd, flatIds).outputVariables();
                SDVariable rows = sd.oneHot(distinct[0], c.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT)
                        .mmul(w.get(AlbertParams.WORD));
                SDVariable slots = sd.range(sd.constant(0), sd.sizeAt(distinct[0], 0).castTo(DataType.INT),
                        sd.constant(1), DataType.INT);
                SDVariable select = sd.eq(sd.expandDims(distinct[1].castTo(DataType.INT), 1), sd.expandDims(slots, 0))
                        .castTo(DataType.FLOAT);
                word = select.mmul(rows);
            }
            // type[segments]: one-hot product (two rows, repeated everywhere)
            SDVariable types = sd.oneHot(sd.reshape(segments, -1), c.typeVocabSize(), -1, 1.0, 0.0, DataType.FLOAT)
                    .mmul(w.get(AlbertParams.TOKEN_TYPE));
            // position[0..T): a slice, added to every sequence by broadcasting over [batch, T, E]
            SDVariable positions = w.get(AlbertParams.POSITION).get(SDIndex.interval(sd.constant(0L), length),
                    SDIndex.all());
            SDVariable sum = sd.reshape(word.add(types), shape(batch, length, (long) e)).add(positions);
            SDVariable x = layerNorm(sd.reshape(sum, -1, e), AlbertParams.EMB_LN_GAMMA, AlbertParams.EMB_LN_BETA);
            x = dropout(x, Dropout.SITE_EMBEDDINGS, "embeddings", rate(Rate.HIDDEN), SiteShape.EMBEDDINGS);
            if (c.factorisedEmbeddings()) {
                x = dense(x, AlbertParams.MAP_KERNEL, AlbertParams.MAP_BIAS);
            }
            // additive mask [batch, 1, 1, T]: 0 on tokens, MASKED on padding
            SDVariable maskBias = sd.reshape(mask.rsub(1.0).mul(MASKED), shape(batch, 1L, 1L, length));
            for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
                x = layer(x, maskBias, layer);
            }
            return x;
        }

        SDVariable layer(SDVariable x, SDVariable maskBias, int layer) {
            LayerNames n = LayerNames.of(c.groupOf(layer));
            int h = c.hiddenSize();
            int heads = c.numAttentionHeads();
            int d = c.headSize();
            SDVariable q = heads(dense(x, n.qKernel(), n.qBias()));
            SDVariable k = heads(dense(x, n.kKernel(), n.kBias()));
            SDVariable v = heads(dense(x, n.vKernel(), n.vBias()));
            // P = softmax(Q K^T / sqrt(d) + maskBias) over keys;  ctx = drop(P) V
            SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(d)).add(maskBias);
            SDVariable probs = sd.nn.softmax(scores, 3);
            probs = dropout(probs, Dropout.attentionSite(layer), "attention_" + layer, rate(Rate.ATTENTION),
                    SiteShape.ATTENTION);
            SDVariable ctx = sd.reshape(sd.permute(sd.mmul(probs, v), 0, 2, 1, 3), -1, h);
            SDVariable a = dense(ctx, n.oKernel(), n.oBias());
            a = dropout(a, Dropout.attentionOutputSite(layer), "attention_output_" + layer, rate(Rate.HIDDEN),
                    SiteShape.TOKENS);
            SDVariable x1 = layerNorm(x.add(a), n.attnLnGamma(), n.attnLnBeta());
            SDVariable f = dense(activation(dense(x1, n.ffnInKernel(), n.ffnInBias())),
                    n.ffnOutKernel(), n.ffnOutBias());
            f = dropout(f, Dropout.ffnOutputSite(layer), "ffn_output_" + layer, rate(Rate.HIDDEN), SiteShape.TOKENS);
            return layerNorm(x1.add(f), n.ffnLnGamma(), n.ffnLnBeta());
        }

        /** [batch * T, H] -> [batch, heads, T, head size]. */
        SDVariable heads(SDVariable x) {
            SDVariable split = sd.reshape(x, shape(batch, length, (long) c.numAttentionHeads(), (long) c.headSize()));
            return sd.permute(split, 0, 2, 1, 3);
        }

        SDVariable dense(SDVariable x, String kernel, String bias) {
            return x.mmul(w.get(kernel)).add(w.get(bias));
        }

        /** (x - mean) / sqrt(var + eps) * gamma + beta over the last axis (population variance). */
        SDVariable layerNorm(SDVariable x, String gamma, String beta) {
            SDVariable centred = x.sub(x.mean(true, 1));
            SDVariable variance = centred.mul(centred).mean(true, 1);
            SDVariable xhat = centred.div(sd.math.sqrt(variance.add(c.layerNormEps())));
            return xhat.mul(w.get(gamma)).add(w.get(beta));
        }

        SDVariable activation(SDVariable x) {
            return AlbertTwin.activation(sd, c, x);
        }
    }

    /**
     * The config's activation, written out: GELU in BERT's tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
     * or exact, 0.5 x (1 + erf(x / sqrt 2)) (SameDiff's built-in GELU is neither: see README).
     */
    static SDVariable activation(SameDiff sd, AlbertConfig c, SDVariable x) {
        if (c.activation() == Activation.RELU) {
            return sd.nn.relu(x, 0);
        }
        if (c.activation() == Activation.GELU_EXACT) {
            return x.mul(sd.math.erf(x.mul(Math.sqrt(0.5))).add(1.0)).mul(0.5);
        }
        SDVariable cube = x.mul(x).mul(x);
        SDVariable inner = x.add(cube.mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
    }

    public SameDiff graph() {
        return sd;
    }

    /** Builds the gradient function now, without SameDiff's line per op on standard output (call before fit). */
    public void createGradients() {
        Nd4jRuntime.createGradients(sd);
    }

    public AlbertConfig config() {
        return config;
    }

    public int numClasses() {
        return numClasses;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** The placeholders of one batch (ids, segments, mask; labels when given). */
    public static Map<String, INDArray> inputs(Batch batch, int[] labels) {
        Map<String, INDArray> in = new HashMap<>();
        in.put(INPUT_IDS, Nd4j.createFromArray(batch.ids()).reshape(batch.batch(), batch.length()));
        in.put(SEGMENT_IDS, Nd4j.createFromArray(batch.segments()).reshape(batch.batch(), batch.length()));
        in.put(ATTENTION_MASK, Nd4j.createFromArray(batch.mask()).reshape(batch.batch(), batch.length()));
        if (labels != null) {
            in.put(LABELS, Nd4j.createFromArray(labels));
        }
        return in;
    }

    /**
     * The dropout placeholders of a training graph for one batch: the engine's scale factors of {@code dropout}'s
     * step, or ones (no dropout) when it is null.
     */
    public Map<String, INDArray> dropoutInputs(Batch batch, Dropout dropout) {
        Map<String, INDArray> in = new HashMap<>();
        for (DropoutSite d : dropoutSites) {
            long[] shape = d.shape().of(batch, config);
            int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] scales;
            if (dropout == null) {
                scales = new float[count];
                Arrays.fill(scales, 1f);
            } else {
                scales = dropout.scales(d.site(), count, d.rate());
            }
            in.put(d.placeholder(), Nd4j.createFromArray(scales).reshape(shape));
        }
        return in;
    }

    /** Logits [batch * classes], row-major. */
    public float[] logits(Batch batch) {
        return output(batch, LOGITS);
    }

    /** Class probabilities [batch * classes], row-major. */
    public float[] probabilities(Batch batch) {
        return output(batch, PROBABILITIES);
    }

    /** Final hidden states [batch * length * hidden], row-major. */
    public float[] hiddenStates(Batch batch) {
        return output(batch, HIDDEN_STATES);
    }

    private float[] output(Batch batch, String name) {
        Map<String, INDArray> in = inputs(batch, null);
        if (!dropoutSites.isEmpty()) {
            in.putAll(dropoutInputs(batch, null));
        }
        Map<String, INDArray> out = sd.output(in, name);
        try {
            return out.get(name).dup().data().asFloat();
        } finally {
            close(out);
            close(in);
        }
    }

    /**
     * The mean cross-entropy of a training graph's batch and the gradient of every parameter, by SameDiff's
     * automatic differentiation; keys are the parameter names of {@link AlbertParams}, values row-major.
     */
    public Map<String, float[]> gradients(Batch batch, int[] labels, Dropout dropout) {
        if (sd.getLossVariables().isEmpty()) {
            throw new IllegalStateException("gradients need the training graph (AlbertTwin.training)");
        }
        Map<String, INDArray> in = inputs(batch, labels);
        in.putAll(dropoutInputs(batch, dropout));
        List<String> names = Nd4jRuntime.trainable(sd);
        createGradients();
        // loss and gradients from one forward and backward pass
        OutAndGrad result = sd.calculateGradientsAndOutputs(in, List.of(LOSS), names);
        Map<String, float[]> out = new LinkedHashMap<>();
        try {
            for (String n : names) {
                out.put(n, result.getGradients().get(n).dup().data().asFloat());
            }
            out.put(LOSS, new float[]{result.getOutputs().get(LOSS).getFloat(0)});
            return out;
        } finally {
            close(result.getGradients());
            close(result.getOutputs());
            close(in);
        }
    }

    static INDArray toArray(Tensor t) {
        long[] shape = new long[t.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.shape()[i];
        }
        return Nd4j.create(t.toArray(), shape, 'c');
    }

    private static void close(Map<String, INDArray> arrays) {
        for (INDArray a : arrays.values()) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
