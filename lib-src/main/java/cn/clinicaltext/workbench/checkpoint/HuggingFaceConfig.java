package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.io.JsonProblems;
import cn.clinicaltext.workbench.model.Activation;
import cn.clinicaltext.workbench.model.AlbertConfig;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Hugging Face {@code config.json} of a BERT ({@code "model_type": "bert"}: bert-base-chinese, hfl's rbt3, bge)
 * or an ALBERT ({@code "albert"}) as the engine's config. The keys are Google's, with three differences that
 * matter: {@code "gelu"} there is the exact (erf) GELU and {@code "gelu_new"}/{@code "gelu_pytorch_tanh"} the tanh
 * form (Google's {@code "gelu"}); a BERT has one set of weights per layer; positions must be absolute.
 */
public final class HuggingFaceConfig {
    private HuggingFaceConfig() {
    }

    public static AlbertConfig read(Path file) throws IOException {
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new CheckpointException(file + ": not a valid JSON object (" + JsonProblems.describe(e) + ")");
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new CheckpointException(file + ": " + e.getMessage());
        }
    }

    static AlbertConfig fromJson(JsonObject json) {
        String type = string(json, "model_type", "").toLowerCase(Locale.ROOT);
        if (!type.equals("bert") && !type.equals("albert")) {
            throw new IllegalArgumentException("model_type '" + type + "' is not read (bert and albert are: an encoder"
                    + " of the BERT family with absolute positions)");
        }
        String positions = string(json, "position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw new IllegalArgumentException("position_embedding_type '" + positions + "' is not supported (absolute)");
        }
        List<String> missing = new ArrayList<>();
        for (String key : List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size")) {
            if (!json.has(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing " + missing);
        }
        boolean albert = type.equals("albert");
        int hidden = json.get("hidden_size").getAsInt();
        int layers = json.get("num_hidden_layers").getAsInt();
        if (albert && integer(json, "inner_group_num", 1) != 1) {
            throw new IllegalArgumentException("inner_group_num " + json.get("inner_group_num") + " is not supported (1)");
        }
        String act = string(json, "hidden_act", albert ? "gelu_new" : "gelu");
        Activation activation = switch (act) {
            case "gelu" -> Activation.GELU_EXACT;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> Activation.GELU_TANH;
            case "relu" -> Activation.RELU;
            default -> throw new IllegalArgumentException("hidden_act '" + act + "' is not supported (gelu, gelu_new,"
                    + " gelu_pytorch_tanh, relu)");
        };
        return new AlbertConfig(json.get("vocab_size").getAsInt(), hidden,
                albert ? integer(json, "embedding_size", hidden) : hidden, layers,
                json.get("num_attention_heads").getAsInt(), json.get("intermediate_size").getAsInt(),
                integer(json, "max_position_embeddings", 512), integer(json, "type_vocab_size", 2),
                activation.configName(), (float) number(json, "layer_norm_eps", 1e-12),
                (float) number(json, "initializer_range", 0.02), 0f, 0f,
                albert ? integer(json, "num_hidden_groups", 1) : layers);
    }

    private static String string(JsonObject json, String key, String fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static int integer(JsonObject json, String key, int fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static double number(JsonObject json, String key, double fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
    }
}
