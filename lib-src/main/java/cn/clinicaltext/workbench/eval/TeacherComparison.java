package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.train.TrainingResult;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Students beside their teacher (notebook 09): every model scored once on the same test texts, each against the
 * teacher text by text ({@link PairedTest}: McNemar's exact test, paired bootstrap of the accuracy difference) and
 * against the baseline; mean and sd over seeds per kind of model. The models are trained and loaded by the run
 * layer ({@code Run.compareWithTeacher}); this is their result.
 *
 * @param teacher the teacher's test scores (with the baseline's)
 * @param models  every other model, in the order given
 */
public record TeacherComparison(ModelEvaluation teacher, List<Scored> models) {
    /**
     * One model's test scores.
     *
     * @param model how tables call its kind ("task-specific student", "random start", ...)
     * @param seed  its seed
     * @param test  its scores on the teacher's test texts, beside the same baseline
     */
    public record Scored(String model, long seed, ModelEvaluation test) {
        /** This model (A) against the teacher (B). */
        public PairedTest versus(ModelEvaluation teacher) {
            return test.versus(teacher);
        }
    }

    /** A trained model to score beside the teacher: its kind, seed and folder. */
    public record Candidate(String model, long seed, Path dir) {
        /** Models of one kind trained one per seed ({@code results} in the order of {@code seeds}). */
        public static List<Candidate> of(String model, List<Long> seeds, List<TrainingResult> results) {
            if (seeds.size() != results.size()) {
                throw new IllegalArgumentException(model + ": " + results.size() + " models for " + seeds.size()
                        + " seeds");
            }
            List<Candidate> out = new ArrayList<>();
            for (int i = 0; i < seeds.size(); i++) {
                out.add(new Candidate(model, seeds.get(i), results.get(i).runDir()));
            }
            return out;
        }

        /** Every run of a comparison of starting points, named by its start. */
        public static List<Candidate> of(StartComparison starts) {
            return starts.runs().stream().map(r -> new Candidate(r.start(), r.seed(), r.runDir())).toList();
        }
    }

    public TeacherComparison {
        models = List.copyOf(models);
        for (Scored s : models) {
            teacher.checkSameTexts(s.test());     // refuses models scored on other texts before any table is drawn
        }
    }

    /**
     * One row per model, the teacher first: test accuracy and macro-F1 with 95% bootstrap intervals, the accuracy
     * difference to the teacher with its paired interval and McNemar p, and McNemar p against the baseline.
     */
    public Table runsTable() {
        StringColumn model = StringColumn.create("model");
        StringColumn seed = StringColumn.create("seed");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        StringColumn accCi = StringColumn.create("accuracy 95% CI");
        DoubleColumn f1 = DoubleColumn.create("macro-F1");
        StringColumn f1Ci = StringColumn.create("macro-F1 95% CI");
        StringColumn diff = StringColumn.create("accuracy − teacher (95% CI)");
        StringColumn pTeacher = StringColumn.create("McNemar p vs teacher");
        StringColumn pBaseline = StringColumn.create("McNemar p vs baseline");
        List<ModelEvaluation> rows = new ArrayList<>();
        rows.add(teacher);
        models.forEach(s -> rows.add(s.test()));
        for (int i = 0; i < rows.size(); i++) {
            ModelEvaluation e = rows.get(i);
            boolean isTeacher = i == 0;
            model.append(isTeacher ? "teacher" : models.get(i - 1).model());
            seed.append(isTeacher ? "" : String.valueOf(models.get(i - 1).seed()));
            acc.append(round(e.intervals().accuracy().estimate()));
            accCi.append(interval(e.intervals().accuracy()));
            f1.append(round(e.intervals().macroF1().estimate()));
            f1Ci.append(interval(e.intervals().macroF1()));
            PairedTest t = isTeacher ? null : e.versus(teacher);
            diff.append(t == null ? "" : t.accuracyDiff().toString());
            pTeacher.append(t == null ? "" : p(t.mcnemarP()));
            pBaseline.append(e.versusBaseline() == null ? "" : p(e.versusBaseline().mcnemarP()));
        }
        return Table.create("Test scores of the teacher and each model (" + teacher.corpus().size() + " texts)",
                model, seed, acc, accCi, f1, f1Ci, diff, pTeacher, pBaseline);
    }

    /** Mean and sd over seeds of each kind of model, with the teacher and the baseline as single rows. */
    public Table summaryTable() {
        ScoresOverSeeds summary = summary();
        Table table = summary.table("model");
        DoubleColumn gap = DoubleColumn.create("accuracy − teacher");
        double teacherAcc = teacher.report().accuracy();
        summary.asMap().keySet().forEach(name -> gap.append(round(summary.meanAccuracy(name) - teacherAcc)));
        return table.addColumns(gap);
    }

    /**
     * Accuracy and macro-F1 over seeds: the teacher, each kind of model in order of first appearance, then the
     * baseline (one value each for the teacher and the baseline).
     */
    public ScoresOverSeeds summary() {
        ScoresOverSeeds out = new ScoresOverSeeds();
        out.add("teacher", teacher.report().accuracy(), teacher.report().macroF1());
        models.forEach(s -> out.add(s.model(), s.test().report().accuracy(), s.test().report().macroF1()));
        if (teacher.baseline() != null) {
            out.add(teacher.baselineName(), teacher.baseline().accuracy(), teacher.baseline().macroF1());
        }
        return out;
    }

    private static String interval(Bootstrap.Interval i) {
        return String.format(Locale.ROOT, "[%.3f, %.3f]", i.low(), i.high());
    }

    private static String p(double p) {
        return p < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    private static double round(double x) {
        return ScoresOverSeeds.round(x);
    }
}
