package cn.clinicaltext.workbench.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Rules of the tokenizer on a small made-up vocabulary (runs without ../shared). */
class BertTokenizerTest {
    private static Vocabulary vocab(String... extra) {
        List<String> tokens = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        tokens.addAll(List.of(extra));
        return new Vocabulary(tokens);
    }

    /** As bert4keras 0.10.8: a word with a position no piece matches is one token, so one [UNK], ids after it unshifted. */
    @Test
    void aWordThatCannotBeSplitIsOneUnknownToken() {
        BertTokenizer t = new BertTokenizer(vocab("a", "##b", "##c", "胃"));
        assertEquals(List.of("[CLS]", "[UNK]", "[SEP]"), t.encode("ｶﾀｶﾅ", 0).tokens(), "half-width katakana: one word");
        assertEquals(List.of("[CLS]", "[UNK]", "胃", "[SEP]"), t.encode("abcｶﾀ胃", 0).tokens(),
                "pieces found before the failure are dropped with the word");
        assertEquals(List.of("[CLS]", "a", "##b", "##c", "胃", "[SEP]"), t.encode("abc胃", 0).tokens());
    }

    @Test
    void cjkCharactersAndPunctuationAreSingleTokens() {
        assertEquals(List.of("胃", "镜", "：", "cm", "。"), BertTokenizer.basicTokenize("胃镜：CM。"));
    }

    @Test
    void lowerCasesAndStripsAccents() {
        assertEquals(List.of("resume", "cafe"), BertTokenizer.basicTokenize("Résumé CAFÉ"));
    }

    @Test
    void dropsControlAndZeroWidthCharactersAndSplitsOnUnicodeSpaces() {
        assertEquals(List.of("ab", "c", "d"), BertTokenizer.basicTokenize("a\u200bb\u00a0c\u2028d\u0007"));
    }

    @Test
    void wordPieceIsGreedyLongestMatch() {
        BertTokenizer t = new BertTokenizer(vocab("un", "##aff", "##able", "##a"));
        assertEquals(List.of("un", "##aff", "##able"), t.tokenize("unaffable"));
    }

    @Test
    void anUnknownPieceMakesTheWholeWordUnknown() {
        BertTokenizer t = new BertTokenizer(vocab("ab"));
        Encoding e = t.encode("abz ab", 0);
        assertEquals(List.of("[CLS]", "[UNK]", "ab", "[SEP]"), e.tokens());
    }

    @Test
    void charactersOutsideTheBmpCountOnce() {
        BertTokenizer t = new BertTokenizer(vocab("𠀀"));
        assertEquals(List.of("𠀀"), t.tokenize("𠀀"));
        assertEquals(List.of("[CLS]", "[UNK]", "[SEP]"), t.encode("😀", 0).tokens());
    }

    @Test
    void truncationKeepsClsAndSep() {
        BertTokenizer t = new BertTokenizer(vocab("一", "二", "三"));
        Encoding e = t.encode("一二三", 4);
        assertEquals(List.of("[CLS]", "一", "二", "[SEP]"), e.tokens());
        assertThrows(IllegalArgumentException.class, () -> t.encode("一", 1));
    }

    @Test
    void wordsOverTheCapAreOneUnknownToken() {
        BertTokenizer t = new BertTokenizer(vocab("a", "##a"));
        assertEquals(3, t.encode("a".repeat(BertTokenizer.WORD_MAXLEN + 1), 0).length());
        assertEquals(BertTokenizer.WORD_MAXLEN + 2, t.encode("a".repeat(BertTokenizer.WORD_MAXLEN), 0).length());
    }

    @Test
    void charVocabularyKeepsBertSpecialIds() {
        Vocabulary v = CharVocabularyBuilder.fromTexts(List.of("胃镜 cm", "胃"), 1);
        assertEquals(0, v.padId());
        assertEquals(100, v.unkId());
        assertEquals(101, v.clsId());
        assertEquals(102, v.sepId());
        assertEquals("胃", v.token(104), "most frequent first");
        assertTrue(v.contains("##m"));
        assertEquals(List.of("[CLS]", "胃", "镜", "c", "##m", "[SEP]"), new BertTokenizer(v).encode("胃镜cm", 0).tokens());
    }
}
