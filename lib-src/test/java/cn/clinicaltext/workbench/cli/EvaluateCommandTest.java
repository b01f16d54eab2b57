package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.eval.CharNgramBaseline;
import cn.clinicaltext.workbench.eval.PairedTest;
import cn.clinicaltext.workbench.model.Prediction;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code evaluate} puts the bag-of-characters baseline, fitted on the model's own training file, beside the model. */
class EvaluateCommandTest {
    /** Three classes of short reports; a few texts of each class share words with the others, so both err. */
    private static void writeSplit(Path dir) throws Exception {
        String[][] words = {{"胃窦", "充血", "贲门"}, {"结肠", "息肉", "直肠"}, {"肝胆", "未见", "胰腺"}};
        String[] files = {"train.txt", "val.txt", "test.txt"};
        int[] sizes = {60, 15, 30};
        Files.createDirectories(dir);
        for (int f = 0; f < files.length; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sizes[f]; i++) {
                int c = i % 3;
                String other = words[(c + 1) % 3][i % 3];
                String number = "甲乙丙".charAt(f) + "组" + "零一二三四五".charAt(i / 10) + "零一二三四五六七八九".charAt(i % 10);
                String text = words[c][i % 3] + (i % 4 == 0 ? other + other : words[c][(i + 1) % 3]) + "，" + number;
                sb.append(text).append('\t').append(c).append('\n');
            }
            Files.writeString(dir.resolve(files[f]), sb.toString());
        }
    }

    private static Optional<Path> trainingFile(Path model) throws Exception {
        SavedModel.Loaded loaded = SavedModel.load(model);
        try (var params = loaded.params()) {
            return loaded.model().trainingFile();
        }
    }

    @Test
    void theBaselineIsFittedOnTheModelsOwnTrainingFileAndPairedWithIt(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        writeSplit(data);
        Path model = tmp.resolve("model");
        CliRun.ok("train", "--data-dir", data.toString(), "--preset", "smoke", "--out", model.toString());
        assertEquals(Optional.of(data.resolve("train.txt").toAbsolutePath().normalize()), trainingFile(model));

        Path json = tmp.resolve("metrics.json");
        String out = CliRun.ok("evaluate", "--model", model.toString(), "--data", data.resolve("test.txt").toString(),
                "--json", json.toString());
        assertTrue(out.contains("Baseline: character n-gram naive Bayes, fitted on "
                + data.resolve("train.txt").toAbsolutePath().normalize()), out);
        assertTrue(out.contains("only the model gets right"), out);
        JsonObject paired = JsonParser.parseString(Files.readString(json)).getAsJsonObject()
                .getAsJsonObject("baseline").getAsJsonObject("model_minus_baseline");

        // the same counts as a paired test of the saved model's and a freshly fitted baseline's predictions
        var test = CorpusReader.read(data.resolve("test.txt"), 3);
        var classifier = SavedModel.classifier(model);
        int[] modelPred = classifier.predict(test.texts()).stream().mapToInt(Prediction::label).toArray();
        int[] basePred = CharNgramBaseline.fit(CorpusReader.read(data.resolve("train.txt"), 3)).predict(test);
        PairedTest want = PairedTest.of(test.labels(), modelPred, basePred, classifier.labels(), 10, 1);
        assertTrue(want.onlyA() + want.onlyB() > 0, "the two disagree somewhere, so the counts say something");
        assertEquals(want.onlyA(), paired.get("only_model_right").getAsInt());
        assertEquals(want.onlyB(), paired.get("only_baseline_right").getAsInt());
        assertEquals(want.mcnemarP(), paired.get("mcnemar_exact_p").getAsDouble(), 1e-12);
        assertEquals(want.accuracyDiff().estimate(), paired.get("accuracy_difference").getAsDouble(), 1e-12);

        // the training file changed since the run: no silent baseline on other texts, unless named explicitly
        Files.writeString(data.resolve("train.txt"), "胃窦充血\t0\n", StandardOpenOption.APPEND);
        assertEquals(Optional.empty(), trainingFile(model));
        String changed = CliRun.ok("evaluate", "--model", model.toString(), "--data", data.resolve("test.txt").toString(),
                "--json", json.toString());
        assertTrue(changed.contains("No bag-of-characters baseline"), changed);
        assertFalse(changed.contains("only the model gets right"), changed);
        String named = CliRun.ok("evaluate", "--model", model.toString(), "--data", data.resolve("test.txt").toString(),
                "--json", json.toString(), "--baseline-train", data.resolve("train.txt").toString());
        assertTrue(named.contains("only the model gets right"), named);
    }

    @Test
    void versusPairsTwoSavedModelsOnTheSameTexts(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        writeSplit(data);
        // the texts scored: every class-2 text of the test file and the first four of class 0, so that two models
        // that differ have different counts (A and B swapped would show)
        StringBuilder scored = new StringBuilder();
        int zeros = 0;
        for (String line : Files.readAllLines(data.resolve("test.txt"))) {
            int label = Integer.parseInt(line.substring(line.indexOf('\t') + 1));
            if (label == 2 || label == 0 && zeros++ < 4) {
                scored.append(line).append('\n');
            }
        }
        Path texts = tmp.resolve("scored.txt");
        Files.writeString(texts, scored.toString());
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CliRun.ok("train", "--data-dir", data.toString(), "--preset", "smoke", "--out", a.toString());
        // b takes 80 steps (batch 8, 10 epochs) where a takes 4
        CliRun.ok("train", "--data-dir", data.toString(), "--preset", "smoke", "--set", "training.batchSize=8",
                "--epochs", "10", "--out", b.toString());

        Path json = tmp.resolve("metrics.json");
        String out = CliRun.ok("evaluate", "--model", a.toString(), "--data", texts.toString(), "--versus", b.toString(),
                "--json", json.toString());
        assertTrue(out.contains("Model against " + b), out);
        JsonObject versus = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("versus");
        JsonObject paired = versus.getAsJsonObject("model_minus_other");

        // the same counts as a paired test of the two saved models' own predictions
        var test = CorpusReader.read(texts, 3);
        var ca = SavedModel.classifier(a);
        var cb = SavedModel.classifier(b);
        int[] pa = ca.predict(test.texts()).stream().mapToInt(Prediction::label).toArray();
        int[] pb = cb.predict(test.texts()).stream().mapToInt(Prediction::label).toArray();
        PairedTest want = PairedTest.of(test.labels(), pa, pb, ca.labels(), 10, 1);
        assertNotEquals(want.onlyA(), want.onlyB(), "the two models differ, so A and B cannot be swapped unseen");
        assertEquals(want.onlyA(), paired.get("only_model_right").getAsInt());
        assertEquals(want.onlyB(), paired.get("only_other_right").getAsInt());
        assertEquals(want.mcnemarP(), paired.get("mcnemar_exact_p").getAsDouble(), 1e-12);
        long right = IntStream.range(0, pb.length).filter(i -> pb[i] == test.labels()[i]).count();
        assertEquals((double) right / pb.length, versus.get("accuracy").getAsDouble(), 1e-12);
        assertTrue(versus.getAsJsonObject("texts_per_second").get("other").getAsDouble() > 0, versus.toString());
        assertTrue(out.contains("Inference on the 14 texts"), out);
    }
}
