package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

public class CorpusStatisticsTest {
    /** Texts of 1..20 characters (3..22 tokens with [CLS] and [SEP]), one character per token. */
    public static Corpus lengths1To20() {
        List<LabeledText> records = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            records.add(new LabeledText("胃".repeat(n), n % 2));
        }
        return Corpus.of(records, 2);
    }

    @Test
    void saysWhatMaxlenCutsAndTheLengthsThatWouldFit() {
        Corpus corpus = lengths1To20();
        BertTokenizer tokenizer = new BertTokenizer(CharVocabularyBuilder.fromTexts(corpus.texts(), 1));
        int[] tokens = CorpusStatistics.tokenLengths(corpus, tokenizer);
        // 13..22 tokens are over 12: ten texts
        assertEquals(10, CorpusStatistics.longerThan(corpus, tokenizer, 12).rowCount());
        assertEquals(22, CorpusStatistics.lengthCovering(tokens, 1.0));
        assertEquals(21, CorpusStatistics.lengthCovering(tokens, 0.95)); // 19 of 20 texts fit in 21 tokens
        assertEquals(3, CorpusStatistics.lengthCovering(tokens, 0.05));
        String report = CorpusStatistics.truncationReport(corpus, tokenizer, 12, "training texts");
        assertTrue(report.startsWith("10 of 20 training texts (50.0%) are longer than maxlen 12 tokens"), report);
        assertTrue(report.contains("95% of the texts fit in 21 tokens, all in 22"), report);

        assertEquals(0, CorpusStatistics.longerThan(corpus, tokenizer, 22).rowCount());
        assertEquals("", CorpusStatistics.truncationReport(corpus, tokenizer, 22, "training texts"));
    }
}
