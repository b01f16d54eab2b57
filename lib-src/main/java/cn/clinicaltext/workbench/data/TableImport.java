package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.Hashes;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.xlsx.XlsxReadOptions;
import tech.tablesaw.io.xlsx.XlsxReader;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /** {@link #read(Path, Format, Charset, String, String, List, DuplicatePolicy)} of a UTF-8 file. */
    public static TableImport read(Path file, Format format, String textColumn, String labelColumn,
                                   List<String> labelOrder, DuplicatePolicy policy) throws IOException,
            CorpusFormatException {
        return read(file, format, StandardCharsets.UTF_8, textColumn, labelColumn, labelOrder, policy);
    }

    /**
     * Reads the file.
     *
     * @param encoding   the text formats' encoding (UTF-8; GB18030 for Excel's exports on a Chinese Windows); a
     *                   workbook names its own
     * @param labelOrder the class names in id order; empty: the distinct labels sorted (numbers numerically)
     */
    public static TableImport read(Path file, Format format, Charset encoding, String textColumn, String labelColumn,
                                   List<String> labelOrder, DuplicatePolicy policy) throws IOException,
            CorpusFormatException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + ": not found (or not a file)");
        }
        RawTable table = switch (format) {
            case CSV -> readDelimited(file, ',', encoding);
            case TSV -> readDelimited(file, '\t', encoding);
            case XLSX -> readWorkbook(file);
        };
        int textAt = column(table.header(), textColumn, "text", file);
        int labelAt = column(table.header(), labelColumn, "label", file);
        if (format != Format.XLSX) {
            refuseSwallowedRows(table, labelAt, format == Format.CSV ? ',' : '\t', file);
        }
        List<Dropped> dropped = new ArrayList<>();
        List<String> rawTexts = new ArrayList<>();
        List<String> rawLabels = new ArrayList<>();
        List<Integer> rowNumbers = new ArrayList<>();
        for (int i = 0; i < table.rows().size(); i++) {
            String[] cells = table.rows().get(i);
            if (cells.length != table.header().size()) {
                // a missing separator, or an unquoted one inside a text: the cells cannot be trusted to be in place
                dropped.add(new Dropped(i + 1, cells.length + " cells where the header has " + table.header().size()
                        + (table.lines().isEmpty() ? "" : " (line " + table.lines().get(i) + ")")
                        + (cells.length > table.header().size() ? "; a separator inside an unquoted text?"
                        : "; a missing separator?"), String.join(" | ", cells)));
                continue;
            }
            String text = cells[textAt] == null ? "" : clean(cells[textAt]);
            String label = cells[labelAt] == null ? "" : cells[labelAt].strip();
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
        refuseLabelSpellings(rawLabels, rowNumbers, file);
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
        return new TableImport(dedup.kept(), List.copyOf(dropped), dedup, table.rows().size());
    }

    /**
     * A table as read: the header's names and each data row's cells (as many as the row has), with the line of the
     * file each row ends on for text formats (empty for a workbook).
     */
    private record RawTable(List<String> header, List<String[]> rows, List<Integer> lines) {
    }

    /**
     * A CSV or TSV export: UTF-8 checked first (the first bad line named; a byte-order mark, as Excel's "CSV UTF-8"
     * writes, is skipped), then parsed with RFC 4180 quoting by univocity-parsers (Tablesaw's own CSV parser), with
     * no limit on a cell's length (reports can be long; the parser's default stops at 4,096 characters).
     */
    private static RawTable readDelimited(Path file, char separator, Charset encoding) throws IOException,
            CorpusFormatException {
        List<String> lines;
        try {
            lines = TextLines.read(file, encoding);
        } catch (CorpusFormatException e) {
            if (!encoding.equals(StandardCharsets.UTF_8)) {
                throw e;
            }
            // what to do is said once, after the lines: Excel on a Chinese Windows saves CSV in GBK
            throw new CorpusFormatException(e.problems().stream().map(p -> new CorpusProblem(p.file(), p.line(),
                    "not valid UTF-8")).toList(), "If the file is in another encoding (Excel on a Chinese Windows"
                    + " saves CSV in GBK), import it with --encoding GB18030 (it covers GBK), or save it as UTF-8."
                    + " Nothing was written.");
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(separator);
        settings.getFormat().setLineSeparator("\n");
        settings.setMaxCharsPerColumn(-1);
        settings.setMaxColumns(100_000);
        settings.setSkipEmptyLines(true);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setEmptyValue("");
        CsvParser parser = new CsvParser(settings);
        parser.beginParsing(new StringReader(String.join("\n", lines)));
        List<String[]> rows = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (String[] row; (row = parser.parseNext()) != null; ) {
            rows.add(row);
            ends.add((int) parser.getContext().currentLine());
        }
        parser.stopParsing();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": the file is empty; a header line (the column names) and rows"
                    + " are needed");
        }
        List<String> header = new ArrayList<>();
        for (String h : rows.get(0)) {
            header.add(h == null ? "" : h.strip());
        }
        return new RawTable(header, rows.subList(1, rows.size()), ends.subList(1, ends.size()));
    }

    /** The first sheet of an Excel workbook, every cell as text. */
    private static RawTable readWorkbook(Path file) throws IOException {
        Table table;
        try {
            table = new XlsxReader().read(XlsxReadOptions.builder(file.toFile())
                    .columnTypes(name -> ColumnType.STRING).build());
        } catch (RuntimeException e) {
            throw new IOException(file + ": not an Excel workbook (.xlsx) that can be read (" + describe(e) + "); if it"
                    + " is a CSV or TSV export, import it with --csv or --tsv");
        }
        if (table == null) {
            throw new IOException(file + ": the workbook has no sheet with data");
        }
        List<String> header = table.columnNames().stream().map(String::strip).toList();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            String[] cells = new String[table.columnCount()];
            for (int c = 0; c < cells.length; c++) {
                Column<?> column = table.column(c);
                cells[c] = column.isMissing(i) ? "" : column.getString(i);
            }
            rows.add(cells);
        }
        return new RawTable(header, rows, List.of());
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? "unreadable" : m.lines().findFirst().orElse(m).strip();
    }

    /**
     * An unbalanced quote makes the parser read on, across line ends, to the next quote: the rows in between become
     * part of one text. A quoted cell with line breaks is legitimate (a report with paragraphs), so the sign looked
     * for is a line inside a cell that is itself a row: its label column holds a label of the file. When the next
     * row starts with a quoted cell, that quote closes the unbalanced one and the cell holds two lines, the first of
     * them a whole row (text, separator, label). Refused (the rows it swallowed cannot be recovered by dropping it),
     * naming where the cell starts and ends.
     */
    private static void refuseSwallowedRows(RawTable table, int labelAt, char separator, Path file) {
        Set<String> labels = new HashSet<>();
        for (String[] row : table.rows()) {
            if (row.length > labelAt && row[labelAt] != null && !row[labelAt].isBlank()) {
                labels.add(row[labelAt].strip());
            }
        }
        for (int i = 0; i < table.rows().size(); i++) {
            String[] row = table.rows().get(i);
            for (int c = 0; c < row.length; c++) {
                String cell = row[c];
                if (cell == null || cell.indexOf('\n') < 0) {
                    continue;
                }
                String[] inner = cell.split("\n", -1);
                for (int j = 1; j <= inner.length; j++) {
                    int k = j % inner.length;              // the lines after the first, then the first
                    String[] parts = inner[k].split(Pattern.quote(String.valueOf(separator)), -1);
                    // the cell's first line continues its own row from column c: it is a row of its own when it holds
                    // the rest of the header's columns, a label of the file in the label column (the quote opened
                    // there never closed, and the next row's opening quote closed it); later lines start at column 0
                    int labelPart = k == 0 ? labelAt - c : labelAt;
                    boolean wholeRow = k > 0 || (labelPart >= 1 && parts.length == table.header().size() - c);
                    if (wholeRow && labelPart >= 0 && parts.length > labelPart
                            && labels.contains(parts[labelPart].strip())) {
                        int end = table.lines().get(i);
                        int begin = end - inner.length + 1;
                        throw new IllegalArgumentException(file + ":" + begin + ": a quoted cell starts here and ends"
                                + " only on line " + end + ", so lines that look like rows of their own (line "
                                + (begin + k) + ": '" + abbreviate(inner[k]) + "') would be read as one text. An"
                                + " unbalanced quote? A quote inside a quoted cell is written twice (\"\"); fix the"
                                + " file and import again. Nothing was written.");
                    }
                }
            }
        }
    }

    /**
     * Labels that differ only in how they are written ("1", "01", "1.0"; "Upper", "upper"; full-width digits) would
     * become separate classes. Refused, each spelling with its first rows: which one is meant is the user's call.
     */
    private static void refuseLabelSpellings(List<String> labels, List<Integer> rows, Path file) {
        Map<String, Map<String, List<Integer>>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byKey.computeIfAbsent(labelKey(labels.get(i)), k -> new LinkedHashMap<>())
                    .computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(rows.get(i));
        }
        List<String> clashes = new ArrayList<>();
        for (Map<String, List<Integer>> spellings : byKey.values()) {
            if (spellings.size() > 1) {
                List<String> each = new ArrayList<>();
                spellings.forEach((spelling, at) -> each.add("'" + spelling + "' (row" + (at.size() > 1 ? "s " : " ")
                        + at.subList(0, Math.min(3, at.size())).stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + (at.size() > 3 ? ", ..." : "") + ")"));
                clashes.add(String.join(", ", each));
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(file + ": labels that differ only in how they are written would become"
                    + " separate classes: " + String.join("; ", clashes) + ". Write each class one way in the label"
                    + " column and import again. Nothing was written.");
        }
    }

    /** What a label means: NFKC (full-width forms), case aside, a number by its value. */
    static String labelKey(String label) {
        String k = Normalizer.normalize(label.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (k.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)")) {
            BigDecimal d = new BigDecimal(k);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        return k;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
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

    private static int column(List<String> header, String name, String role, Path file) {
        int at = header.indexOf(name.strip());
        if (at < 0) {
            throw new IllegalArgumentException(file + ": no " + role + " column '" + name + "'; the header has "
                    + header);
        }
        int again = header.lastIndexOf(name.strip());
        if (again != at) {
            // which of the two is meant cannot be told from the file; taking the first would be a silent guess
            throw new IllegalArgumentException(file + ": the header names two columns '" + name.strip() + "' (columns "
                    + (at + 1) + " and " + (again + 1) + " of " + header.size() + "), so the " + role + " column is"
                    + " ambiguous; rename one of them in the header and import again. Nothing was written.");
        }
        return at;
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
