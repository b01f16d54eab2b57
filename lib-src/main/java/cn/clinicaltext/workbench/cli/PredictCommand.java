package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.Prediction;
import cn.clinicaltext.workbench.model.TextClassifier;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classifies texts given as arguments or one per line in --file; prints TSV or JSON lines.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "saved model folder, e.g. weights/albert-tiny")
    Path model;

    @Option(names = "--file", description = "texts, one per line (a trailing TAB and label are ignored)")
    Path file;

    @Option(names = "--format", defaultValue = "tsv", description = "tsv or json (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", description = "write the predictions to this file instead of standard output; it"
            + " appears whole or not at all (written beside it, renamed when complete)")
    Path outFile;

    @Parameters(arity = "0..*", description = "texts")
    List<String> texts = new ArrayList<>();

    /** Texts classified at a time: rows are written as each chunk is done, so large inputs stream. */
    static final int CHUNK = 256;

    @Override
    public Integer call() throws Exception {
        List<String> all = InputTexts.gather(texts, file, "classify");
        if (!format.equals("tsv") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be tsv or json, got " + format);
        }
        if (outFile != null) {
            AtomicFiles.checkWritable(outFile);                 // before the model is loaded or a text classified
        }
        try (TextClassifier classifier = ModelChecks.load(model)) {
            ModelChecks.reportTruncation(classifier, all);
            if (outFile == null) {
                write(classifier, all, new PrintStream(System.out, true, StandardCharsets.UTF_8));
            } else {
                AtomicFiles.write(outFile, os -> {
                    PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
                    write(classifier, all, out);
                    out.flush();
                    if (out.checkError()) {
                        throw new IOException("writing " + outFile + " failed");
                    }
                });
                System.err.println(all.size() + " predictions written to " + outFile);
            }
        }
        return 0;
    }

    private void write(TextClassifier classifier, List<String> all, PrintStream out) {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        if (format.equals("tsv")) {
            StringBuilder header = new StringBuilder("text\tlabel\tlabel_name");
            classifier.labels().forEach(l -> header.append("\tp(").append(l).append(")"));
            out.println(header);
        }
        for (int from = 0; from < all.size(); from += CHUNK) {
            for (Prediction p : classifier.predict(all.subList(from, Math.min(all.size(), from + CHUNK)))) {
                out.println(format.equals("json") ? gson.toJson(jsonRow(p)) : tsvRow(p));
            }
            out.flush();
        }
    }

    private static Map<String, Object> jsonRow(Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", p.text());
        m.put("label", p.label());
        m.put("label_name", p.labelName());
        m.put("probabilities", p.probabilities());
        return m;
    }

    private static String tsvRow(Prediction p) {
        StringBuilder row = new StringBuilder(tsvCell(p.text())).append('\t').append(p.label())
                .append('\t').append(p.labelName());
        for (float v : p.probabilities()) {
            row.append('\t').append(String.format(Locale.ROOT, "%.4f", v));
        }
        return row.toString();
    }

    /**
     * A text as one TSV cell on one line: backslash, tab, line breaks and other control characters (terminal escape
     * codes included) written as backslash escapes, so no text can break the table or drive the terminal.
     */
    static String tsvCell(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> {
                    if (Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
