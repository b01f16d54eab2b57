package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Students beside their teacher: the paired test against the teacher, the rows and the means over seeds. */
class TeacherComparisonTest {
    private static final List<String> NAMES = List.of("a", "b");

    /** 20 texts, labels alternating 0, 1. */
    private static Corpus corpus(String prefix) {
        List<LabeledText> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(new LabeledText(prefix + i, i % 2));
        }
        return Corpus.of(records, NAMES);
    }

    /** Probabilities that get the first {@code wrong} texts wrong and the rest right. */
    private static ModelEvaluation scored(Corpus corpus, int wrong) {
        float[][] p = new float[corpus.size()][];
        for (int i = 0; i < p.length; i++) {
            int label = corpus.records().get(i).label();
            int predicted = i < wrong ? 1 - label : label;
            p[i] = predicted == 0 ? new float[]{0.9f, 0.1f} : new float[]{0.1f, 0.9f};
        }
        return ModelEvaluation.of(p, NAMES, corpus, "test", null);
    }

    @Test
    void eachModelIsPairedWithTheTeacherAndSummarisedOverSeeds() {
        Corpus test = corpus("text ");
        ModelEvaluation teacher = scored(test, 0);
        TeacherComparison c = new TeacherComparison(teacher, List.of(
                new TeacherComparison.Scored("student", 42, scored(test, 2)),
                new TeacherComparison.Scored("student", 43, scored(test, 4)),
                new TeacherComparison.Scored("random start", 42, scored(test, 10))));
        PairedTest p = c.models().get(2).versus(teacher);
        assertEquals(0, p.onlyA());
        assertEquals(10, p.onlyB(), "the teacher alone gets the ten texts right");
        assertEquals(2 * Math.pow(0.5, 10), p.mcnemarP(), 1e-12, "exact McNemar: 2 P(X <= 0), X ~ B(10, 1/2)");
        assertEquals(-0.5, p.accuracyDiff().estimate(), 1e-12);

        Table runs = c.runsTable();
        assertEquals(4, runs.rowCount(), "the teacher and three models");
        assertEquals("teacher", runs.stringColumn("model").get(0));
        assertEquals("", runs.stringColumn("McNemar p vs teacher").get(0), "the teacher is not tested against itself");
        assertEquals(0.9, runs.doubleColumn("accuracy").get(1), 1e-9);

        Table summary = c.summaryTable();
        assertEquals(List.of("teacher", "student", "random start"), summary.stringColumn("model").asList());
        assertEquals(2, summary.intColumn("seeds").get(1));
        assertEquals(0.85, summary.doubleColumn("accuracy mean").get(1), 1e-9, "(0.9 + 0.8) / 2");
        assertEquals(Math.sqrt(0.005), summary.doubleColumn("accuracy sd").get(1), 1e-4);
        assertEquals(-0.15, summary.doubleColumn("accuracy − teacher").get(1), 1e-9);
    }

    @Test
    void modelsScoredOnOtherTextsAreRefused() {
        ModelEvaluation teacher = scored(corpus("text "), 0);
        ModelEvaluation other = scored(corpus("other "), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TeacherComparison(teacher,
                List.of(new TeacherComparison.Scored("student", 42, other))));
        assertTrue(e.getMessage().contains("same texts"), e.getMessage());
    }
}
