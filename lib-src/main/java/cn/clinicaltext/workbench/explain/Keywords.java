package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.io.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keywords from attributions, as the original project extracted them: contiguous tokens whose normalised score
 * is at least a threshold form a word; "max only" keeps just the word holding the text's top token (the
 * original's {@code extracts_max}). Frequency tables count words over many texts, overall or per predicted class.
 */
public final class Keywords {
    /** The threshold of the original project's documented run. */
    public static final float ORIGINAL_THRESHOLD = 0.2f;
    /** {@link #frequencies}: every text, whatever its predicted class. */
    public static final int ALL_CLASSES = -1;

    /** Which words of a text count: all above the threshold, or only the one holding the top token. */
    public enum Extraction { ALL_WORDS, MAX_ONLY }

    private Keywords() {
    }

    public static List<String> extract(Attribution a, float threshold, Extraction extraction) {
        boolean maxOnly = extraction == Extraction.MAX_ONLY;
        List<String> words = new ArrayList<>();
        int top = a.top();
        StringBuilder word = new StringBuilder();
        boolean holdsTop = false;
        for (int i = 0; i <= a.scores().length; i++) {
            boolean in = i < a.scores().length && a.scores()[i] >= threshold;
            if (in) {
                word.append(a.tokens().get(i));
                holdsTop |= i == top;
            } else if (word.length() > 0) {
                if (!maxOnly || holdsTop) {
                    words.add(word.toString());
                }
                word.setLength(0);
                holdsTop = false;
            }
        }
        return words;
    }

    /**
     * Word frequencies over attributions: count, share of texts containing the word, and the most frequent first.
     * {@code predictedClass} restricts to texts predicted as that class ({@link #ALL_CLASSES}: all texts).
     */
    public static Table frequencies(List<Attribution> attributions, int predictedClass, float threshold,
                                    Extraction extraction, String title) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        int texts = 0;
        for (Attribution a : attributions) {
            if (predictedClass != ALL_CLASSES && a.predicted() != predictedClass) {
                continue;
            }
            texts++;
            Set<String> seen = new HashSet<>();
            for (String w : extract(a, threshold, extraction)) {
                int[] c = counts.computeIfAbsent(w, k -> new int[2]);
                c[0]++;
                if (seen.add(w)) {
                    c[1]++;
                }
            }
        }
        List<Map.Entry<String, int[]>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
        StringColumn word = StringColumn.create("keyword");
        IntColumn count = IntColumn.create("count");
        DoubleColumn share = DoubleColumn.create("share of texts");
        for (Map.Entry<String, int[]> e : rows) {
            word.append(e.getKey());
            count.append(e.getValue()[0]);
            share.append(texts == 0 ? 0 : Math.round(1000.0 * e.getValue()[1] / texts) / 1000.0);
        }
        return Table.create(title + " (" + texts + " texts)", word, count, share);
    }

    /** Writes a table as CSV (UTF-8) atomically. */
    public static void writeCsv(Table table, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", table.columnNames())).append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < table.columnCount(); c++) {
                String v = table.column(c).getString(r);
                if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
                    v = "\"" + v.replace("\"", "\"\"") + "\"";
                }
                b.append(c == 0 ? "" : ",").append(v);
            }
            b.append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }
}
