package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.io.AtomicFiles;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved classifier as a SameDiff FlatBuffers file that a Deeplearning4j user loads with {@code SameDiff.load}
 * (no workbench classes needed), with two files beside it: {@code FILE.json} (inputs, outputs, class names, maxlen,
 * where the weights came from) and {@code FILE.vocab.txt} (the vocabulary the token ids index: [CLS] text [SEP],
 * one Chinese character a token, as {@code ./workbench tokenize} prints them).
 */
public final class TwinExport {
    private TwinExport() {
    }

    /** What was written. */
    public record Written(Path graph, Path description, Path vocabulary, long bytes) {
    }

    public static Written export(Path modelDir, Path out) throws IOException {
        SavedModel.Loaded loaded = SavedModel.load(modelDir);
        SavedModel model = loaded.model();
        AlbertTwin twin;
        try {
            twin = AlbertTwin.inference(loaded.params());
        } finally {
            loaded.params().close();
        }
        Path description = sibling(out, ".json");
        Path vocabulary = sibling(out, ".vocab.txt");
        Path tmp = AtomicFiles.temporaryFor(out, ".tmp");
        try {
            twin.graph().save(tmp.toFile(), false);
            model.vocabulary().save(vocabulary);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("format", "SameDiff FlatBuffers (nd4j 1.0.0-M2.1)");
            d.put("inputs", List.of(
                    input(AlbertTwin.INPUT_IDS, "INT", "token ids from " + vocabulary.getFileName()
                            + ": [CLS]=" + model.vocabulary().id("[CLS]") + " text [SEP]=" + model.vocabulary().id("[SEP]")
                            + ", padding 0, at most maxlen"),
                    input(AlbertTwin.SEGMENT_IDS, "INT", "0 everywhere for one text"),
                    input(AlbertTwin.ATTENTION_MASK, "FLOAT", "1 for tokens, 0 for padding")));
            d.put("outputs", Map.of(
                    AlbertTwin.LOGITS, "[batch, classes]",
                    AlbertTwin.PROBABILITIES, "[batch, classes] softmax of the logits",
                    AlbertTwin.POOLED, "[batch, hidden] what the classifier reads (" + twin.pooling().label() + ")",
                    AlbertTwin.HIDDEN_STATES, "[batch, length, hidden] final token vectors"));
            d.put("labels", model.labels());
            d.put("maxlen", model.maxlen());
            d.put("albert_config", model.config().toJson());
            d.put("source_model", modelDir.toAbsolutePath().normalize().toString());
            d.put("source_provenance", model.provenance());
            var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
            AtomicFiles.writeString(description, gson.toJson(d) + "\n");
            // the graph last: a FILE beside its description is a complete export
            AtomicFiles.moveIntoPlace(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Written(out, description, vocabulary, Files.size(out));
    }

    private static Map<String, Object> input(String name, String type, String meaning) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        m.put("shape", "[batch, length]");
        m.put("meaning", meaning);
        return m;
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
