package cn.clinicaltext.workbench.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a character vocabulary from training texts for runs without a pretrained checkpoint. Special tokens keep
 * BERT's ids ([PAD] 0, [unused1..99], [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103); characters follow, most
 * frequent first (ties by code point), each as a word start and, where it occurs inside a word, as {@code ##c}.
 */
public final class CharVocabularyBuilder {
    private CharVocabularyBuilder() {
    }

    public static Vocabulary fromTexts(Iterable<String> texts, int minCount) {
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String word : BertTokenizer.basicTokenize(text)) {
                int[] cps = word.codePoints().toArray();
                for (int i = 0; i < cps.length; i++) {
                    String piece = (i > 0 ? "##" : "") + new String(cps, i, 1);
                    counts.merge(piece, 1, Integer::sum);
                }
            }
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(Vocabulary.PAD);
        for (int i = 1; i < 100; i++) {
            tokens.add("[unused" + i + "]");
        }
        tokens.add(Vocabulary.UNK);
        tokens.add(Vocabulary.CLS);
        tokens.add(Vocabulary.SEP);
        tokens.add(Vocabulary.MASK);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> tokens.add(e.getKey()));
        return new Vocabulary(tokens);
    }
}
