package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.io.JsonProblems;
import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workbench's own saved classifier, a folder (usually {@code weights/<run>/}):
 * <pre>
 *   model.json         format version, ALBERT config (albert_config.json keys), number of classes, maxlen,
 *                      pooling (what the classifier reads: cls or mean; absent = cls)
 *   vocab.txt          the vocabulary the model was trained with (pretrained or built from the corpus)
 *   labels.txt         class names in id order
 *   model.safetensors  every parameter, float32, by Google ALBERT variable name
 *   provenance.json    where the weights came from (data hashes, seeds, settings, code version, start/end)
 * </pre>
 * Every file is written atomically; {@code model.safetensors} last, so a folder with it is complete.
 */
public record SavedModel(AlbertConfig config, int numClasses, int maxlen, List<String> labels, Vocabulary vocabulary,
                         Map<String, Object> provenance) {
    public static final int FORMAT_VERSION = 1;
    public static final String WEIGHTS = "model.safetensors";
    /** The folder's description: format version, config, classes, maxlen, provenance. */
    public static final String MODEL_JSON = "model.json";

    public SavedModel {
        labels = List.copyOf(labels);
        // keeps the caller's order, so provenance.json reads in a stable order
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        if (labels.size() != numClasses) {
            throw new IllegalArgumentException(labels.size() + " label names for " + numClasses + " classes");
        }
        if (vocabulary.size() != config.vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocabulary.size() + " tokens, the config says "
                    + config.vocabSize());
        }
    }

    public void save(Path dir, AlbertParams params) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("format_version", FORMAT_VERSION);
        model.put("albert_config", config.toJson());
        model.put("num_classes", numClasses);
        model.put("maxlen", maxlen);
        model.put("pooling", params.pooling().label());
        var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
        AtomicFiles.writeString(dir.resolve("model.json"), gson.toJson(model) + "\n");
        vocabulary.save(dir.resolve("vocab.txt"));
        AtomicFiles.writeString(dir.resolve("labels.txt"), String.join("\n", labels) + "\n");
        AtomicFiles.writeString(dir.resolve("provenance.json"), gson.toJson(provenance) + "\n");
        SafeTensors.write(dir.resolve(WEIGHTS), params.tensors(), Map.of("format", "albert-workbench",
                "format_version", String.valueOf(FORMAT_VERSION)));
    }

    /** A saved model ready to classify texts (its parameters live until the JVM ends or params().close()). */
    public static TextClassifier classifier(Path dir) throws IOException {
        return load(dir).classifier();
    }

    /**
     * The training file the model was trained on, when it is still where the run read it and unchanged (its SHA-256
     * is the one provenance.json records): what {@code evaluate} fits its bag-of-characters baseline on, so the
     * baseline sees exactly the model's training texts. Empty when the model records no data folder, or the file is
     * gone or different. Read from the provenance {@link #load} parsed (a loaded model keeps each entry as JSON text).
     */
    public Optional<Path> trainingFile() throws IOException {
        Object recorded = provenance.get("data");
        JsonElement element = recorded instanceof String text ? JsonParser.parseString(text)
                : new Gson().toJsonTree(recorded);
        if (element == null || !element.isJsonObject()) {
            return Optional.empty();
        }
        JsonObject data = element.getAsJsonObject();
        if (!data.has("data_dir") || !data.has("train_sha256") || data.get("train_sha256").isJsonNull()) {
            return Optional.empty();
        }
        Path train = Path.of(data.get("data_dir").getAsString()).resolve("train.txt");
        return Files.isRegularFile(train) && Hashes.sha256(train).equals(data.get("train_sha256").getAsString())
                ? Optional.of(train) : Optional.empty();
    }

    /** A loaded model: its description and parameters (close the parameters when done). */
    public record Loaded(SavedModel model, AlbertParams params) implements AutoCloseable {
        /** Frees the parameters' native memory. */
        @Override
        public void close() {
            params.close();
        }

        /** The model ready to classify texts, with these parameters. */
        public TextClassifier classifier() {
            return new TextClassifier(params, new BertTokenizer(model.vocabulary()), model.labels(), model.maxlen());
        }
    }

    private static int requiredInt(JsonObject json, String key, Path file) throws CheckpointException {
        try {
            if (json.has(key) && json.get(key).isJsonPrimitive()) {
                return json.get(key).getAsInt();
            }
        } catch (RuntimeException e) {
            // not a number: reported below
        }
        throw new CheckpointException(file + ": \"" + key + "\" is missing or not an integer");
    }

    public static Loaded load(Path dir) throws IOException {
        if (Files.isRegularFile(dir) && dir.getParent() != null && Files.isRegularFile(dir.resolveSibling("model.json"))) {
            throw new CheckpointException(dir + " is a file of a saved model; give its folder, " + dir.getParent());
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "model folder not found");
        }
        for (String name : List.of("model.json", "vocab.txt", "labels.txt", WEIGHTS)) {
            if (!Files.exists(dir.resolve(name))) {
                throw new CheckpointException(dir + " is not a saved model: " + name + " is missing"
                        + (name.equals(WEIGHTS) ? " (an interrupted save, or a run that has not finished an epoch?)" : ""));
            }
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(dir.resolve("model.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new CheckpointException(dir.resolve("model.json") + ": not valid JSON (" + JsonProblems.describe(e)
                    + ")");
        }
        Path modelJson = dir.resolve("model.json");
        int version = requiredInt(json, "format_version", modelJson);
        if (version != FORMAT_VERSION) {
            throw new CheckpointException(dir + ": model format version " + version + ", this workbench reads "
                    + FORMAT_VERSION);
        }
        if (!json.has("albert_config") || !json.get("albert_config").isJsonObject()) {
            throw new CheckpointException(modelJson + ": no \"albert_config\" object");
        }
        AlbertConfig config;
        try {
            config = AlbertConfig.fromJson(json.getAsJsonObject("albert_config"));
        } catch (RuntimeException e) {
            throw new CheckpointException(modelJson + ": albert_config: " + e.getMessage());
        }
        int numClasses = requiredInt(json, "num_classes", modelJson);
        int maxlen = requiredInt(json, "maxlen", modelJson);
        try {
            config.checkMaxlen(maxlen, "maxlen");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(modelJson + ": " + e.getMessage());
        }
        Pooling pooling;
        try {
            pooling = json.has("pooling") ? Pooling.parse(json.get("pooling").getAsString()) : Pooling.CLS;
        } catch (RuntimeException e) {
            throw new CheckpointException(modelJson + ": " + e.getMessage());
        }
        List<String> labels = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("labels.txt"), StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                labels.add(line);
            }
        }
        Vocabulary vocabulary = Vocabulary.load(dir.resolve("vocab.txt"));
        Map<String, Object> provenance = new LinkedHashMap<>();
        Path prov = dir.resolve("provenance.json");
        if (Files.exists(prov)) {
            try {
                JsonParser.parseString(Files.readString(prov)).getAsJsonObject().entrySet()
                        .forEach(e -> provenance.put(e.getKey(), e.getValue().toString()));
            } catch (RuntimeException e) {
                throw new CheckpointException(prov + ": not valid JSON (" + JsonProblems.describe(e) + ")");
            }
        }
        SavedModel model;
        try {
            model = new SavedModel(config, numClasses, maxlen, labels, vocabulary, provenance);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + ": " + e.getMessage() + " (labels.txt, vocab.txt and model.json disagree)");
        }
        Map<String, Tensor> tensors = SafeTensors.read(dir.resolve(WEIGHTS));
        try {
            return new Loaded(model, AlbertParams.of(config, numClasses, tensors).withPooling(pooling));
        } catch (IllegalArgumentException e) {
            tensors.values().forEach(Tensor::close);
            throw new CheckpointException(dir.resolve(WEIGHTS) + ": " + e.getMessage());
        }
    }
}
