package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.model.Prediction;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SavedModelTest {
    private static final List<String> TEXTS = List.of("胃镜：慢性浅表性胃炎", "结肠息肉", "胆囊结石伴慢性胆囊炎，行LC", "痔");

    @Test
    void savedModelPredictsIdenticallyAfterLoading(@TempDir Path dir) throws Exception {
        Vocabulary vocab = CharVocabularyBuilder.fromTexts(TEXTS, 1);
        AlbertConfig config = new AlbertConfig(vocab.size(), 16, 8, 2, 2, 32, 64, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        List<String> labels = List.of("0 neither", "1 upper GI", "2 lower GI");
        try (AlbertParams params = AlbertParams.initialise(config, 3, 3)) {
            TextClassifier before = new TextClassifier(params, new BertTokenizer(vocab), labels, 64);
            List<Prediction> expected = before.predict(TEXTS);
            new SavedModel(config, 3, 64, labels, vocab, Map.of("note", "test")).save(dir, params);
            try (var files = Files.list(dir)) {
                assertEquals(List.of("labels.txt", "model.json", "model.safetensors", "provenance.json", "vocab.txt"),
                        files.map(f -> f.getFileName().toString()).sorted().toList());
            }
            TextClassifier after = SavedModel.classifier(dir);
            List<Prediction> got = after.predict(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(expected.get(i).probabilities(), got.get(i).probabilities(), 0f, TEXTS.get(i));
                assertEquals(TEXTS.get(i), got.get(i).text(), "results in input order");
            }
            after.params().close();
            // a mean-pooling classifier is saved as such and loads as such
            Path mean = dir.resolve("mean");
            AlbertParams meanParams = params.withPooling(Pooling.MEAN);
            List<Prediction> meanExpected = new TextClassifier(meanParams, new BertTokenizer(vocab), labels, 64).predict(TEXTS);
            new SavedModel(config, 3, 64, labels, vocab, Map.of()).save(mean, meanParams);
            TextClassifier meanAfter = SavedModel.classifier(mean);
            assertEquals(Pooling.MEAN, meanAfter.params().pooling());
            assertArrayEquals(meanExpected.get(0).probabilities(), meanAfter.predict(TEXTS).get(0).probabilities(), 0f);
            assertFalse(Arrays.equals(expected.get(0).probabilities(), meanExpected.get(0).probabilities()));
            meanAfter.params().close();
            // a maxlen beyond the model's 64 positions is refused, with the file, not cut down silently
            Path longer = dir.resolve("longer");
            new SavedModel(config, 3, 64, labels, vocab, Map.of()).save(longer, params);
            Files.writeString(longer.resolve("model.json"), Files.readString(longer.resolve("model.json"))
                    .replace("\"maxlen\": 64", "\"maxlen\": 65"));
            CheckpointException e = assertThrows(CheckpointException.class, () -> SavedModel.load(longer));
            assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("maxlen 65"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new TextClassifier(params, new BertTokenizer(vocab),
                    labels, 65));
        }
    }

    @Test
    void manyTextsInAnyOrderMatchOneByOne(@TempDir Path dir) {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(TEXTS.get(i % TEXTS.size()).repeat(1 + i % 7));
        }
        Vocabulary vocab = CharVocabularyBuilder.fromTexts(TEXTS, 1);
        AlbertConfig config = new AlbertConfig(vocab.size(), 16, 16, 1, 2, 32, 256, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        try (AlbertParams params = AlbertParams.initialise(config, 3, 4)) {
            TextClassifier c = new TextClassifier(params, new BertTokenizer(vocab), List.of("a", "b", "c"), 200);
            List<Prediction> batched = c.predict(many);
            for (int i : new int[]{0, 37, 149}) {
                assertArrayEquals(c.predict(many.get(i)).probabilities(), batched.get(i).probabilities(), 1e-5f);
            }
            float[][] cls = c.clsVectors(many, 64);
            assertEquals(many.size(), cls.length);
            assertEquals(config.hiddenSize(), cls[37].length);
            assertArrayEquals(c.clsVectors(List.of(many.get(37)), 1)[0], cls[37], 1e-5f, "[CLS] vectors in input order");
        }
    }

    @Test
    void missingOrIncompleteModelFolderIsAClearError(@TempDir Path dir) throws Exception {
        assertTrue(assertThrows(IOException.class, () -> SavedModel.load(dir.resolve("nope")))
                .getMessage().contains("nope"));
        Files.writeString(dir.resolve("model.json"), "{}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SavedModel.load(dir));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    }

    @Test
    void safeTensorsRoundTripAndTruncationIsDetected(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.safetensors");
        try (var t = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3)) {
            SafeTensors.write(f, Map.of("x", t), Map.of("k", "v"));
        }
        var back = SafeTensors.read(f);
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, back.get("x").toArray());
        assertArrayEquals(new int[]{2, 3}, back.get("x").shape());
        assertEquals("v", SafeTensors.metadata(f).get("k"));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        assertThrows(CheckpointException.class, () -> SafeTensors.read(f));
    }
}
