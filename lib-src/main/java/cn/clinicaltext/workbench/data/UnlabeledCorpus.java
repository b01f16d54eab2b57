package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.io.InputFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Texts for masked-LM pretraining, from one or more UTF-8 files with one text per line. A file in the labelled
 * corpus format ({@code text<TAB>label} on every non-blank line, as train.txt) contributes its texts only, so the
 * training split itself can be pretrained on (task-adaptive pretraining). Blank lines are skipped and counted; a
 * BOM and CRLF are accepted; invalid UTF-8 is an error naming file and line.
 *
 * @param texts   every text, files in the order given, lines in file order
 * @param sources per file: its SHA-256, lines read, texts taken, blank lines skipped and whether labels were dropped
 */
public record UnlabeledCorpus(List<String> texts, Map<String, Map<String, Object>> sources) {
    private static final Pattern LABELLED = Pattern.compile("[^\\t]+\\t\\s*\\d+\\s*");

    public UnlabeledCorpus {
        texts = List.copyOf(texts);
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public static UnlabeledCorpus read(List<Path> files) throws IOException, CorpusFormatException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no pretraining corpus given");
        }
        List<String> texts = new ArrayList<>();
        Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
        List<CorpusProblem> problems = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = InputFiles.readAllBytes(file, "pretraining corpus file");
            List<String> lines = lines(file, bytes, problems);
            boolean labelled = !lines.isEmpty();
            int blank = 0;
            for (String line : lines) {
                if (line.isBlank()) {
                    blank++;
                } else if (!LABELLED.matcher(line).matches()) {
                    labelled = false;
                }
            }
            int taken = 0;
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                String text = labelled ? line.substring(0, line.lastIndexOf('\t')) : line;
                if (!text.isBlank()) {
                    texts.add(text.strip());
                    taken++;
                }
            }
            if (taken == 0 && problems.isEmpty()) {
                problems.add(new CorpusProblem(file, 0, "no text in the file"));
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("sha256", Hashes.sha256(bytes));
            info.put("lines", lines.size());
            info.put("texts", taken);
            info.put("blank_lines_skipped", blank);
            info.put("labels_dropped", labelled);
            sources.put(file.toString(), info);
        }
        if (!problems.isEmpty()) {
            throw new CorpusFormatException(problems);
        }
        return new UnlabeledCorpus(texts, sources);
    }

    private static List<String> lines(Path file, byte[] bytes, List<CorpusProblem> problems) {
        List<String> lines = new ArrayList<>();
        Utf8Lines.forEach(bytes, (lineNo, line) -> {
            if (line == null) {
                problems.add(new CorpusProblem(file, lineNo, Utf8Lines.NOT_UTF8));
            } else {
                lines.add(line);
            }
            return true;
        });
        return lines;
    }

    public int size() {
        return texts.size();
    }

    public long characters() {
        long n = 0;
        for (String t : texts) {
            n += t.codePointCount(0, t.length());
        }
        return n;
    }
}
