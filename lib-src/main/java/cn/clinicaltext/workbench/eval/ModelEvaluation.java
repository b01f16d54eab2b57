package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.TextClassifier;
import com.google.gson.GsonBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model scored on one labelled split: per-class report, bootstrap intervals, calibration, the texts it got
 * wrong, and the keyword-rule baseline on the same texts.
 */
public record ModelEvaluation(String split, Corpus corpus, List<String> labelNames, float[][] probabilities,
                              int[] predictions, ClassificationReport report, Bootstrap.Intervals intervals,
                              Calibration calibration, ClassificationReport baseline) {

    public static ModelEvaluation of(TextClassifier classifier, Corpus corpus, String split) {
        float[][] probs = classifier.probabilities(corpus.texts(), TextClassifier.DEFAULT_BATCH);
        int[] pred = new int[probs.length];
        for (int i = 0; i < probs.length; i++) {
            pred[i] = cn.clinicaltext.workbench.model.Loss.argmax(probs[i]);
        }
        int[] truth = corpus.labels();
        List<String> names = classifier.labels();
        return new ModelEvaluation(split, corpus, names, probs, pred, ClassificationReport.of(truth, pred, names),
                Bootstrap.of(truth, pred, names, Bootstrap.DEFAULT_RESAMPLES, 20240101L),
                Calibration.of(probs, truth, Calibration.DEFAULT_BINS), KeywordRuleBaseline.evaluate(corpus));
    }

    /** Per-class precision, recall, F1 with its 95% bootstrap interval, and support. */
    public Table perClassTable() {
        StringColumn name = StringColumn.create("class");
        DoubleColumn p = DoubleColumn.create("precision");
        DoubleColumn r = DoubleColumn.create("recall");
        DoubleColumn f = DoubleColumn.create("F1");
        DoubleColumn lo = DoubleColumn.create("F1 95% low");
        DoubleColumn hi = DoubleColumn.create("F1 95% high");
        IntColumn support = IntColumn.create("support");
        for (int c = 0; c < labelNames.size(); c++) {
            name.append(labelNames.get(c));
            p.append(round(report.precision()[c]));
            r.append(round(report.recall()[c]));
            f.append(round(report.f1()[c]));
            lo.append(round(intervals.f1()[c].low()));
            hi.append(round(intervals.f1()[c].high()));
            support.append((int) report.confusion().support(c));
        }
        return Table.create("Per-class scores on " + split + " (" + corpus.size() + " texts)", name, p, r, f, lo, hi, support);
    }

    /** Accuracy, macro-F1 (with intervals), weighted F1 and ECE next to the keyword rule's. */
    public Table summaryTable() {
        StringColumn metric = StringColumn.create("metric");
        StringColumn model = StringColumn.create("model (95% CI)");
        DoubleColumn rule = DoubleColumn.create("keyword rule");
        metric.append("accuracy");
        model.append(intervals.accuracy().toString());
        rule.append(round(baseline.accuracy()));
        metric.append("macro F1");
        model.append(intervals.macroF1().toString());
        rule.append(round(baseline.macroF1()));
        metric.append("weighted F1");
        model.append(String.format(Locale.ROOT, "%.4f", report.weightedF1()));
        rule.append(round(baseline.weightedF1()));
        metric.append("expected calibration error");
        model.append(String.format(Locale.ROOT, "%.4f", calibration.ece()));
        rule.appendMissing();
        return Table.create("Scores on " + split + " (" + corpus.size() + " texts)", metric, model, rule);
    }

    /** The texts the model got wrong, most confident mistakes first. */
    public Table errorsTable() {
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] != corpus.records().get(i).label()) {
                wrong.add(i);
            }
        }
        wrong.sort((a, b) -> Float.compare(probabilities[b][predictions[b]], probabilities[a][predictions[a]]));
        StringColumn text = StringColumn.create("text");
        StringColumn truth = StringColumn.create("true");
        StringColumn pred = StringColumn.create("predicted");
        DoubleColumn conf = DoubleColumn.create("p(predicted)");
        DoubleColumn ptrue = DoubleColumn.create("p(true)");
        for (int i : wrong) {
            LabeledText r = corpus.records().get(i);
            text.append(r.text());
            truth.append(labelNames.get(r.label()));
            pred.append(labelNames.get(predictions[i]));
            conf.append(round(probabilities[i][predictions[i]]));
            ptrue.append(round(probabilities[i][r.label()]));
        }
        return Table.create("Misclassified texts on " + split + ": " + wrong.size(), text, truth, pred, conf, ptrue);
    }

    /** Metrics as JSON (accuracy, per-class P/R/F1, macro/weighted F1, intervals, confusion matrix, ECE). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", split);
        m.put("texts", corpus.size());
        m.put("source_sha256", corpus.sha256());
        m.put("accuracy", report.accuracy());
        m.put("accuracy_ci95", new double[]{intervals.accuracy().low(), intervals.accuracy().high()});
        m.put("macro_f1", report.macroF1());
        m.put("macro_f1_ci95", new double[]{intervals.macroF1().low(), intervals.macroF1().high()});
        m.put("weighted_f1", report.weightedF1());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (int c = 0; c < labelNames.size(); c++) {
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("class", labelNames.get(c));
            pc.put("precision", report.precision()[c]);
            pc.put("recall", report.recall()[c]);
            pc.put("f1", report.f1()[c]);
            pc.put("f1_ci95", new double[]{intervals.f1()[c].low(), intervals.f1()[c].high()});
            pc.put("support", report.confusion().support(c));
            perClass.add(pc);
        }
        m.put("per_class", perClass);
        long[][] cm = new long[labelNames.size()][labelNames.size()];
        for (int t = 0; t < cm.length; t++) {
            for (int p = 0; p < cm.length; p++) {
                cm[t][p] = report.confusion().count(t, p);
            }
        }
        m.put("confusion_matrix", cm);
        m.put("expected_calibration_error", calibration.ece());
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("accuracy", baseline.accuracy());
        rule.put("macro_f1", baseline.macroF1());
        m.put("keyword_rule", rule);
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("resamples", Bootstrap.DEFAULT_RESAMPLES);
        bootstrap.put("seed", 20240101L);
        m.put("bootstrap", bootstrap);
        return m;
    }

    public void writeJson(Path file) throws IOException {
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(toJson()) + "\n");
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
