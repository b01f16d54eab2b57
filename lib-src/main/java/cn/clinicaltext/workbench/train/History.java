package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The per-epoch history of a run, as a table and as {@code history.csv} so curves can be re-plotted later. */
public final class History {
    static final String HEADER = "epoch,step,lr,train_loss,train_acc,val_loss,val_acc,val_macro_f1,test_acc,seconds";
    /** The header before val_macro_f1 was recorded; such files are still read (macro-F1 NaN). */
    private static final String OLD_HEADER = "epoch,step,lr,train_loss,train_acc,val_loss,val_acc,test_acc,seconds";
    private final List<EpochStats> rows = new ArrayList<>();

    /** A history of these rows. */
    public static History of(List<EpochStats> rows) {
        History h = new History();
        rows.forEach(h::add);
        return h;
    }

    public void add(EpochStats s) {
        rows.add(s);
    }

    public List<EpochStats> rows() {
        return List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }

    /** Wall time of every epoch (training and validation), over all the sessions that ran the run. */
    public double seconds() {
        return rows.stream().mapToDouble(EpochStats::seconds).sum();
    }

    public EpochStats last() {
        return rows.get(rows.size() - 1);
    }

    public Table toTable() {
        IntColumn epoch = IntColumn.create("epoch");
        LongColumn step = LongColumn.create("step");
        DoubleColumn lr = DoubleColumn.create("lr");
        DoubleColumn trainLoss = DoubleColumn.create("train loss");
        DoubleColumn trainAcc = DoubleColumn.create("train acc");
        DoubleColumn valLoss = DoubleColumn.create("val loss");
        DoubleColumn valAcc = DoubleColumn.create("val acc");
        DoubleColumn valF1 = DoubleColumn.create("val macro-F1");
        DoubleColumn testAcc = DoubleColumn.create("test acc");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        for (EpochStats s : rows) {
            epoch.append(s.epoch());
            step.append(s.step());
            lr.append(Double.parseDouble(String.format(Locale.ROOT, "%.3g", s.learningRate())));
            trainLoss.append(round(s.trainLoss()));
            trainAcc.append(round(s.trainAccuracy()));
            valLoss.append(round(s.valLoss()));
            valAcc.append(round(s.valAccuracy()));
            valF1.append(round(s.valMacroF1()));
            testAcc.append(round(s.testAccuracy()));
            seconds.append(Math.round(s.seconds() * 10) / 10.0);
        }
        return Table.create("Training history", epoch, step, lr, trainLoss, trainAcc, valLoss, valAcc, valF1, testAcc, seconds);
    }

    private static double round(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 10000) / 10000.0;
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (EpochStats s : rows) {
            b.append(String.format(Locale.ROOT, "%d,%d,%.8g,%.6f,%.6f,%.6f,%.6f,%.6f,%s,%.2f%n", s.epoch(), s.step(),
                    s.learningRate(), s.trainLoss(), s.trainAccuracy(), s.valLoss(), s.valAccuracy(), s.valMacroF1(),
                    Double.isNaN(s.testAccuracy()) ? "" : String.format(Locale.ROOT, "%.6f", s.testAccuracy()), s.seconds()));
        }
        AtomicFiles.writeString(file, b.toString());
    }

    public static History readCsv(Path file) throws IOException {
        History h = new History();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean old = !lines.isEmpty() && lines.get(0).equals(OLD_HEADER);
        if (lines.isEmpty() || !(old || lines.get(0).equals(HEADER))) {
            throw new IOException(file + ": not a history file (expected header " + HEADER + ")");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            try {
                int t = old ? 7 : 8;
                h.add(new EpochStats(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                        old ? Double.NaN : Double.parseDouble(f[7]),
                        f[t].isEmpty() ? Double.NaN : Double.parseDouble(f[t]), Double.parseDouble(f[t + 1])));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + (i + 1) + ": bad history row (" + e.getMessage() + ")", e);
            }
        }
        return h;
    }
}
