package cn.clinicaltext.workbench.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled texts with where they came from.
 *
 * @param records    the records in file order
 * @param numClasses number of classes; labels are 0..numClasses-1
 * @param source     file read, or null when made in memory
 * @param sha256     hex SHA-256 of the file's bytes, or null when made in memory
 */
public record Corpus(List<LabeledText> records, int numClasses, Path source, String sha256) {
    public Corpus {
        records = List.copyOf(records);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        for (LabeledText r : records) {
            if (r.label() >= numClasses) {
                throw new IllegalArgumentException("label " + r.label() + " out of range 0.." + (numClasses - 1)
                        + (r.line() > 0 ? " (line " + r.line() + ")" : ""));
            }
        }
    }

    public static Corpus of(List<LabeledText> records, int numClasses) {
        return new Corpus(records, numClasses, null, null);
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
        long[] counts = new long[numClasses];
        records.forEach(r -> counts[r.label()]++);
        return counts;
    }

    /** The same kind of corpus holding other records (a split, a filtered subset). */
    public Corpus withRecords(List<LabeledText> subset) {
        return new Corpus(subset, numClasses, null, null);
    }

    @Override
    public String toString() {
        return "Corpus(" + size() + " texts, " + numClasses + " classes"
                + (source == null ? "" : ", " + source) + ")";
    }
}
