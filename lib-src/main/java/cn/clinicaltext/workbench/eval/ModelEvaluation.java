package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.Loss;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model scored on one labelled split: per-class report, bootstrap intervals, calibration, the texts it got
 * wrong, and a baseline scored on the same texts with its own intervals.
 *
 * @param baselineName      what the baseline is (null: none)
 * @param baseline          its scores on the same texts (null: none)
 * @param baselineIntervals their bootstrap intervals (null: none)
 * @param versusBaseline    the model (A) against the baseline (B) text by text: McNemar's exact test and paired
 *                          bootstrap intervals of the accuracy and macro-F1 differences (null: no baseline)
 */
public record ModelEvaluation(String split, Corpus corpus, List<String> labelNames, float[][] probabilities,
                              int[] predictions, ClassificationReport report, Bootstrap.Intervals intervals,
                              Calibration calibration, String baselineName, ClassificationReport baseline,
                              Bootstrap.Intervals baselineIntervals, PairedTest versusBaseline) {
    /** Seed of every bootstrap here, so the model and its baseline are resampled alike. */
    static final long BOOTSTRAP_SEED = 20240101L;

    /** Scored alone, or beside the keyword rule when the classes are the digestive-tract ones. */
    public static ModelEvaluation of(TextClassifier classifier, Corpus corpus, String split) {
        return of(classifier, corpus, split, defaultBaseline(classifier.labels()));
    }

    /** The baseline when no training file is at hand: the keyword rule for the digestive-tract classes, else none. */
    public static Baseline defaultBaseline(List<String> labelNames) {
        return KeywordRuleBaseline.appliesTo(labelNames) ? KeywordRuleBaseline.INSTANCE : null;
    }

    /** Scored beside a baseline (null: none). */
    public static ModelEvaluation of(TextClassifier classifier, Corpus corpus, String split, Baseline baseline) {
        return of(classifier.probabilities(corpus.texts(), TextClassifier.DEFAULT_BATCH), classifier.labels(), corpus,
                split, baseline);
    }

    /** Any model's class probabilities of the corpus's texts (in its order), scored beside a baseline (null: none). */
    public static ModelEvaluation of(float[][] probs, List<String> names, Corpus corpus, String split,
                                     Baseline baseline) {
        int[] pred = new int[probs.length];
        for (int i = 0; i < probs.length; i++) {
            pred[i] = Loss.argmax(probs[i]);
        }
        int[] truth = corpus.labels();
        ClassificationReport base = null;
        Bootstrap.Intervals baseIntervals = null;
        PairedTest paired = null;
        if (baseline != null) {
            int[] bp = baseline.predict(corpus);
            base = ClassificationReport.of(truth, bp, names);
            baseIntervals = Bootstrap.of(truth, bp, names, Bootstrap.DEFAULT_RESAMPLES, BOOTSTRAP_SEED);
            paired = PairedTest.of(truth, pred, bp, names, Bootstrap.DEFAULT_RESAMPLES, BOOTSTRAP_SEED);
        }
        return new ModelEvaluation(split, corpus, names, probs, pred, ClassificationReport.of(truth, pred, names),
                Bootstrap.of(truth, pred, names, Bootstrap.DEFAULT_RESAMPLES, BOOTSTRAP_SEED),
                Calibration.of(probs, truth, Calibration.DEFAULT_BINS), baseline == null ? null : baseline.name(),
                base, baseIntervals, paired);
    }

    /**
     * This model (A) against another scored on the same texts (B), text by text: McNemar's exact test and paired
     * bootstrap intervals of the differences (a student against its teacher, one start against another).
     */
    public PairedTest versus(ModelEvaluation other) {
        checkSameTexts(other);
        return PairedTest.of(corpus.labels(), predictions, other.predictions, labelNames,
                Bootstrap.DEFAULT_RESAMPLES, BOOTSTRAP_SEED);
    }

    /** Refuses {@code other} unless it was scored on the same texts, in the same order (a paired test needs that). */
    public void checkSameTexts(ModelEvaluation other) {
        if (!other.corpus.texts().equals(corpus.texts())) {
            throw new IllegalArgumentException("a paired test needs both models scored on the same texts: "
                    + split + " (" + corpus.size() + " texts) and " + other.split + " (" + other.corpus.size() + ")");
        }
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

    /** Accuracy, macro-F1 (with intervals), weighted F1 and ECE next to the baseline's. */
    public Table summaryTable() {
        StringColumn metric = StringColumn.create("metric");
        StringColumn model = StringColumn.create("model (95% CI)");
        StringColumn rule = StringColumn.create(baselineName == null ? "no baseline" : baselineName + " (95% CI)");
        metric.append("accuracy");
        model.append(intervals.accuracy().toString());
        rule.append(baseline == null ? "" : baselineIntervals.accuracy().toString());
        metric.append("macro F1");
        model.append(intervals.macroF1().toString());
        rule.append(baseline == null ? "" : baselineIntervals.macroF1().toString());
        metric.append("weighted F1");
        model.append(String.format(Locale.ROOT, "%.4f", report.weightedF1()));
        rule.append(baseline == null ? "" : String.format(Locale.ROOT, "%.4f", baseline.weightedF1()));
        metric.append("expected calibration error");
        model.append(String.format(Locale.ROOT, "%.4f", calibration.ece()));
        rule.append("");
        return Table.create("Scores on " + split + " (" + corpus.size() + " texts)", metric, model, rule);
    }

    /**
     * The one class the model predicts for every text, or null when it predicts two or more: such a model's
     * accuracy is that class's share of the texts, not anything it learnt.
     */
    public String singleClassPredicted() {
        if (predictions.length == 0 || Arrays.stream(predictions).distinct().count() > 1) {
            return null;
        }
        return labelNames.get(predictions[0]);
    }

    /**
     * The classes with support whose F1 is 0 (never predicted right), each with its support, in one line: the tail
     * that fails, without reading a table of every class ("" when none).
     */
    public String zeroF1Line() {
        List<String> zero = new ArrayList<>();
        long texts = 0;
        for (int c = 0; c < labelNames.size(); c++) {
            long support = report.confusion().support(c);
            if (support > 0 && report.f1()[c] == 0) {
                zero.add(labelNames.get(c) + " (" + support + ")");
                texts += support;
            }
        }
        if (zero.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "%d of %d classes have F1 0 on %s (none of their %d texts predicted right;"
                + " support in brackets): %s", zero.size(), labelNames.size(), split, texts, String.join(", ", zero));
    }

    /** The model against the baseline on the same texts, one sentence ("" without a baseline). */
    public String versusBaselineLine() {
        if (versusBaseline == null) {
            return "";
        }
        return String.format(Locale.ROOT, "Model against %s on the same %d texts: %d only the model gets right, %d only"
                        + " the baseline, McNemar exact p %.4f; accuracy difference %s, macro-F1 difference %s (paired"
                        + " bootstrap p %.4f)", baselineName, versusBaseline.n(), versusBaseline.onlyA(),
                versusBaseline.onlyB(), versusBaseline.mcnemarP(), versusBaseline.accuracyDiff(),
                versusBaseline.macroF1Diff(), versusBaseline.macroF1P());
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
        if (baseline != null) {
            Map<String, Object> rule = scoresJson(baselineName, baseline, baselineIntervals);
            rule.put("model_minus_baseline", versusBaseline.toJson("model", "baseline"));
            m.put("baseline", rule);
        }
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("resamples", Bootstrap.DEFAULT_RESAMPLES);
        bootstrap.put("seed", BOOTSTRAP_SEED);
        m.put("bootstrap", bootstrap);
        return m;
    }

    public void writeJson(Path file) throws IOException {
        write(file, toJson());
    }

    /** The metrics as JSON with further top-level entries (e.g. "versus": {@link #versusJson}). */
    public void writeJson(Path file, Map<String, Object> extra) throws IOException {
        Map<String, Object> m = toJson();
        m.putAll(extra);
        write(file, m);
    }

    /**
     * Another model scored on the same texts, as JSON: its scores and this model against it, text by text
     * ({@code paired}: {@link #versus} of the two).
     */
    public Map<String, Object> versusJson(ModelEvaluation other, PairedTest paired, String otherName) {
        Map<String, Object> o = scoresJson(otherName, other.report, other.intervals);
        o.put("model_minus_other", paired.toJson("model", "other"));
        return o;
    }

    /** This model against another scored on the same texts, one sentence ({@code t}: {@link #versus} of the two). */
    public String versusLine(ModelEvaluation other, PairedTest t, String otherName) {
        return String.format(Locale.ROOT, "Model against %s (accuracy %s, macro-F1 %s) on the same %d texts: %d only the"
                        + " model gets right, %d only the other, McNemar exact p %.4f; accuracy difference %s, macro-F1"
                        + " difference %s (paired bootstrap p %.4f)", otherName, other.intervals.accuracy(),
                other.intervals.macroF1(), t.n(), t.onlyA(), t.onlyB(), t.mcnemarP(), t.accuracyDiff(),
                t.macroF1Diff(), t.macroF1P());
    }

    /** Another classifier's accuracy and macro-F1 on these texts, with their intervals. */
    private static Map<String, Object> scoresJson(String name, ClassificationReport r, Bootstrap.Intervals ci) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("accuracy", r.accuracy());
        m.put("accuracy_ci95", new double[]{ci.accuracy().low(), ci.accuracy().high()});
        m.put("macro_f1", r.macroF1());
        m.put("macro_f1_ci95", new double[]{ci.macroF1().low(), ci.macroF1().high()});
        return m;
    }

    private static void write(Path file, Map<String, Object> json) throws IOException {
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(json) + "\n");
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
