package cn.clinicaltext.workbench.eval;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Runs side by side: the settings that differ, each run's test scores with intervals (its main model) and over its
 * seeds (mean ± sd), and for every pair of runs scored on the same test texts a paired test of their main models
 * ({@link PairedTest}). Runs on different test texts are listed, never paired.
 *
 * @param runs     the runs, in the order given
 * @param pairs    every pair (i &lt; j)
 */
public record RunComparison(List<Run> runs, List<Pair> pairs) {
    /** Resamples and seed of the paired bootstrap. */
    static final int RESAMPLES = Bootstrap.DEFAULT_RESAMPLES;
    static final long SEED = 20240101L;
    private static final String ABSENT = "(absent)";

    /**
     * One run.
     *
     * @param name      how tables call it
     * @param settings  every setting, "path" to value (a run file's flattened form)
     * @param models    the test evaluation of each of its models, the main one first
     * @param testHash  identifies its test texts (SHA-256 of the test file)
     */
    public record Run(String name, Map<String, String> settings, List<ModelEvaluation> models, String testHash) {
        public Run {
            if (models.isEmpty()) {
                throw new IllegalArgumentException("run " + name + " has no trained model to compare");
            }
        }

        public ModelEvaluation main() {
            return models.get(0);
        }
    }

    /** Two runs; {@code test} is null when their test texts differ (the reason is in {@code note}). */
    public record Pair(String a, String b, PairedTest test, String note) {
    }

    public static RunComparison of(List<Run> runs) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                Run a = runs.get(i);
                Run b = runs.get(j);
                if (!Objects.equals(a.testHash(), b.testHash()) || a.testHash() == null) {
                    pairs.add(new Pair(a.name(), b.name(), null, "not paired: the test texts differ"));
                    continue;
                }
                ModelEvaluation ea = a.main();
                pairs.add(new Pair(a.name(), b.name(), PairedTest.of(ea.corpus().labels(), ea.predictions(),
                        b.main().predictions(), ea.labelNames(), RESAMPLES, SEED), ""));
            }
        }
        return new RunComparison(List.copyOf(runs), List.copyOf(pairs));
    }

    /** The settings whose values are not the same in every run. */
    public List<String> differingSettings() {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.settings().keySet()));
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            Set<String> distinct = new LinkedHashSet<>();
            runs.forEach(r -> distinct.add(r.settings().getOrDefault(k, ABSENT)));
            if (distinct.size() > 1) {
                out.add(k);
            }
        }
        return out;
    }

    /** A run's name with its values of the differing settings (at most three), for legends. */
    public String label(Run run) {
        List<String> keys = differingSettings();
        if (keys.isEmpty()) {
            return run.name();
        }
        StringJoiner j = new StringJoiner(", ", run.name() + " (", keys.size() > 3 ? ", …)" : ")");
        keys.stream().limit(3).forEach(k -> j.add(k + " " + run.settings().getOrDefault(k, ABSENT)));
        return j.toString();
    }

    /** The settings whose values are not the same in every run, one column per run. */
    public Table settingsTable() {
        StringColumn setting = StringColumn.create("setting");
        List<StringColumn> values = new ArrayList<>();
        for (Run r : runs) {
            values.add(StringColumn.create(r.name()));
        }
        for (String k : differingSettings()) {
            setting.append(k);
            for (int i = 0; i < runs.size(); i++) {
                values.get(i).append(runs.get(i).settings().getOrDefault(k, ABSENT));
            }
        }
        Table t = Table.create("Settings that differ (" + setting.size() + ")", setting);
        values.forEach(t::addColumns);
        return t;
    }

    /** Each run's main model with 95% intervals and its seeds' mean ± sd. */
    public Table metricsTable() {
        StringColumn name = StringColumn.create("run");
        IntColumn texts = IntColumn.create("test texts");
        StringColumn acc = StringColumn.create("accuracy, main model (95% CI)");
        StringColumn f1 = StringColumn.create("macro F1, main model (95% CI)");
        IntColumn seeds = IntColumn.create("seeds");
        StringColumn accSeeds = StringColumn.create("accuracy over seeds");
        StringColumn f1Seeds = StringColumn.create("macro F1 over seeds");
        StringColumn baseline = StringColumn.create("baseline macro F1 (95% CI)");
        for (Run r : runs) {
            ModelEvaluation m = r.main();
            name.append(r.name());
            texts.append(m.corpus().size());
            acc.append(m.intervals().accuracy().toString());
            f1.append(m.intervals().macroF1().toString());
            seeds.append(r.models().size());
            MultiSeedSummary.Scores overSeeds = MultiSeedSummary.Scores.of(r.models());
            accSeeds.append(meanSd(overSeeds.accuracy()));
            f1Seeds.append(meanSd(overSeeds.macroF1()));
            baseline.append(m.baseline() == null ? "" : m.baselineName() + " " + m.baselineIntervals().macroF1());
        }
        return Table.create("Test scores", name, texts, acc, f1, seeds, accSeeds, f1Seeds, baseline);
    }

    /** McNemar and the paired bootstrap for each pair of runs on the same test texts. */
    public Table pairedTable() {
        StringColumn a = StringColumn.create("A");
        StringColumn b = StringColumn.create("B");
        IntColumn onlyA = IntColumn.create("only A right");
        IntColumn onlyB = IntColumn.create("only B right");
        DoubleColumn mcnemar = DoubleColumn.create("McNemar exact p");
        StringColumn acc = StringColumn.create("accuracy A-B (95% CI)");
        StringColumn f1 = StringColumn.create("macro F1 A-B (95% CI)");
        DoubleColumn f1p = DoubleColumn.create("macro F1 bootstrap p");
        StringColumn note = StringColumn.create("note");
        for (Pair p : pairs) {
            a.append(p.a());
            b.append(p.b());
            if (p.test() == null) {
                onlyA.appendMissing();
                onlyB.appendMissing();
                mcnemar.appendMissing();
                acc.append("");
                f1.append("");
                f1p.appendMissing();
            } else {
                onlyA.append(p.test().onlyA());
                onlyB.append(p.test().onlyB());
                mcnemar.append(round(p.test().mcnemarP()));
                acc.append(p.test().accuracyDiff().toString());
                f1.append(p.test().macroF1Diff().toString());
                f1p.append(round(p.test().macroF1P()));
            }
            note.append(p.note());
        }
        return Table.create("Paired tests of the main models (" + RESAMPLES + " paired resamples)", a, b, onlyA,
                onlyB, mcnemar, acc, f1, f1p, note);
    }

    /** The run names, in order. */
    public List<String> names() {
        return runs.stream().map(Run::name).toList();
    }

    private static String meanSd(DescriptiveStatistics s) {
        return s.getN() < 2 ? String.format(Locale.ROOT, "%.4f (one seed)", s.getMean())
                : String.format(Locale.ROOT, "%.4f ± %.4f", s.getMean(), s.getStandardDeviation());
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
