package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.AtomicFiles;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.io.csv.CsvReader;
import tech.tablesaw.io.xlsx.XlsxReadOptions;
import tech.tablesaw.io.xlsx.XlsxReader;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a raw export (CSV, TSV or an Excel sheet, read with Tablesaw) into this project's corpus: the text and
 * label columns by header name, label strings mapped to ids, every dropped row reported with its reason (empty text,
 * missing label, a repeat, a label conflict), and the texts a label-less or empty row would have lost never
 * silently. Cells are read as strings, so a label column of numbers keeps "01" and "1" apart as written.
 *
 * @param corpus  the kept texts, labels as ids, classes named
 * @param dropped every row not kept, with why
 * @param dedup   how repeats were resolved (its conflicts list the copies and the decision)
 * @param rows    data rows read (the header not counted)
 */
public record TableImport(Corpus corpus, List<Dropped> dropped, Deduplication dedup, int rows) {

    /** The raw formats read. */
    public enum Format { CSV, TSV, XLSX }

    /**
     * A row not imported.
     *
     * @param row    1-based data row (the spreadsheet row is one more, for the header)
     * @param reason why
     * @param text   its text (may be empty)
     */
    public record Dropped(int row, String reason, String text) {
    }

    /**
     * Reads the file.
     *
     * @param labelOrder the class names in id order; empty: the distinct labels sorted (numbers numerically)
     */
    public static TableImport read(Path file, Format format, String textColumn, String labelColumn,
                                   List<String> labelOrder, DuplicatePolicy policy) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + ": not found (or not a file)");
        }
        Table table = switch (format) {
            case CSV, TSV -> new CsvReader().read(CsvReadOptions.builder(file.toFile())
                    .separator(format == Format.CSV ? ',' : '\t').columnTypes(name -> ColumnType.STRING).build());
            case XLSX -> new XlsxReader().read(XlsxReadOptions.builder(file.toFile())
                    .columnTypes(name -> ColumnType.STRING).build());
        };
        Column<?> texts = column(table, textColumn, "text", file);
        Column<?> labels = column(table, labelColumn, "label", file);
        List<Dropped> dropped = new ArrayList<>();
        List<String> rawTexts = new ArrayList<>();
        List<String> rawLabels = new ArrayList<>();
        List<Integer> rowNumbers = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            String text = texts.isMissing(i) ? "" : clean(texts.getString(i));
            String label = labels.isMissing(i) ? "" : labels.getString(i).strip();
            if (text.isEmpty()) {
                dropped.add(new Dropped(i + 1, "empty text", ""));
            } else if (label.isEmpty()) {
                dropped.add(new Dropped(i + 1, "missing label", text));
            } else {
                rawTexts.add(text);
                rawLabels.add(label);
                rowNumbers.add(i + 1);
            }
        }
        List<String> names = labelOrder.isEmpty() ? sortedDistinct(rawLabels) : List.copyOf(labelOrder);
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            ids.put(names.get(k), k);
        }
        List<LabeledText> records = new ArrayList<>();
        for (int i = 0; i < rawTexts.size(); i++) {
            Integer id = ids.get(rawLabels.get(i));
            if (id == null) {
                dropped.add(new Dropped(rowNumbers.get(i), "label '" + rawLabels.get(i) + "' is not one of " + names,
                        rawTexts.get(i)));
            } else {
                records.add(new LabeledText(rawTexts.get(i), id, rowNumbers.get(i)));
            }
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + ": no row has both a text ('" + textColumn + "') and a label ('"
                    + labelColumn + "'); " + dropped.size() + " rows dropped");
        }
        Corpus all = new Corpus(records, names, file, Hashes.sha256(file));
        Deduplication dedup = Deduplication.of(all, policy);
        for (LabeledText r : dedup.removed()) {
            dropped.add(new Dropped(r.line(), "repeat of an earlier row with the same label", r.text()));
        }
        for (Deduplication.Conflict c : dedup.conflicts()) {
            for (LabeledText r : c.copies()) {
                if (c.dropped() || r.label() != c.kept().label()) {
                    dropped.add(new Dropped(r.line(), "label conflict: the text has rows labelled "
                            + new TreeSet<>(c.copies().stream().map(x -> names.get(x.label())).toList())
                            + (c.dropped() ? "; all dropped" : "; kept as " + names.get(c.kept().label())), r.text()));
                }
            }
        }
        dropped.sort(Comparator.comparingInt(Dropped::row));
        return new TableImport(dedup.kept(), List.copyOf(dropped), dedup, table.rowCount());
    }

    /** Writes {@code all.txt} and {@code labels.txt} into {@code dir} (the text cleaned of tabs and line breaks). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder all = new StringBuilder();
        for (LabeledText r : corpus.records()) {
            all.append(r.text()).append('\t').append(r.label()).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("all.txt"), all.toString());
        AtomicFiles.writeString(dir.resolve(LabelNames.FILE), String.join("\n", corpus.labelNames()) + "\n");
    }

    /** The dropped rows as a table: row, reason, text. */
    public Table droppedTable() {
        IntColumn row = IntColumn.create("row");
        StringColumn reason = StringColumn.create("reason");
        StringColumn text = StringColumn.create("text");
        for (Dropped d : dropped) {
            row.append(d.row());
            reason.append(d.reason());
            text.append(d.text());
        }
        return Table.create("Rows not imported: " + dropped.size() + " of " + rows, row, reason, text);
    }

    @Override
    public String toString() {
        Map<String, Integer> byReason = new LinkedHashMap<>();
        for (Dropped d : dropped) {
            String key = d.reason().startsWith("label conflict") ? "label conflict"
                    : d.reason().startsWith("label '") ? "unknown label" : d.reason();
            byReason.merge(key, 1, Integer::sum);
        }
        return "Imported " + corpus.size() + " texts of " + rows + " rows, classes " + corpus.labelNames()
                + " (counts " + Arrays.toString(corpus.classCounts()) + "); dropped " + dropped.size()
                + (byReason.isEmpty() ? "" : " " + byReason);
    }

    private static Column<?> column(Table table, String name, String role, Path file) {
        for (Column<?> c : table.columns()) {
            if (c.name().strip().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(file + ": no " + role + " column '" + name + "'; the header has "
                + table.columnNames());
    }

    /** One line of text: tabs and line breaks (which the corpus format cannot hold) become spaces, ends trimmed. */
    static String clean(String s) {
        return s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }

    private static List<String> sortedDistinct(List<String> labels) {
        TreeSet<String> set = new TreeSet<>((a, b) -> {
            boolean na = a.matches("-?\\d+");
            boolean nb = b.matches("-?\\d+");
            if (na && nb) {
                int c = new BigInteger(a).compareTo(new BigInteger(b));
                return c != 0 ? c : a.compareTo(b);
            }
            return na != nb ? (na ? -1 : 1) : a.compareTo(b);
        });
        set.addAll(labels);
        return List.copyOf(set);
    }
}
