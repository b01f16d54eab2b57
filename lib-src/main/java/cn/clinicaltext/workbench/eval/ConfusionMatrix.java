package cn.clinicaltext.workbench.eval;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/** Counts of (true class, predicted class) pairs; rows are true classes, columns predictions. */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final List<String> labelNames;

    private ConfusionMatrix(long[][] counts, List<String> labelNames) {
        this.counts = counts;
        this.labelNames = List.copyOf(labelNames);
    }

    public static ConfusionMatrix of(int[] truth, int[] predicted, List<String> labelNames) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int k = labelNames.size();
        long[][] counts = new long[k][k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("label out of range 0.." + (k - 1) + " at index " + i);
            }
            counts[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, labelNames);
    }

    public int numClasses() {
        return counts.length;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    public long support(int label) {
        long n = 0;
        for (long c : counts[label]) {
            n += c;
        }
        return n;
    }

    public long predictedCount(int label) {
        long n = 0;
        for (long[] row : counts) {
            n += row[label];
        }
        return n;
    }

    /** Row-normalised share: of the texts of class {@code truth}, the share predicted as {@code predicted}. */
    public double rowShare(int truth, int predicted) {
        long support = support(truth);
        return support == 0 ? 0 : (double) counts[truth][predicted] / support;
    }

    /** Counts as a table: one row per true class, one column per predicted class. */
    public Table toTable() {
        Table table = Table.create("Confusion matrix (rows: true, columns: predicted)");
        table.addColumns(StringColumn.create("true \\ predicted", labelNames));
        for (int p = 0; p < numClasses(); p++) {
            int[] column = new int[numClasses()];
            for (int t = 0; t < numClasses(); t++) {
                column[t] = (int) counts[t][p];
            }
            table.addColumns(IntColumn.create(labelNames.get(p), column));
        }
        return table;
    }

    /** Row-normalised shares as a table. */
    public Table toRowNormalisedTable() {
        Table table = Table.create("Confusion matrix, row-normalised");
        table.addColumns(StringColumn.create("true \\ predicted", labelNames));
        for (int p = 0; p < numClasses(); p++) {
            double[] column = new double[numClasses()];
            for (int t = 0; t < numClasses(); t++) {
                column[t] = Math.round(rowShare(t, p) * 1000) / 1000.0;
            }
            table.addColumns(DoubleColumn.create(labelNames.get(p), column));
        }
        return table;
    }
}
