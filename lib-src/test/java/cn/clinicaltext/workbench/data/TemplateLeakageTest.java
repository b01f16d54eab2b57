package cn.clinicaltext.workbench.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TemplateLeakageTest {
    private static Corpus corpus(String... textAndLabel) {
        List<LabeledText> records = new ArrayList<>();
        for (int i = 0; i < textAndLabel.length; i += 2) {
            records.add(new LabeledText(textAndLabel[i], Integer.parseInt(textAndLabel[i + 1])));
        }
        return Corpus.of(records, 3);
    }

    @Test
    void firstCharacterPurityCountsTextsOfTheirFirstCharactersMajorityClass() {
        Corpus c = corpus("胃镜一", "1", "胃镜二", "1", "胃痛", "0", "肠镜", "2", "检查：胃", "1", "检查：肠", "2");
        // 胃: 2 of 3 right; 肠: 1 of 1; 检: 1 of 2 -> 4 of 6
        assertEquals(4.0 / 6, TemplateLeakage.firstCharacterPurity(c), 1e-12);
        assertEquals(3.0 / 6, TemplateLeakage.majorityShare(c), 1e-12);
        var table = TemplateLeakage.firstCharacters(c, List.of("n", "u", "l"), 2);
        assertEquals("胃", table.stringColumn("first character").get(0));
        assertEquals("u", table.stringColumn("majority class").get(0));
    }

    @Test
    void recombinedTestTextsAreThoseMadeOnlyOfTrainingClauses() {
        Corpus train = corpus("胃镜：慢性胃炎，建议复查", "1", "肠镜：结肠息肉。", "2");
        Corpus test = corpus("肠镜：慢性胃炎", "1", "胃镜：结肠息肉；新句子", "2", "建议复查", "0", "胆囊结石", "0");
        assertEquals(0.5, TemplateLeakage.recombinedShare(train, test), 1e-12);
        assertEquals(List.of("胃镜", "慢性胃炎", "建议复查"), TemplateLeakage.clauses("胃镜：慢性胃炎，建议复查"));
    }

    @Test
    void theGeneratorsOpeningsAreClassNeutral() {
        Corpus c = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT).corpus();
        double purity = TemplateLeakage.firstCharacterPurity(c);
        double floor = TemplateLeakage.majorityShare(c);
        assertTrue(purity < floor + 0.15, "first character purity " + purity + " vs majority share " + floor);
    }
}
