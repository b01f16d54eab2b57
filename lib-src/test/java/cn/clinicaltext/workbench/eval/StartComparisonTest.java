package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A comparison of starts says which start predicts a single class, in words made from the numbers. */
class StartComparisonTest {
    private static ModelEvaluation scored(int... predicted) {
        int[] truth = {0, 1, 2, 1, 1, 0};
        List<LabeledText> records = new java.util.ArrayList<>();
        float[][] probs = new float[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            records.add(new LabeledText("text " + i, truth[i]));
            probs[i] = new float[3];
            probs[i][predicted[i]] = 1f;
        }
        return ModelEvaluation.of(probs, List.of("a", "b", "c"), Corpus.of(records, List.of("a", "b", "c")), "test",
                null);
    }

    private static StartComparison.Run run(String start, long seed, ModelEvaluation e) {
        return new StartComparison.Run(start, seed, Path.of("x"), 1, 1, e.intervals().accuracy(),
                e.intervals().macroF1(), e.singleClassPredicted());
    }

    @Test
    void aStartWhoseModelsPredictOneClassIsNamed() {
        ModelEvaluation majority = scored(1, 1, 1, 1, 1, 1);
        ModelEvaluation learnt = scored(0, 1, 2, 1, 0, 0);
        assertEquals("b", majority.singleClassPredicted());
        assertNull(learnt.singleClassPredicted());
        StartComparison c = new StartComparison(List.of(run("own pretraining", 42, majority),
                run("own pretraining", 43, majority), run("bge", 42, learnt), run("bge", 43, learnt)));
        List<String> findings = c.findings();
        assertTrue(findings.get(0).startsWith("Highest mean test macro-F1: bge"), findings.get(0));
        assertTrue(findings.get(0).contains("lowest: own pretraining"), findings.get(0));
        assertEquals(2, findings.size());
        assertTrue(findings.get(1).contains("own pretraining: 2 of 2 models predict a single class ('b')")
                && findings.get(1).contains("0.500"), findings.get(1));
        assertTrue(c.runsTable().stringColumn("note").get(0).contains("predicts only 'b'"));
        assertEquals("", c.runsTable().stringColumn("note").get(2));
    }

    @Test
    void classesWithF1ZeroAreNamedInOneLine() {
        ModelEvaluation e = scored(1, 1, 1, 1, 1, 1);
        String line = e.zeroF1Line();
        assertTrue(line.startsWith("2 of 3 classes have F1 0 on test"), line);
        assertTrue(line.contains("a (2), c (1)"), line);
        assertEquals("", scored(0, 1, 2, 1, 1, 0).zeroF1Line());
    }
}
