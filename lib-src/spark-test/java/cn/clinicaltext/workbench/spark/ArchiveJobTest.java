package cn.clinicaltext.workbench.spark;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.explain.Explainer;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Prediction;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive job in local[2] mode on the 2.6 k texts of data/all.txt: the same results as predict. */
class ArchiveJobTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path model;
    static List<String> texts;

    @BeforeAll
    static void setUp() throws Exception {
        texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("data/all.txt"), StandardCharsets.UTF_8)) {
            texts.add(line.substring(0, line.indexOf('\t')));
        }
        // a random model over the corpus's characters: varied outputs, so equal results mean something
        Vocabulary vocab = CharVocabularyBuilder.fromTexts(texts, 1);
        AlbertConfig config = new AlbertConfig(vocab.size(), 16, 16, 1, 2, 32, 128, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        model = dir.resolve("model");
        try (AlbertParams p = AlbertParams.initialise(config, 3, 7)) {
            new SavedModel(config, 3, 64, List.of("neither", "upper GI", "lower GI"), vocab, Map.of()).save(model, p);
        }
        spark = SparkSession.builder().master("local[2]").appName("ArchiveJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** What ./workbench predict gives, text by text (one engine thread, as in a Spark task). */
    static Map<String, Prediction> predict(List<String> inputs) throws Exception {
        Parallel.setThreads(1);
        TextClassifier c = SavedModel.classifier(model);
        Map<String, Prediction> m = new HashMap<>();
        for (Prediction p : c.predict(inputs)) {
            m.put(p.text(), p);
        }
        return m;
    }

    @Test
    void aTextArchiveInFourFilesGivesPredictsResults() throws Exception {
        Path in = Files.createDirectories(dir.resolve("archive"));
        int quarter = (texts.size() + 3) / 4;
        for (int f = 0; f < 4; f++) {
            Files.write(in.resolve("part-" + f + ".txt"),
                    texts.subList(f * quarter, Math.min(texts.size(), (f + 1) * quarter)), StandardCharsets.UTF_8);
        }
        Path out = dir.resolve("labels.parquet");
        ArchiveJob.Settings s = ArchiveJob.Settings.parse("--model", model.toString(), "--input", in.toString(),
                "--output", out.toString());
        ArchiveJob.write(ArchiveJob.classify(spark, s), s);

        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(texts.size(), rows.size(), "one row per text");
        Map<String, Prediction> want = predict(texts);
        double low = 1;
        double high = 0;
        for (Row r : rows) {
            Prediction p = want.get(r.getString(r.fieldIndex("text")));
            assertEquals(p.label(), r.getInt(r.fieldIndex("label")), p.text());
            assertEquals(p.labelName(), r.getString(r.fieldIndex("label_name")));
            List<Float> probs = r.getList(r.fieldIndex("probabilities"));
            for (int c = 0; c < probs.size(); c++) {
                assertEquals(p.probabilities()[c], probs.get(c), 1e-6, p.text() + " class " + c);
            }
            low = Math.min(low, probs.get(0));
            high = Math.max(high, probs.get(0));
        }
        assertTrue(high - low > 1e-3, "the texts get different probabilities, so equal results mean something: "
                + low + ".." + high);
    }

    @Test
    void csvInAndOutWithKeywords() throws Exception {
        List<String> some = texts.subList(0, 12);
        StringBuilder csv = new StringBuilder("id,report\n");
        for (int i = 0; i < some.size(); i++) {
            csv.append(i).append(",\"").append(some.get(i).replace("\"", "\"\"")).append("\"\n");
        }
        Path in = dir.resolve("reports.csv");
        Files.writeString(in, csv, StandardCharsets.UTF_8);
        Path out = dir.resolve("labels-csv");
        ArchiveJob.Settings s = ArchiveJob.Settings.parse("--model", model.toString(), "--input", in.toString(),
                "--input-format", "csv", "--text-column", "report", "--output", out.toString(), "--output-format", "csv",
                "--keywords", "3");
        ArchiveJob.write(ArchiveJob.classify(spark, s), s);
        List<Row> rows = spark.read().option("header", "true").csv(out.toString()).collectAsList();
        assertEquals(some.size(), rows.size());
        Explainer explainer = Explainer.of(SavedModel.classifier(model));
        for (Row r : rows) {
            String text = r.getString(r.fieldIndex("text"));
            String keywords = String.join(" ", explainer.explain(text).topTokens(3));
            assertEquals(keywords.isEmpty() ? null : keywords, r.getString(r.fieldIndex("keywords")), text);
            assertEquals(3, r.getString(r.fieldIndex("probabilities")).split(" ").length);
        }
        assertFalse(rows.stream().allMatch(r -> r.getString(r.fieldIndex("keywords")) == null), "keywords written");
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveJob.Settings.parse("--input", "x",
                "--output", "y")).getMessage().contains("--model"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveJob.Settings.parse("--model", "m",
                "--input", "x", "--output", "y", "--input-format", "xml")).getMessage().contains("--input-format"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveJob.Settings.parse("--model", "m",
                "--input", "x", "--output", "y", "--colour", "red")).getMessage().contains("--colour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveJob.Settings.parse("--model", "m",
                "--input", "x", "--output", "y", "--keywords", "five")).getMessage().contains("--keywords"));
    }
}
