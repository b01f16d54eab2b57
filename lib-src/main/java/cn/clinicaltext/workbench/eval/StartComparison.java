package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.train.TrainingConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The same fine-tuning from different starting points (a random start, a pretrained folder, ...) over several
 * seeds, each run scored once on the held-out test split: per-run scores with 95% bootstrap intervals, and mean
 * ± sd over seeds per start, the comparison a paper reports for pretraining. The runs are trained by the run layer
 * ({@code Run.compareStarts}); this is their result.
 *
 * @param runs every (start, seed) run in the order trained
 */
public record StartComparison(List<Run> runs) {
    /**
     * A starting point: a name for tables and figures, its pretrained start as a run setting names it (a folder,
     * {@code bge-small-zh-v1.5}, ...; null: random start) and the training settings that suit it (a random start
     * needs a learning rate ten times a pretrained one's: {@link TrainingConfig#SCRATCH}, {@link
     * TrainingConfig#FINE_TUNING}); each arm's seed is set by the comparison.
     */
    public record Start(String name, String pretrained, TrainingConfig training) {
        /** The seeded random initialisation, trained with {@code training}. */
        public static Start randomStart(TrainingConfig training) {
            return new Start("random start", null, training);
        }

        /** Pretrained weights (a folder, a named start) fine-tuned with {@code training}. */
        public static Start pretrained(String name, String start, TrainingConfig training) {
            return new Start(name, start, training);
        }

        public boolean isRandom() {
            return pretrained == null;
        }

        /** {@link TrainingConfig#SCRATCH}'s optimisation with the run's data settings (maxlen, batch, threads). */
        public static TrainingConfig fromScratch(TrainingConfig run) {
            return TrainingConfig.SCRATCH.with("data.maxlen", run.data().maxlen(),
                    "data.batchSize", run.data().batchSize(), "loop.threads", run.loop().threads());
        }
    }

    /**
     * One run's test scores.
     *
     * @param seconds      the model's training time, every session of it (a model reused from an earlier notebook
     *                     keeps the time it took there; the session that found it finished took none)
     * @param predictsOnly the one class the model predicts for every test text, or null (it predicts several)
     */
    public record Run(String start, long seed, Path runDir, int bestEpoch, double seconds, Bootstrap.Interval accuracy,
                      Bootstrap.Interval macroF1, String predictsOnly) {
    }

    public StartComparison {
        runs = List.copyOf(runs);
    }

    /** One row per run: start, seed, best epoch, test accuracy and macro-F1 with their 95% bootstrap intervals. */
    public Table runsTable() {
        StringColumn start = StringColumn.create("start");
        LongColumn seed = LongColumn.create("seed");
        IntColumn best = IntColumn.create("best epoch");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        StringColumn accCi = StringColumn.create("accuracy 95% CI");
        DoubleColumn f1 = DoubleColumn.create("macro-F1");
        StringColumn f1Ci = StringColumn.create("macro-F1 95% CI");
        DoubleColumn seconds = DoubleColumn.create("training s");
        StringColumn note = StringColumn.create("note");
        for (Run r : runs) {
            note.append(r.predictsOnly() == null ? "" : "predicts only '" + r.predictsOnly() + "'");
            start.append(r.start());
            seed.append(r.seed());
            best.append(r.bestEpoch());
            acc.append(round(r.accuracy().estimate()));
            accCi.append(String.format(Locale.ROOT, "[%.3f, %.3f]", r.accuracy().low(), r.accuracy().high()));
            f1.append(round(r.macroF1().estimate()));
            f1Ci.append(String.format(Locale.ROOT, "[%.3f, %.3f]", r.macroF1().low(), r.macroF1().high()));
            seconds.append(Math.round(r.seconds()));
        }
        return Table.create("Test scores per run", start, seed, best, acc, accCi, f1, f1Ci, seconds, note);
    }

    /**
     * What the numbers say, in sentences made from them (a notebook's closing words): the best and the worst start
     * by mean macro-F1, the spread between them, and every start whose models predict a single class.
     */
    public List<String> findings() {
        ScoresOverSeeds summary = summary();
        List<String> names = runs.stream().map(Run::start).distinct().toList();
        List<String> out = new ArrayList<>();
        String best = null;
        String worst = null;
        for (String n : names) {
            if (best == null || summary.meanMacroF1(n) > summary.meanMacroF1(best)) {
                best = n;
            }
            if (worst == null || summary.meanMacroF1(n) < summary.meanMacroF1(worst)) {
                worst = n;
            }
        }
        if (best != null) {
            out.add(String.format(Locale.ROOT, "Highest mean test macro-F1: %s (%.3f, accuracy %.3f); lowest: %s (%.3f,"
                            + " accuracy %.3f).", best, summary.meanMacroF1(best), summary.meanAccuracy(best), worst,
                    summary.meanMacroF1(worst), summary.meanAccuracy(worst)));
        }
        for (String n : names) {
            List<Run> of = runs.stream().filter(r -> r.start().equals(n)).toList();
            List<Run> single = of.stream().filter(r -> r.predictsOnly() != null).toList();
            if (!single.isEmpty()) {
                out.add(String.format(Locale.ROOT, "%s: %d of %d models predict a single class ('%s') for every test"
                                + " text, so their accuracy (%.3f) is that class's share of the test texts, not"
                                + " anything learnt; the start needs more training (epochs, or pretraining steps)"
                                + " before it can be compared.", n, single.size(), of.size(), single.get(0).predictsOnly(),
                        single.get(0).accuracy().estimate()));
            }
        }
        return out;
    }

    /** Mean and sd over seeds of each start's test accuracy and macro-F1 (sd NaN with one seed). */
    public Table summaryTable() {
        return summary().table("start");
    }

    /** Each start's test accuracy and macro-F1 over seeds, starts in order of first appearance. */
    public ScoresOverSeeds summary() {
        ScoresOverSeeds out = new ScoresOverSeeds();
        runs.forEach(r -> out.add(r.start(), r.accuracy().estimate(), r.macroF1().estimate()));
        return out;
    }

    private static double round(double x) {
        return ScoresOverSeeds.round(x);
    }
}
