package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.eval.KeywordRuleBaseline;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticCorpusGeneratorTest {
    private static final SyntheticCorpusGenerator.Result DEFAULT = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT);

    @Test
    void sizeSharesAndLengthsAsConfigured() {
        Corpus c = DEFAULT.corpus();
        assertEquals(2636, c.size());
        long[] counts = c.classCounts();
        assertEquals(0.20, counts[0] / 2636.0, 0.02);
        assertEquals(0.45, counts[1] / 2636.0, 0.02);
        assertEquals(0.35, counts[2] / 2636.0, 0.02);
        for (LabeledText r : c.records()) {
            assertTrue(r.characters() >= 2 && r.characters() <= 200, r.text());
        }
    }

    @Test
    void sameSeedSameCorpus() {
        assertEquals(DEFAULT.corpus().texts(), SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT).corpus().texts());
        assertNotEquals(DEFAULT.corpus().texts(),
                SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSeed(1)).corpus().texts());
    }

    @Test
    void labelNoiseNearTheConfiguredRate() {
        assertEquals(0.02, DEFAULT.noisyIndices().size() / 2636.0, 0.01);
        var clean = SyntheticCorpusGenerator.generate(new SyntheticCorpusConfig(500, new double[]{1, 1, 1}, 0, 3));
        assertTrue(clean.noisyIndices().isEmpty());
    }

    @Test
    void notSeparableByTheKeywordRule() {
        double accuracy = KeywordRuleBaseline.evaluate(DEFAULT.corpus()).accuracy();
        assertTrue(accuracy > 0.5 && accuracy < 0.9, "keyword rule accuracy " + accuracy);
    }

    @Test
    void containsTheKeywordTraps() {
        var texts = DEFAULT.corpus().records();
        assertTrue(texts.stream().anyMatch(r -> r.label() == 1 && r.text().contains("十二指肠") && !r.text().contains("胃")));
        assertTrue(texts.stream().anyMatch(r -> r.label() == 2 && r.text().contains("胃")));
        assertTrue(texts.stream().anyMatch(r -> r.text().contains("未见明显异常")));
        assertTrue(texts.stream().anyMatch(r -> r.text().contains("（") && r.text().contains("cm")));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticCorpusConfig(0, new double[]{1, 1, 1}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticCorpusConfig(10, new double[]{1, 1}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticCorpusConfig(10, new double[]{1, 1, 1}, 0.9, 1));
    }
}
