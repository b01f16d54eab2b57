package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.explain.Attribution;
import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.explain.Explainer;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.plot.AttributionFigures;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Attributes each text's prediction to its tokens: one JSON object per text (jsonl) or an HTML "
                + "page of heatmaps. Scores are signed (for the explained class > 0) unless --magnitude.",
                "Settings start from an attribution preset (each option shows its value in each): the default's"
                        + " integrated gradients double their steps until the completeness gap is within its tolerance;"
                        + " the original's are the original project's (a fixed step count, embedding-matrix gradient)."})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "saved model folder, e.g. weights/albert-tiny")
    Path model;

    @Option(names = "--file", description = "texts, one per line (a trailing TAB and label are ignored)")
    Path file;

    @Mixin
    ExplainOptions options = new ExplainOptions();

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or html (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", description = "write here (atomically) instead of standard output")
    Path out;

    @Parameters(arity = "0..*", description = "texts")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> all = InputTexts.gather(texts, file, "explain");
        if (!format.equals("jsonl") && !format.equals("html")) {
            throw new IllegalArgumentException("--format must be jsonl or html, got " + format);
        }
        ExplainSettings settings = options.settings();
        if (out != null) {
            AtomicFiles.checkWritable(out);
        }
        String result;
        try (TextClassifier classifier = ModelChecks.load(model)) {
            ModelChecks.reportTruncation(classifier, all);
            if (!settings.target().isPredicted()) {
                settings.target().resolve(0, classifier.labels().size());
            }
            List<Attribution> attributions = Explainer.of(classifier, settings).explainTexts(all);
            result = format.equals("html") ? html(attributions) : jsonl(classifier, attributions);
        }
        if (out != null) {
            AtomicFiles.writeString(out, result);
        } else {
            PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            stdout.print(result);
            stdout.flush();
        }
        return 0;
    }

    private static String jsonl(TextClassifier classifier, List<Attribution> attributions) {
        Gson gson = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < attributions.size(); i++) {
            Attribution a = attributions.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", a.text());
            m.put("tokens", a.tokens());
            m.put("scores", a.raw());
            m.put("target", a.target());
            m.put("target_name", a.targetName());
            m.put("predicted", a.predicted());
            m.put("predicted_name", classifier.labels().get(a.predicted()));
            m.put("probabilities", a.probabilities());
            m.put("method", a.settings().method().cliName());
            m.put("baseline", a.settings().baseline().name().toLowerCase(Locale.ROOT));
            m.put("score", a.settings().score().name().toLowerCase(Locale.ROOT));
            if (!Double.isNaN(a.completenessGap())) {
                m.put("completeness_gap", a.completenessGap());
                m.put("steps", a.steps());
            }
            b.append(gson.toJson(m)).append('\n');
        }
        return b.toString();
    }

    private static String html(List<Attribution> attributions) {
        String title = attributions.get(0).settings().label();
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title.replace("<", "&lt;")
                + "</title></head><body>\n<h3>" + title.replace("<", "&lt;") + "</h3>\n"
                + AttributionFigures.html(attributions).content() + "\n</body></html>\n";
    }
}
