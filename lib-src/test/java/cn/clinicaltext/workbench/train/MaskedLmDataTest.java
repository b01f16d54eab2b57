package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MaskedLmDataTest {
    private static final List<String> TEXTS = new ArrayList<>();

    static {
        String[] parts = {"胃镜：慢性浅表性胃炎", "结肠镜：乙状结肠息肉，大小0.6cm", "患者腹痛三天", "食管黏膜光滑",
                "直肠见多发溃疡，病理提示炎症", "HP阳性，建议复查"};
        for (int i = 0; i < 300; i++) {
            TEXTS.add(parts[i % parts.length] + "，第" + i + "例");
        }
    }

    private static MaskedLmData data(boolean wholeWord) {
        Vocabulary v = CharVocabularyBuilder.fromTexts(TEXTS, 1);
        return new MaskedLmData(TEXTS, new BertTokenizer(v), 32, 0.15f, wholeWord, 0.05, 100, 9);
    }

    @Test
    void packsTextsIntoSequencesOfAtMostMaxlenAndHoldsSomeOut() {
        MaskedLmData d = data(false);
        assertTrue(d.valSize() >= 1);
        for (int[] b : d.epochBatches(8, 1)) {
            MaskedLmData.MaskedBatch mb = d.trainBatch(b, 1);
            assertTrue(mb.batch().length() <= 32);
        }
        // packing: texts of about 15 tokens, so about two per sequence of 32
        long tokens = d.trainTokens();
        assertTrue(tokens / (double) d.trainSize() > 20, "packed, not one short text per sequence");
    }

    @Test
    void masksFifteenPercentWithEightyTenTenAndNeverSpecialTokens() {
        MaskedLmData d = data(false);
        Vocabulary v = CharVocabularyBuilder.fromTexts(TEXTS, 1);
        int chosen = 0;
        int candidates = 0;
        int asMask = 0;
        int kept = 0;
        for (int[] b : d.epochBatches(16, 1)) {
            MaskedLmData.MaskedBatch mb = d.trainBatch(b, 1);
            int[] ids = mb.batch().ids();
            for (int i = 0; i < ids.length; i++) {
                if (mb.batch().mask()[i] != 0 && !v.token(ids[i]).startsWith("[")) {
                    candidates++;
                }
            }
            for (int k = 0; k < mb.positions().length; k++) {
                int pos = mb.positions()[k];
                String original = v.token(mb.targets()[k]);
                assertFalse(original.startsWith("[") && original.endsWith("]"), "special tokens are never predicted");
                chosen++;
                if (ids[pos] == v.id(Vocabulary.MASK)) {
                    asMask++;
                } else if (ids[pos] == mb.targets()[k]) {
                    kept++;
                }
            }
        }
        double rate = chosen / (double) (candidates + asMask);
        assertEquals(0.15, rate, 0.02, "share of tokens predicted");
        assertEquals(0.8, asMask / (double) chosen, 0.05, "share replaced by [MASK]");
        assertEquals(0.1, kept / (double) chosen, 0.04, "share left unchanged (a random draw may also hit the original)");
    }

    @Test
    void masksAreSeededPerEpochAndValidationMasksAreFixed() {
        MaskedLmData a = data(false);
        MaskedLmData b = data(false);
        int[] first = a.epochBatches(8, 1).get(0);
        assertArrayEquals(a.trainBatch(first, 1).positions(), b.trainBatch(first, 1).positions(), "same seed, same masks");
        assertFalse(Arrays.equals(a.trainBatch(first, 1).batch().ids(), a.trainBatch(first, 2).batch().ids()),
                "each epoch draws new masks");
        assertArrayEquals(a.valBatches(8).get(0).batch().ids(), a.valBatches(8).get(0).batch().ids());
    }

    @Test
    void wholeWordMaskingTakesLatinWordsAndNumbersWhole() {
        List<String> texts = List.of("nonsense1234 abcdefg zzzzz 胃", "helloworld 987654");
        Vocabulary v = CharVocabularyBuilder.fromTexts(texts, 1);
        MaskedLmData d = new MaskedLmData(texts, new BertTokenizer(v), 16, 0.5f, true, 0.2, 1, 3);
        MaskedLmData.MaskedBatch mb = d.trainBatch(new int[]{0}, 1);
        int len = mb.batch().length();
        boolean[] masked = new boolean[len];
        for (int p : mb.positions()) {
            masked[p] = true;
        }
        int[] ids = mb.batch().ids();
        // a continuation piece is masked exactly when the piece before it is
        for (int i = 1; i < len; i++) {
            int original = masked[i] ? mb.targets()[Arrays.binarySearch(mb.positions(), i)] : ids[i];
            if (v.token(original).startsWith("##")) {
                assertEquals(masked[i - 1], masked[i], "piece " + i + " goes with its word");
            }
        }
        assertTrue(mb.positions().length > 0);
    }
}
