package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PairedTestTest {
    private static final List<String> NAMES = List.of("a", "b");

    @Test
    void mcnemarExactAgainstItsDefinition() {
        // 10 texts only A gets right, 2 only B, 8 both: p = 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * 79 / 4096
        int n = 20;
        int[] truth = new int[n];
        int[] a = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            a[i] = i < 10 || i >= 12 ? truth[i] : 1 - truth[i];
            b[i] = i >= 10 ? truth[i] : 1 - truth[i];
        }
        PairedTest t = PairedTest.of(truth, a, b, NAMES, 500, 1);
        assertEquals(10, t.onlyA());
        assertEquals(2, t.onlyB());
        assertEquals(2.0 * 79 / 4096, t.mcnemarP(), 1e-12);
        assertEquals(0.4, t.accuracyDiff().estimate(), 1e-12);
        assertTrue(t.accuracyDiff().low() > 0, "A is better on every resample's bulk: " + t.accuracyDiff());
    }

    @Test
    void identicalPredictionsDifferByNothing() {
        int[] truth = {0, 1, 0, 1, 1};
        int[] p = {0, 1, 1, 1, 0};
        PairedTest t = PairedTest.of(truth, p, p.clone(), NAMES, 200, 1);
        assertEquals(1.0, t.mcnemarP());
        assertEquals(0.0, t.accuracyDiff().low());
        assertEquals(0.0, t.macroF1Diff().high());
    }

    @Test
    void theBagOfCharactersBaselineLearnsCharacters() {
        List<LabeledText> train = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            train.add(new LabeledText("胃镜所见" + i, 0, i + 1));
            train.add(new LabeledText("肠镜所见" + i, 1, i + 21));
        }
        CharNgramBaseline nb = CharNgramBaseline.fit(Corpus.of(train, NAMES));
        assertEquals(0, nb.predict("胃镜复查"));
        assertEquals(1, nb.predict("肠镜复查"));
        assertEquals(List.of("胃", "胃镜", "镜"), CharNgramBaseline.ngrams("胃 镜"));
    }
}
