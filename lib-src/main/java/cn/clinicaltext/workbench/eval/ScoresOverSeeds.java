package cn.clinicaltext.workbench.eval;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test accuracy and macro-F1 over seeds, per named group (a start, a kind of model) in order of first appearance:
 * the one mean-and-sd summary behind {@link StartComparison} and {@link TeacherComparison} and their charts.
 */
public final class ScoresOverSeeds {
    private final Map<String, DescriptiveStatistics[]> byName = new LinkedHashMap<>();

    /** Adds one seed's scores to the group {@code name}. */
    public ScoresOverSeeds add(String name, double accuracy, double macroF1) {
        DescriptiveStatistics[] d = byName.computeIfAbsent(name,
                k -> new DescriptiveStatistics[]{new DescriptiveStatistics(), new DescriptiveStatistics()});
        d[0].addValue(accuracy);
        d[1].addValue(macroF1);
        return this;
    }

    /** Per group: statistics of accuracy [0] and macro-F1 [1] over seeds (read-only). */
    public Map<String, DescriptiveStatistics[]> asMap() {
        return Collections.unmodifiableMap(byName);
    }

    /** Mean accuracy of one group. */
    public double meanAccuracy(String name) {
        return byName.get(name)[0].getMean();
    }

    /** Mean macro-F1 of one group. */
    public double meanMacroF1(String name) {
        return byName.get(name)[1].getMean();
    }

    /**
     * One row per group: its name (in column {@code groupColumn}), the number of seeds, and mean and sd of accuracy
     * and macro-F1 (sd NaN with one seed).
     */
    public Table table(String groupColumn) {
        StringColumn group = StringColumn.create(groupColumn);
        IntColumn n = IntColumn.create("seeds");
        DoubleColumn accMean = DoubleColumn.create("accuracy mean");
        DoubleColumn accSd = DoubleColumn.create("accuracy sd");
        DoubleColumn f1Mean = DoubleColumn.create("macro-F1 mean");
        DoubleColumn f1Sd = DoubleColumn.create("macro-F1 sd");
        byName.forEach((name, d) -> {
            group.append(name);
            n.append((int) d[0].getN());
            accMean.append(round(d[0].getMean()));
            accSd.append(sd(d[0]));
            f1Mean.append(round(d[1].getMean()));
            f1Sd.append(sd(d[1]));
        });
        return Table.create("Test scores over seeds (mean and sd)", group, n, accMean, accSd, f1Mean, f1Sd);
    }

    private static double sd(DescriptiveStatistics d) {
        return d.getN() < 2 ? Double.NaN : round(d.getStandardDeviation());
    }

    static double round(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 10000) / 10000.0;
    }
}
