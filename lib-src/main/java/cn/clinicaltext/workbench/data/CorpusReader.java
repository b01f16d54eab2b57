package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.io.InputFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the corpus format of the original project: UTF-8 lines {@code text<TAB>label}, labels 0..numClasses-1.
 * A byte-order mark and CRLF line ends are accepted; empty lines are skipped. Every other defect is reported
 * with file and line: missing tab, extra tabs, a label that is not a plain ASCII integer (not {@code +2}, a
 * full-width {@code １} or an Arabic-Indic digit) or out of range, an empty text, a line of only whitespace, a NUL
 * character, invalid UTF-8, an empty file.
 */
public final class CorpusReader {
    /** Stop at the first problem, or read the whole file and report every problem at once. */
    public enum Mode { FIRST_ERROR, ALL_ERRORS }

    private CorpusReader() {
    }

    public static Corpus read(Path file, int numClasses) throws IOException, CorpusFormatException {
        return read(file, numClasses, Mode.ALL_ERRORS);
    }

    /** Reads a corpus whose classes have these names (labels 0..names.size()-1). */
    public static Corpus read(Path file, List<String> labelNames) throws IOException, CorpusFormatException {
        return read(file, labelNames.size(), Mode.ALL_ERRORS).withLabelNames(labelNames);
    }

    public static Corpus read(Path file, int numClasses, Mode mode) throws IOException, CorpusFormatException {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        byte[] bytes = InputFiles.readAllBytes(file, "corpus file");
        List<CorpusProblem> problems = new ArrayList<>();
        List<LabeledText> records = new ArrayList<>();
        Utf8Lines.forEach(bytes, (lineNo, line) -> {
            if (line == null) {
                problems.add(new CorpusProblem(file, lineNo, Utf8Lines.NOT_UTF8));
            } else if (!line.isEmpty() && line.isBlank()) {
                problems.add(new CorpusProblem(file, lineNo, "only whitespace; delete the line or give it a text and a label"));
            } else if (!line.isEmpty()) {
                parseLine(file, lineNo, line, numClasses, records, problems);
            }
            return mode != Mode.FIRST_ERROR || problems.isEmpty();
        });
        if (mode == Mode.FIRST_ERROR && !problems.isEmpty()) {
            throw new CorpusFormatException(problems);
        }
        if (records.isEmpty() && problems.isEmpty()) {
            problems.add(new CorpusProblem(file, 0, "empty file: no text<TAB>label lines"));
        }
        if (!problems.isEmpty()) {
            throw new CorpusFormatException(problems);
        }
        return new Corpus(records, LabelNames.namesFor(numClasses), file, Hashes.sha256(bytes));
    }

    private static void parseLine(Path file, int lineNo, String line, int numClasses,
                                  List<LabeledText> records, List<CorpusProblem> problems) {
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            problems.add(new CorpusProblem(file, lineNo, "missing tab between text and label"));
            return;
        }
        int tabs = (int) line.chars().filter(c -> c == '\t').count();
        if (tabs > 1) {
            problems.add(new CorpusProblem(file, lineNo, tabs + " tabs; expected exactly one between text and label"
                    + " (a text must not contain a tab)"));
            return;
        }
        String text = line.substring(0, tab);
        String labelText = line.substring(tab + 1).strip();
        if (text.isBlank()) {
            problems.add(new CorpusProblem(file, lineNo, "empty text"));
            return;
        }
        if (text.indexOf('\0') >= 0) {
            problems.add(new CorpusProblem(file, lineNo, "the text holds a NUL character (a binary file, or UTF-16?)"));
            return;
        }
        if (!labelText.matches("-?[0-9]{1,9}")) {
            problems.add(new CorpusProblem(file, lineNo, "label '" + labelText + "' is not an integer (plain ASCII digits"
                    + " 0.." + (numClasses - 1) + ", no sign or full-width digits)"));
            return;
        }
        int label = Integer.parseInt(labelText);
        if (label < 0 || label >= numClasses) {
            problems.add(new CorpusProblem(file, lineNo, "label " + label + " out of range 0.." + (numClasses - 1)));
            return;
        }
        records.add(new LabeledText(text, label, lineNo));
    }
}
