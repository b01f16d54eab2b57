package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class DistillationTest {
    @Test
    void augmentationIsSeededAndMasksWithAnUnknownCharacter() {
        Distillation.Settings s = Distillation.Settings.DEFAULT;
        String text = "胃镜：慢性浅表性胃炎，胃窦为主，幽门螺杆菌阳性";
        String a = Distillation.augment(text, s, new Random(1));
        assertEquals(a, Distillation.augment(text, s, new Random(1)), "same seed, same copy");
        String all = Distillation.augment(text, new Distillation.Settings(2f, 0.5f, 1, 0.999, 0, 1, null), new Random(1));
        assertTrue(all.chars().allMatch(c -> c == '\uE000'), all);
        String cut = Distillation.augment(text, new Distillation.Settings(2f, 0.5f, 1, 0, 1, 1, null), new Random(1));
        assertTrue(text.contains(cut) && cut.length() >= text.length() / 4, cut);
    }

    @Test
    void theTargetsHashDoesNotDependOnWhereTheTeacherLies(@TempDir Path dir) throws Exception {
        Path here = Files.writeString(dir.resolve("a.tsv"), "# teacher /runs/a/model; texts 01\n胃镜\t0.9\t0.1\n");
        Path there = Files.writeString(dir.resolve("b.tsv"), "# teacher /elsewhere/model; texts 01\n胃镜\t0.9\t0.1\n");
        Path other = Files.writeString(dir.resolve("c.tsv"), "# teacher /runs/a/model; texts 01\n胃镜\t0.8\t0.2\n");
        assertEquals(Distillation.targetsHash(here), Distillation.targetsHash(there), "same probabilities");
        assertNotEquals(Distillation.targetsHash(here), Distillation.targetsHash(other), "other probabilities");
    }

    @Test
    void theTransferSetAndTheTeachersTargetsAreComputedOnceAndKept(@TempDir Path dir) throws Exception {
        Path model = TinyModels.saved(dir.resolve("teacher"), List.of("a", "b"));
        TextClassifier teacher = SavedModel.classifier(model);
        Corpus train = Corpus.of(List.of(new LabeledText("胃镜慢性胃炎", 0), new LabeledText("结肠息肉", 1)),
                List.of("a", "b"));
        Distillation.Settings s = Distillation.Settings.DEFAULT.with("augment", 3);
        Path run = Files.createDirectories(dir.resolve("student"));
        Distillation.Teacher t = Distillation.prepare(teacher, "tiny", train, List.of("胃息肉"), s, run);
        assertEquals(2 + 2 * 3 + 1, t.transfer().size(), "texts, three copies of each, one unlabelled text");
        assertEquals(2, IntStream.range(0, t.labelled().length).filter(i -> t.labelled()[i]).count());
        assertArrayEquals(teacher.probabilities(List.of("胃息肉"), 8)[0], t.teacher()[t.teacher().length - 1], 1e-7f);

        // a second prepare reads the kept targets instead of running the teacher: changed by hand, they are used
        Path file = run.resolve(Distillation.TARGETS_FILE);
        List<String> lines = Files.readAllLines(file);
        lines.set(1, "0.25\t0.75");
        Files.write(file, lines);
        Distillation.Teacher again = Distillation.prepare(teacher, "tiny", train, List.of("胃息肉"), s, run);
        assertArrayEquals(new float[]{0.25f, 0.75f}, again.teacher()[0]);
        // another teacher identity: computed again
        Distillation.Teacher other = Distillation.prepare(teacher, "another", train, List.of("胃息肉"), s, run);
        assertArrayEquals(t.teacher()[0], other.teacher()[0], 1e-7f);
    }

    /**
     * Many unlabelled texts (the README's recipe): each one's pseudo-label is the teacher's own prediction for that
     * text and its soft target the teacher's probabilities of it (an index that ran two steps per text crashed on
     * the second text and gave every text another's label until then).
     */
    @Test
    void everyUnlabelledTextGetsTheTeachersPredictionForItself(@TempDir Path dir) throws Exception {
        Path model = TinyModels.saved(dir.resolve("teacher"), List.of("a", "b", "c"));
        TextClassifier teacher = SavedModel.classifier(model);
        Corpus train = Corpus.of(List.of(new LabeledText("胃镜慢性胃炎", 0), new LabeledText("结肠息肉", 1),
                new LabeledText("浅表性", 2)), List.of("a", "b", "c"));
        String chars = "胃镜：慢性浅表性胃炎结肠息肉";
        Random random = new Random(5);
        List<String> unlabeled = IntStream.range(0, 1200).mapToObj(i -> {
            StringBuilder b = new StringBuilder();
            for (int k = 0, n = 1 + random.nextInt(20); k < n; k++) {
                b.append(chars.charAt(random.nextInt(chars.length())));
            }
            return b.toString();
        }).toList();
        Distillation.Settings s = Distillation.Settings.DEFAULT.with("augment", 1);
        Distillation.Teacher t = Distillation.prepare(teacher, "tiny", train, unlabeled, s,
                Files.createDirectories(dir.resolve("student")));
        float[][] own = teacher.probabilities(unlabeled, 64);
        int first = t.transfer().size() - unlabeled.size();
        java.util.Set<Integer> predicted = new java.util.HashSet<>();
        for (int i = 0; i < unlabeled.size(); i++) {
            LabeledText r = t.transfer().records().get(first + i);
            assertEquals(unlabeled.get(i), r.text(), "transfer text " + (first + i));
            assertEquals(cn.clinicaltext.workbench.model.Loss.argmax(own[i]), r.label(), "pseudo-label of " + r.text());
            assertArrayEquals(own[i], t.teacher()[first + i], 1e-6f, "soft target of " + r.text());
            assertFalse(t.labelled()[first + i]);
            predicted.add(r.label());
        }
        assertTrue(predicted.size() > 1, "the teacher predicts more than one class here, so a shifted index would show");
    }
}
