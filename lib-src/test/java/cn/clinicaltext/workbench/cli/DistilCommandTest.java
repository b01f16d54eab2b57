package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.testing.TinyModels;
import cn.clinicaltext.workbench.train.Distillation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code distil} end to end on a tiny teacher: one saved student per seed, each naming its teacher and the targets
 * computed once, resumable without the teacher running again.
 */
class DistilCommandTest {
    @Test
    void aStudentIsTrainedSavedAndResumedWithTheKeptTargets(@TempDir Path dir) throws Exception {
        Path teacher = TinyModels.saved(dir.resolve("teacher"), List.of("a", "b"));
        Path data = corpus(dir.resolve("data"), 16);
        Path out = dir.resolve("student");
        String[] args = {"distil", "--teacher", teacher.toString(), "--data-dir", data.toString(), "--out",
                out.toString(), "--preset", "smoke", "--seeds", "42,43", "--set", "training.batchSize=8"};
        String first = CliRun.ok(args);
        assertTrue(first.contains("Teacher:") && first.contains("Student against teacher: 2 texts")
                && first.contains("texts/s"), first);
        Path student42 = dir.resolve("student-seed42");
        Path student43 = dir.resolve("student-seed43");
        String provenance = Files.readString(student42.resolve("provenance.json"));
        assertTrue(provenance.contains("\"teacher\"") && provenance.contains(teacher.toAbsolutePath().toString()),
                provenance);
        assertEquals(List.of("a", "b"), SavedModel.classifier(student42).labels());
        assertEquals(SavedModel.classifier(teacher).tokenizer().vocabulary().size(),
                SavedModel.classifier(student42).tokenizer().vocabulary().size(),
                "the student reads the teacher's vocabulary");
        assertEquals(1 + 16 * 3, Files.readAllLines(student42.resolve(Distillation.TARGETS_FILE)).size(),
                "a header, the texts and two augmented copies of each");
        assertFalse(Files.exists(student43.resolve(Distillation.TARGETS_FILE)),
                "the teacher runs once: every seed reads the first student's targets");
        String targetsHash = Distillation.targetsHash(student42.resolve(Distillation.TARGETS_FILE));
        assertTrue(Files.readString(student43.resolve("provenance.json")).contains(targetsHash),
                "the second student names the targets it learnt from");
        assertFalse(Arrays.equals(Files.readAllBytes(student42.resolve(SavedModel.WEIGHTS)),
                Files.readAllBytes(student43.resolve(SavedModel.WEIGHTS))), "two seeds, two students");
        byte[] weights = Files.readAllBytes(student43.resolve(SavedModel.WEIGHTS));
        String second = CliRun.ok(args);
        assertTrue(second.contains("epochs planned"), second);
        assertArrayEquals(weights, Files.readAllBytes(student43.resolve(SavedModel.WEIGHTS)), "a finished run is kept");
    }

    @Test
    void aStudentStartsFromAPretrainedStartWithTheTeachersVocabularyOnly(@TempDir Path dir) throws Exception {
        Path teacher = TinyModels.saved(dir.resolve("teacher"), List.of("a", "b"));
        Path data = corpus(dir.resolve("data"), 8);
        Path start = TinyModels.start(dir.resolve("start"), teacher);
        Path out = dir.resolve("student");
        CliRun.ok("distil", "--teacher", teacher.toString(), "--data-dir", data.toString(), "--out", out.toString(),
                "--preset", "smoke", "--student-start", start.toString(), "--set", "training.batchSize=8",
                "--set", "training.data.maxlen=32");
        String provenance = Files.readString(out.resolve("provenance.json"));
        assertTrue(provenance.contains("\"start\": \"pretrained ") && provenance.contains("distilled from the teacher"),
                provenance);
        assertTrue(provenance.contains(start.toString()), "the provenance names the student's start: " + provenance);

        // a start whose vocabulary is not the teacher's is refused before anything is trained
        Path foreign = TinyModels.start(dir.resolve("foreign"), TinyModels.saved(dir.resolve("other")));
        Files.write(foreign.resolve("vocab.txt"), Files.readAllLines(foreign.resolve("vocab.txt")).stream()
                .map(t -> t.equals("胃") ? "肺" : t).toList());
        String refused = CliRun.fails("distil", "--teacher", teacher.toString(), "--data-dir", data.toString(), "--out",
                dir.resolve("refused").toString(), "--preset", "smoke", "--student-start", foreign.toString());
        assertTrue(refused.contains("not the teacher's"), refused);
        assertFalse(Files.exists(dir.resolve("refused")), "refused before the teacher ran: no folder, no targets");
    }

    /** Two classes of reports: {@code trainTexts} training texts, two for validation and two for test. */
    private static Path corpus(Path data, int trainTexts) throws Exception {
        Files.createDirectories(data);
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < trainTexts; i++) {
            train.append(i % 2 == 0 ? "胃镜慢性胃炎" : "结肠息肉").append(i).append('\t').append(i % 2).append('\n');
        }
        Files.writeString(data.resolve("train.txt"), train);
        Files.writeString(data.resolve("val.txt"), "胃镜胃炎\t0\n结肠息肉\t1\n");
        Files.writeString(data.resolve("test.txt"), "慢性胃炎\t0\n肠息肉\t1\n");
        Files.writeString(data.resolve("labels.txt"), "a\nb\n");
        return data;
    }
}
