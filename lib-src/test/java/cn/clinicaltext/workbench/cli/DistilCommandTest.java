package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.testing.TinyModels;
import cn.clinicaltext.workbench.train.Distillation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code distil} end to end on a tiny teacher: a saved student that names its teacher, resumable without it. */
class DistilCommandTest {
    @Test
    void aStudentIsTrainedSavedAndResumedWithTheKeptTargets(@TempDir Path dir) throws Exception {
        Path teacher = TinyModels.saved(dir.resolve("teacher"), List.of("a", "b"));
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            train.append(i % 2 == 0 ? "胃镜慢性胃炎" : "结肠息肉").append(i).append('\t').append(i % 2).append('\n');
        }
        Files.writeString(data.resolve("train.txt"), train);
        Files.writeString(data.resolve("val.txt"), "胃镜胃炎\t0\n结肠息肉\t1\n");
        Files.writeString(data.resolve("test.txt"), "慢性胃炎\t0\n肠息肉\t1\n");
        Files.writeString(data.resolve("labels.txt"), "a\nb\n");
        Path out = dir.resolve("student");
        String[] args = {"distil", "--teacher", teacher.toString(), "--data-dir", data.toString(), "--out",
                out.toString(), "--preset", "smoke", "--set", "training.batchSize=8"};
        String first = CliRun.ok(args);
        assertTrue(first.contains("Student:") && first.contains("Teacher:"), first);
        String provenance = Files.readString(out.resolve("provenance.json"));
        assertTrue(provenance.contains("\"teacher\"") && provenance.contains(teacher.toAbsolutePath().toString()),
                provenance);
        assertEquals(List.of("a", "b"), SavedModel.classifier(out).labels());
        assertEquals(SavedModel.classifier(teacher).tokenizer().vocabulary().size(),
                SavedModel.classifier(out).tokenizer().vocabulary().size(), "the student reads the teacher's vocabulary");
        assertEquals(1 + 16 * 3, Files.readAllLines(out.resolve(Distillation.TARGETS_FILE)).size(),
                "a header, the texts and two augmented copies of each");
        byte[] weights = Files.readAllBytes(out.resolve(SavedModel.WEIGHTS));
        String second = CliRun.ok(args);
        assertTrue(second.contains("reached the epoch cap"), second);
        assertArrayEquals(weights, Files.readAllBytes(out.resolve(SavedModel.WEIGHTS)), "a finished run is kept");
    }
}
