package cn.clinicaltext.workbench.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled texts with where they came from.
 *
 * @param records    the records in file order
 * @param labelNames the classes' names in id order; labels are 0..labelNames.size()-1
 * @param source     file read, or null when made in memory
 * @param sha256     hex SHA-256 of the file's bytes, or null when made in memory
 */
public record Corpus(List<LabeledText> records, List<String> labelNames, Path source, String sha256) {
    public Corpus {
        records = List.copyOf(records);
        labelNames = List.copyOf(labelNames);
        if (labelNames.isEmpty()) {
            throw new IllegalArgumentException("a corpus needs at least one class");
        }
        int numClasses = labelNames.size();
        for (LabeledText r : records) {
            if (r.label() >= numClasses) {
                throw new IllegalArgumentException("label " + r.label() + " out of range 0.." + (numClasses - 1)
                        + (r.line() > 0 ? " (line " + r.line() + ")" : ""));
            }
        }
    }

    /** Records in memory, classes named "class 0".."class N-1". */
    public static Corpus of(List<LabeledText> records, int numClasses) {
        return new Corpus(records, LabelNames.namesFor(numClasses), null, null);
    }

    public static Corpus of(List<LabeledText> records, List<String> labelNames) {
        return new Corpus(records, labelNames, null, null);
    }

    public int numClasses() {
        return labelNames.size();
    }

    /** The same records with other names for the same number of classes. */
    public Corpus withLabelNames(List<String> names) {
        if (names.size() != numClasses()) {
            throw new IllegalArgumentException(names.size() + " label names for " + numClasses() + " classes"
                    + (source == null ? "" : " in " + source));
        }
        return new Corpus(records, names, source, sha256);
    }

    public int size() {
        return records.size();
    }

    public List<String> texts() {
        List<String> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(r.text()));
        return out;
    }

    public int[] labels() {
        return records.stream().mapToInt(LabeledText::label).toArray();
    }

    public long[] classCounts() {
        long[] counts = new long[numClasses()];
        records.forEach(r -> counts[r.label()]++);
        return counts;
    }

    /** The same kind of corpus holding other records (a split, a filtered subset). */
    public Corpus withRecords(List<LabeledText> subset) {
        return new Corpus(subset, labelNames, null, null);
    }

    @Override
    public String toString() {
        return "Corpus(" + size() + " texts, " + numClasses() + " classes " + labelNames
                + (source == null ? "" : ", " + source) + ")";
    }
}
