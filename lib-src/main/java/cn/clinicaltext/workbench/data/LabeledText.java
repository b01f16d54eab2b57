package cn.clinicaltext.workbench.data;

/**
 * One record of a corpus.
 *
 * @param text  the report text
 * @param label class id, 0..numClasses-1
 * @param line  1-based line number in the file it was read from (0 when made in memory)
 */
public record LabeledText(String text, int label, int line) {
    public LabeledText {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty text");
        }
        if (label < 0) {
            throw new IllegalArgumentException("negative label " + label);
        }
    }

    public LabeledText(String text, int label) {
        this(text, label, 0);
    }

    /** Length in Unicode characters (code points), as a reader counts them. */
    public int characters() {
        return text.codePointCount(0, text.length());
    }
}
