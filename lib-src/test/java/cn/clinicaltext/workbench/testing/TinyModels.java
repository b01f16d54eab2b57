package cn.clinicaltext.workbench.testing;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.checkpoint.SafeTensors;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;

import com.google.gson.Gson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small saved models for command tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /** A random two-class model (hidden 8, one layer) over the characters of two reports, saved in {@code dir/run}. */
    public static Path saved(Path dir) throws IOException {
        return saved(dir.resolve("run"), List.of("a", "b"));
    }

    /**
     * A pretrained start in the workbench's own format (as {@code pretrain} and {@code distil-pretrain} write it:
     * config, vocabulary, encoder weights) of the same tiny shape, reading the vocabulary of the model saved in
     * {@code like}; written in {@code dir}.
     */
    public static Path start(Path dir, Path like) throws IOException {
        Vocabulary vocab = SavedModel.classifier(like).tokenizer().vocabulary();
        AlbertConfig config = new AlbertConfig(vocab.size(), 8, 8, 1, 2, 16, 32, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("albert_config.json"), new Gson().toJson(config.toJson()));
        vocab.save(dir.resolve("vocab.txt"));
        try (AlbertParams p = AlbertParams.initialise(config, 0, 7)) {
            SafeTensors.write(dir.resolve(AlbertCheckpoint.SAFETENSORS_NAME), p.startTensors(), Map.of());
        }
        return dir;
    }

    /** The same with the given classes, saved in {@code run}. */
    public static Path saved(Path run, List<String> labels) throws IOException {
        List<String> texts = List.of("胃镜：慢性浅表性胃炎", "结肠息肉");
        Vocabulary vocab = CharVocabularyBuilder.fromTexts(texts, 1);
        AlbertConfig config = new AlbertConfig(vocab.size(), 8, 8, 1, 2, 16, 32, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        try (AlbertParams p = AlbertParams.initialise(config, labels.size(), 1)) {
            new SavedModel(config, labels.size(), 32, labels, vocab, Map.of()).save(run, p);
        }
        return run;
    }
}
