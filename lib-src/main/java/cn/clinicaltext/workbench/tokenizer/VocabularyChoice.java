package cn.clinicaltext.workbench.tokenizer;

/**
 * The vocabulary a run uses: its pretrained start's ({@link #pretrained}), or for a random start a character
 * vocabulary built from the training texts ({@link #fromTrainingTexts}). Which one was chosen is said out loud and
 * recorded.
 *
 * @param tokenizer  tokenizer over the chosen vocabulary
 * @param pretrained whether it is the checkpoint's vocabulary
 * @param source     where it came from, for the notebook and the run's provenance
 */
public record VocabularyChoice(BertTokenizer tokenizer, boolean pretrained, String source) {

    /** A random start's vocabulary: every character of the training texts. */
    public static VocabularyChoice fromTrainingTexts(Iterable<String> trainingTexts) {
        Vocabulary v = CharVocabularyBuilder.fromTexts(trainingTexts, 1);
        String message = "NO PRETRAINED VOCABULARY: no pretrained start, so a character vocabulary of " + v.size()
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
