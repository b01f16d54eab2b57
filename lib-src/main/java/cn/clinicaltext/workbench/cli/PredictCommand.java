package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.model.Prediction;
import cn.clinicaltext.workbench.model.TextClassifier;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    @Parameters(arity = "0..*", description = "texts")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(texts);
        if (file != null) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    int tab = line.indexOf('\t');
                    all.add(tab >= 0 ? line.substring(0, tab) : line);
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no texts: give them as arguments or with --file");
        }
        if (!format.equals("tsv") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be tsv or json, got " + format);
        }
        TextClassifier classifier = SavedModel.classifier(model);
        List<Prediction> predictions = classifier.predict(all);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        if (format.equals("tsv")) {
            StringBuilder header = new StringBuilder("text\tlabel\tlabel_name");
            classifier.labels().forEach(l -> header.append("\tp(").append(l).append(")"));
            out.println(header);
        }
        for (Prediction p : predictions) {
            if (format.equals("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("text", p.text());
                m.put("label", p.label());
                m.put("label_name", p.labelName());
                m.put("probabilities", p.probabilities());
                out.println(gson.toJson(m));
            } else {
                StringBuilder row = new StringBuilder(p.text().replace('\t', ' ')).append('\t').append(p.label())
                        .append('\t').append(p.labelName());
                for (float v : p.probabilities()) {
                    row.append('\t').append(String.format(Locale.ROOT, "%.4f", v));
                }
                out.println(row);
            }
        }
        return 0;
    }
}
