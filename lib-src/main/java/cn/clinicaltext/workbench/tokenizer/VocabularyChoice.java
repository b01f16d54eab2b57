package cn.clinicaltext.workbench.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vocabulary a run uses: the pretrained checkpoint's {@code vocab.txt} when present, else a character
 * vocabulary built from the training texts. Which one was chosen is said out loud and recorded.
 *
 * @param tokenizer  tokenizer over the chosen vocabulary
 * @param pretrained whether it is the checkpoint's vocabulary
 * @param source     where it came from, for the notebook and the run's provenance
 */
public record VocabularyChoice(BertTokenizer tokenizer, boolean pretrained, String source) {

    /** @param pretrainedDir folder of a pretrained checkpoint, or null for none */
    public static VocabularyChoice choose(Path pretrainedDir, Iterable<String> trainingTexts) throws IOException {
        Path vocab = pretrainedDir == null ? null : pretrainedDir.resolve("vocab.txt");
        if (vocab != null && Files.exists(vocab)) {
            Vocabulary v = Vocabulary.load(vocab);
            return new VocabularyChoice(new BertTokenizer(v), true, vocab + " (" + v.size() + " tokens)");
        }
        Vocabulary v = CharVocabularyBuilder.fromTexts(trainingTexts, 1);
        String message = "NO PRETRAINED VOCABULARY: " + (vocab == null ? "no checkpoint given" : vocab + " is absent")
                + ", so a character vocabulary of " + v.size()
                + " tokens was built from the training texts. Token counts differ from the pretrained tokenizer's"
                + " only for Latin words and digits.";
        System.out.println(message);
        return new VocabularyChoice(new BertTokenizer(v), false, message);
    }

    /** The vocabulary of a pretrained start ({@code source} names it). */
    public static VocabularyChoice pretrained(Vocabulary vocabulary, String source) {
        return new VocabularyChoice(new BertTokenizer(vocabulary), true, source + " (" + vocabulary.size() + " tokens)");
    }

    @Override
    public String toString() {
        return (pretrained ? "pretrained vocabulary: " : "") + source;
    }
}
