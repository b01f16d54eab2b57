package cn.clinicaltext.workbench.eval;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mean and standard deviation of test scores over runs that differ only in their seed (e.g. weights/albert-tiny,
 * weights/albert-tiny-seed43, ...), read from each run's metrics-test.json: the figure a paper should report.
 */
public final class MultiSeedSummary {
    private MultiSeedSummary() {
    }

    public static Table of(Path weightsDir, String runPrefix) throws IOException {
        List<Path> runs = new ArrayList<>();
        if (Files.isDirectory(weightsDir)) {
            try (var dirs = Files.list(weightsDir)) {
                dirs.filter(d -> d.getFileName().toString().startsWith(runPrefix))
                        .filter(d -> Files.exists(d.resolve("metrics-test.json"))).sorted().forEach(runs::add);
            }
        }
        DescriptiveStatistics acc = new DescriptiveStatistics();
        DescriptiveStatistics macro = new DescriptiveStatistics();
        StringColumn names = StringColumn.create("runs");
        for (Path run : runs) {
            JsonObject m = JsonParser.parseString(Files.readString(run.resolve("metrics-test.json"))).getAsJsonObject();
            acc.addValue(m.get("accuracy").getAsDouble());
            macro.addValue(m.get("macro_f1").getAsDouble());
        }
        names.append(String.join(", ", runs.stream().map(r -> r.getFileName().toString()).toList()));
        IntColumn n = IntColumn.create("seeds", new int[]{runs.size()});
        DoubleColumn accMean = DoubleColumn.create("accuracy mean", new double[]{round(acc.getMean())});
        DoubleColumn accSd = DoubleColumn.create("accuracy sd", new double[]{runs.size() < 2 ? Double.NaN : round(acc.getStandardDeviation())});
        DoubleColumn f1Mean = DoubleColumn.create("macro F1 mean", new double[]{round(macro.getMean())});
        DoubleColumn f1Sd = DoubleColumn.create("macro F1 sd", new double[]{runs.size() < 2 ? Double.NaN : round(macro.getStandardDeviation())});
        return Table.create("Test scores over seeds (sd is NaN with one run)", n, accMean, accSd, f1Mean, f1Sd, names);
    }

    /** Mean and sd of test scores over models that differ only in their seed, scored on the same texts. */
    public static Table of(Map<String, ModelEvaluation> bySeed) {
        DescriptiveStatistics acc = new DescriptiveStatistics();
        DescriptiveStatistics macro = new DescriptiveStatistics();
        for (ModelEvaluation e : bySeed.values()) {
            acc.addValue(e.report().accuracy());
            macro.addValue(e.report().macroF1());
        }
        int n = bySeed.size();
        return Table.create("Test scores over " + n + " seeds (mean ± sd" + (n < 2 ? "; sd needs two seeds" : "") + ")",
                IntColumn.create("seeds", new int[]{n}),
                DoubleColumn.create("accuracy mean", new double[]{round(acc.getMean())}),
                DoubleColumn.create("accuracy sd", new double[]{n < 2 ? Double.NaN : round(acc.getStandardDeviation())}),
                DoubleColumn.create("macro F1 mean", new double[]{round(macro.getMean())}),
                DoubleColumn.create("macro F1 sd", new double[]{n < 2 ? Double.NaN : round(macro.getStandardDeviation())}),
                StringColumn.create("models", List.of(String.join(", ", bySeed.keySet()))));
    }

    private static double round(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 10000) / 10000.0;
    }
}
