package cn.clinicaltext.workbench.model;

import cn.clinicaltext.workbench.io.JsonProblems;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoder's shape, in the keys of Google's and brightmart's {@code albert_config.json}, for the whole BERT
 * family: ALBERT (layers sharing one set of weights, {@code num_hidden_groups} 1) and BERT (each layer its own,
 * {@code num_hidden_groups} = {@code num_hidden_layers}), as ALBERT's config already allows. Defaults are
 * albert_tiny_google_zh as the original project loaded it: vocabulary 21128, hidden 312, no embedding
 * factorisation, 4 layers sharing one set of weights, 12 heads, FFN 1248, 512 positions, 2 token types,
 * GELU (tanh form), LayerNorm epsilon 1e-12, no dropout.
 *
 * @param embeddingSize   width of the embeddings; when it differs from hiddenSize a projection
 *                        ({@code embedding_hidden_mapping_in}) maps embeddings to the hidden width
 * @param hiddenAct       {@link Activation#configName()}: "gelu" (tanh form, Google's BERT and ALBERT), "gelu_exact"
 *                        (erf form, PyTorch's and Hugging Face's "gelu") or "relu"
 * @param numHiddenGroups how many sets of layer weights: layer l uses group l / (layers / groups), ALBERT's rule
 */
public record AlbertConfig(int vocabSize, int hiddenSize, int embeddingSize, int numHiddenLayers,
                           int numAttentionHeads, int intermediateSize, int maxPositionEmbeddings,
                           int typeVocabSize, String hiddenAct, float layerNormEps, float initializerRange,
                           float hiddenDropoutProb, float attentionDropoutProb, int numHiddenGroups) {

    public static final AlbertConfig ALBERT_TINY_ZH = new AlbertConfig(21128, 312, 312, 4, 12, 1248, 512, 2, "gelu",
            1e-12f, 0.02f, 0f, 0f, 1);

    /** A tiny model (hidden 32, 2 layers, 2 heads) for smoke runs and quick checks; its vocabulary size is replaced
     * by the run's. */
    public static final AlbertConfig TINY = new AlbertConfig(21128, 32, 32, 2, 2, 64, 512, 2, "gelu", 1e-12f, 0.02f, 0f, 0f,
            1);

    /** An ALBERT config: every layer shares one set of weights. */
    public AlbertConfig(int vocabSize, int hiddenSize, int embeddingSize, int numHiddenLayers, int numAttentionHeads,
                        int intermediateSize, int maxPositionEmbeddings, int typeVocabSize, String hiddenAct,
                        float layerNormEps, float initializerRange, float hiddenDropoutProb,
                        float attentionDropoutProb) {
        this(vocabSize, hiddenSize, embeddingSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                maxPositionEmbeddings, typeVocabSize, hiddenAct, layerNormEps, initializerRange, hiddenDropoutProb,
                attentionDropoutProb, 1);
    }

    /**
     * The one rule for a text length against the model's positions, wherever texts are read (training,
     * pretraining, a saved model's classifier): a {@code maxlen} beyond max_position_embeddings is refused, naming
     * the setting, never cut down silently (a run records the maxlen it used, and that must be the one asked for).
     */
    public void checkMaxlen(int maxlen, String setting) {
        if (maxlen > maxPositionEmbeddings) {
            throw new IllegalArgumentException(setting + " " + maxlen + " is longer than the model's "
                    + maxPositionEmbeddings + " positions (max_position_embeddings of its start); give "
                    + setting + " " + maxPositionEmbeddings + " or less");
        }
    }

    public AlbertConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("embedding_size", embeddingSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
        Activation.fromConfig(hiddenAct);
        positive("num_hidden_groups", numHiddenGroups);
        if (numHiddenLayers % numHiddenGroups != 0) {
            throw new IllegalArgumentException("num_hidden_layers " + numHiddenLayers + " is not a multiple of"
                    + " num_hidden_groups " + numHiddenGroups);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be positive");
        }
        if (hiddenDropoutProb < 0 || hiddenDropoutProb >= 1 || attentionDropoutProb < 0 || attentionDropoutProb >= 1) {
            throw new IllegalArgumentException("dropout probabilities must be in [0, 1)");
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public boolean factorisedEmbeddings() {
        return embeddingSize != hiddenSize;
    }

    /** The feed-forward activation. */
    public Activation activation() {
        return Activation.fromConfig(hiddenAct);
    }

    /** Whether every layer applies the same weights (ALBERT) rather than its own (BERT). */
    public boolean sharesLayers() {
        return numHiddenGroups == 1;
    }

    /** The set of weights layer {@code layer} applies: ALBERT's int(layer / (layers / groups)). */
    public int groupOf(int layer) {
        return layer / (numHiddenLayers / numHiddenGroups);
    }

    /**
     * Reads a Google/brightmart ALBERT config (or the workbench's own, which has the same keys). Unknown keys are
     * ignored; values this model cannot run (inner groups, an unknown activation) are refused with the reason.
     */
    public static AlbertConfig read(Path file) throws IOException {
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid JSON object (" + JsonProblems.describe(e) + ")", e);
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static AlbertConfig fromJson(JsonObject json) {
        AlbertConfig d = ALBERT_TINY_ZH;
        int groups = integer(json, "num_hidden_groups", 1);
        int inner = integer(json, "inner_group_num", 1);
        if (inner != 1) {
            throw new IllegalArgumentException("inner_group_num = " + inner + " is not supported (must be 1)");
        }
        int hidden = integer(json, "hidden_size", d.hiddenSize());
        JsonElement emb = json.get("embedding_size");
        int embedding = emb == null || emb.isJsonNull() ? hidden : emb.getAsInt();
        return new AlbertConfig(
                integer(json, "vocab_size", d.vocabSize()), hidden, embedding,
                integer(json, "num_hidden_layers", d.numHiddenLayers()),
                integer(json, "num_attention_heads", d.numAttentionHeads()),
                integer(json, "intermediate_size", d.intermediateSize()),
                integer(json, "max_position_embeddings", d.maxPositionEmbeddings()),
                integer(json, "type_vocab_size", d.typeVocabSize()),
                json.has("hidden_act") ? json.get("hidden_act").getAsString() : d.hiddenAct(),
                json.has("layer_norm_eps") ? json.get("layer_norm_eps").getAsFloat() : d.layerNormEps(),
                json.has("initializer_range") ? json.get("initializer_range").getAsFloat() : d.initializerRange(),
                json.has("hidden_dropout_prob") ? json.get("hidden_dropout_prob").getAsFloat() : d.hiddenDropoutProb(),
                json.has("attention_probs_dropout_prob") ? json.get("attention_probs_dropout_prob").getAsFloat()
                        : d.attentionDropoutProb(), groups);
    }

    private static int integer(JsonObject json, String key, int fallback) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsInt() : fallback;
    }

    /** The config in albert_config.json's own keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("embedding_size", embeddingSize);
        m.put("num_hidden_layers", numHiddenLayers);
        m.put("num_hidden_groups", numHiddenGroups);
        m.put("inner_group_num", 1);
        m.put("num_attention_heads", numAttentionHeads);
        m.put("intermediate_size", intermediateSize);
        m.put("max_position_embeddings", maxPositionEmbeddings);
        m.put("type_vocab_size", typeVocabSize);
        m.put("hidden_act", hiddenAct);
        m.put("layer_norm_eps", layerNormEps);
        m.put("initializer_range", initializerRange);
        m.put("hidden_dropout_prob", hiddenDropoutProb);
        m.put("attention_probs_dropout_prob", attentionDropoutProb);
        return m;
    }

    public AlbertConfig withVocabSize(int size) {
        return new AlbertConfig(size, hiddenSize, embeddingSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                maxPositionEmbeddings, typeVocabSize, hiddenAct, layerNormEps, initializerRange, hiddenDropoutProb,
                attentionDropoutProb, numHiddenGroups);
    }

    /** The same shape with embeddings of this width (projected to the hidden width when they differ). */
    public AlbertConfig withEmbeddingSize(int size) {
        return new AlbertConfig(vocabSize, hiddenSize, size, numHiddenLayers, numAttentionHeads, intermediateSize,
                maxPositionEmbeddings, typeVocabSize, hiddenAct, layerNormEps, initializerRange, hiddenDropoutProb,
                attentionDropoutProb, numHiddenGroups);
    }

    /** The same shape with each layer's own weights (BERT) or one shared set (ALBERT) of {@code groups}. */
    public AlbertConfig withHiddenGroups(int groups) {
        return new AlbertConfig(vocabSize, hiddenSize, embeddingSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, maxPositionEmbeddings, typeVocabSize, hiddenAct, layerNormEps, initializerRange,
                hiddenDropoutProb, attentionDropoutProb, groups);
    }

    /** The same shape with another feed-forward activation ({@link Activation#configName()}). */
    public AlbertConfig withHiddenAct(String act) {
        return new AlbertConfig(vocabSize, hiddenSize, embeddingSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, maxPositionEmbeddings, typeVocabSize, act, layerNormEps, initializerRange,
                hiddenDropoutProb, attentionDropoutProb, numHiddenGroups);
    }
}
