package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusStatisticsTest;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class EncodedSetTest {
    @Test
    void aTextOverMaxlenIsReadOnlyUpToMaxlen() {
        Corpus corpus = CorpusStatisticsTest.lengths1To20();
        BertTokenizer tokenizer = new BertTokenizer(CharVocabularyBuilder.fromTexts(corpus.texts(), 1));
        EncodedSet set = new EncodedSet(corpus, tokenizer, 12);
        assertEquals(12, set.batch(new int[]{19}).batch().length());   // 22 tokens, cut to 12
        assertEquals(5, set.batch(new int[]{2}).batch().length());     // 3 characters + [CLS], [SEP]
    }
}
