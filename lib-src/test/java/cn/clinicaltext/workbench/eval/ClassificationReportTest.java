package cn.clinicaltext.workbench.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClassificationReportTest {
    @Test
    void perClassAndAveragedScoresByHand() {
        int[] truth = {0, 0, 1, 1, 1, 2};
        int[] pred = {0, 1, 1, 1, 2, 2};
        ClassificationReport r = ClassificationReport.of(truth, pred, List.of("a", "b", "c"));
        assertEquals(4.0 / 6, r.accuracy(), 1e-12);
        assertEquals(1.0, r.precision()[0], 1e-12);
        assertEquals(0.5, r.recall()[0], 1e-12);
        assertEquals(2.0 / 3, r.f1()[0], 1e-12);
        assertEquals(2.0 / 3, r.f1()[1], 1e-12);
        assertEquals(2.0 / 3, r.f1()[2], 1e-12);
        assertEquals(2.0 / 3, r.macroF1(), 1e-12);
        assertEquals(1, r.confusion().count(1, 2));
        assertEquals(1.0 / 3, r.confusion().rowShare(1, 2), 1e-12);
        assertEquals(5, r.toTable("t").rowCount());
    }

    @Test
    void classNeverPredictedHasZeroPrecision() {
        ClassificationReport r = ClassificationReport.of(new int[]{0, 1}, new int[]{0, 0}, List.of("a", "b"));
        assertEquals(0, r.precision()[1]);
        assertEquals(0, r.f1()[1]);
    }

    @Test
    void keywordRule() {
        assertEquals(1, KeywordRuleBaseline.predict("慢性浅表性胃炎"));
        assertEquals(2, KeywordRuleBaseline.predict("十二指肠球部溃疡"), "the trap: 十二指肠 is upper GI");
        assertEquals(0, KeywordRuleBaseline.predict("混合痔"));
    }
}
