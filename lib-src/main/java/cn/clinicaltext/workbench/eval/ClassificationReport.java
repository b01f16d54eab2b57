package cn.clinicaltext.workbench.eval;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Locale;

/**
 * Accuracy, per-class precision/recall/F1 with support, and macro and weighted F1 of one set of predictions.
 * A class never predicted has precision 0 (and F1 0), as scikit-learn reports with zero_division=0.
 */
public record ClassificationReport(ConfusionMatrix confusion, double accuracy, double[] precision, double[] recall,
                                   double[] f1, double macroF1, double weightedF1) {

    public static ClassificationReport of(int[] truth, int[] predicted, List<String> labelNames) {
        ConfusionMatrix cm = ConfusionMatrix.of(truth, predicted, labelNames);
        int k = cm.numClasses();
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        long correct = 0;
        double macro = 0;
        double weighted = 0;
        for (int c = 0; c < k; c++) {
            long tp = cm.count(c, c);
            correct += tp;
            long predictedC = cm.predictedCount(c);
            long support = cm.support(c);
            precision[c] = predictedC == 0 ? 0 : (double) tp / predictedC;
            recall[c] = support == 0 ? 0 : (double) tp / support;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
            macro += f1[c] / k;
            weighted += f1[c] * support;
        }
        long n = cm.total();
        return new ClassificationReport(cm, n == 0 ? 0 : (double) correct / n, precision, recall, f1, macro,
                n == 0 ? 0 : weighted / n);
    }

    /** Per-class rows plus macro and weighted averages, rounded to 4 decimals, with support. */
    public Table toTable(String title) {
        int k = confusion.numClasses();
        StringColumn name = StringColumn.create("class");
        DoubleColumn p = DoubleColumn.create("precision");
        DoubleColumn r = DoubleColumn.create("recall");
        DoubleColumn f = DoubleColumn.create("F1");
        IntColumn support = IntColumn.create("support");
        double macroP = 0;
        double macroR = 0;
        for (int c = 0; c < k; c++) {
            name.append(confusion.labelNames().get(c));
            p.append(round(precision[c]));
            r.append(round(recall[c]));
            f.append(round(f1[c]));
            support.append((int) confusion.support(c));
            macroP += precision[c] / k;
            macroR += recall[c] / k;
        }
        name.append("macro avg");
        p.append(round(macroP));
        r.append(round(macroR));
        f.append(round(macroF1));
        support.append((int) confusion.total());
        name.append("weighted avg");
        double wp = 0;
        double wr = 0;
        for (int c = 0; c < k; c++) {
            wp += precision[c] * confusion.support(c) / Math.max(1, confusion.total());
            wr += recall[c] * confusion.support(c) / Math.max(1, confusion.total());
        }
        p.append(round(wp));
        r.append(round(wr));
        f.append(round(weightedF1));
        support.append((int) confusion.total());
        return Table.create(title + String.format(Locale.ROOT, " (accuracy %.4f)", accuracy), name, p, r, f, support);
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
