package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EncodedSetTest {
    /** Texts of 1..20 characters (3..22 tokens with [CLS] and [SEP]), one character per token. */
    private static Corpus lengths1To20() {
        List<LabeledText> records = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            records.add(new LabeledText("胃".repeat(n), n % 2));
        }
        return Corpus.of(records, 2);
    }

    @Test
    void countsWhatMaxlenCutsAndTheLengthsThatWouldFit() {
        Corpus corpus = lengths1To20();
        BertTokenizer tokenizer = new BertTokenizer(CharVocabularyBuilder.fromTexts(corpus.texts(), 1));
        EncodedSet set = new EncodedSet(corpus, tokenizer, 12);
        // 13..22 tokens are over 12: ten texts, each read only up to 12 tokens
        assertEquals(10, set.truncated());
        assertEquals(12, set.batch(new int[]{19}).batch().length());
        assertEquals(22, set.lengthCovering(1.0));
        assertEquals(21, set.lengthCovering(0.95)); // 19 of 20 texts fit in 21 tokens
        assertEquals(3, set.lengthCovering(0.05));
        String report = set.truncationReport("training texts");
        assertTrue(report.startsWith("10 of 20 training texts (50.0%) are longer than maxlen 12 tokens"), report);
        assertTrue(report.contains("95% of the texts fit in 21 tokens, all in 22"), report);

        EncodedSet whole = new EncodedSet(corpus, tokenizer, 22);
        assertEquals(0, whole.truncated());
        assertEquals("", whole.truncationReport("training texts"));
    }
}
