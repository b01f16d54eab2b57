package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The history of a pretraining run, one row per checkpoint, as a table and as {@code history.csv}: masked-LM loss and
 * accuracy, or for a task-agnostic distillation the hidden-state loss and the mean cosine of projected student and
 * teacher states (the file's header says which).
 */
public final class PretrainHistory {
    static final String HEADER = "step,epoch,lr,train_loss,train_acc,val_loss,val_acc,seconds";
    static final String DISTILLATION_HEADER = "step,epoch,lr,train_loss,train_cosine,val_loss,val_cosine,seconds";

    /**
     * One checkpoint: masked-LM loss and accuracy (share of masked tokens predicted right), or distillation loss and
     * cosine, over the training steps since the previous row, and on the held-out sequences; seconds since the
     * previous row.
     */
    public record Row(long step, double epoch, double learningRate, double trainLoss, double trainAccuracy,
                      double valLoss, double valAccuracy, double seconds) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final boolean distilled;

    /** @param distilled a task-agnostic distillation's history (accuracy columns: cosine), not masked-LM's */
    public PretrainHistory(boolean distilled) {
        this.distilled = distilled;
    }

    /** A history of these rows. */
    public static PretrainHistory of(List<Row> rows, boolean distilled) {
        PretrainHistory h = new PretrainHistory(distilled);
        rows.forEach(h::add);
        return h;
    }

    public boolean distilled() {
        return distilled;
    }

    public void add(Row r) {
        rows.add(r);
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }

    public Table toTable() {
        LongColumn step = LongColumn.create("step");
        DoubleColumn epoch = DoubleColumn.create("epoch");
        DoubleColumn lr = DoubleColumn.create("lr");
        String loss = distilled ? "distillation loss" : "MLM loss";
        String acc = distilled ? "cosine" : "MLM acc";
        DoubleColumn trainLoss = DoubleColumn.create("train " + loss);
        DoubleColumn trainAcc = DoubleColumn.create("train " + acc);
        DoubleColumn valLoss = DoubleColumn.create("val " + loss);
        DoubleColumn valAcc = DoubleColumn.create("val " + acc);
        DoubleColumn seconds = DoubleColumn.create("seconds");
        for (Row r : rows) {
            step.append(r.step());
            epoch.append(Math.round(r.epoch() * 100) / 100.0);
            lr.append(Double.parseDouble(String.format(Locale.ROOT, "%.3g", r.learningRate())));
            trainLoss.append(Math.round(r.trainLoss() * 10000) / 10000.0);
            trainAcc.append(Math.round(r.trainAccuracy() * 10000) / 10000.0);
            valLoss.append(Math.round(r.valLoss() * 10000) / 10000.0);
            valAcc.append(Math.round(r.valAccuracy() * 10000) / 10000.0);
            seconds.append(Math.round(r.seconds() * 10) / 10.0);
        }
        return Table.create(distilled ? "Distillation history" : "Pretraining history", step, epoch, lr, trainLoss,
                trainAcc, valLoss, valAcc, seconds);
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder(distilled ? DISTILLATION_HEADER : HEADER).append('\n');
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%d,%.4f,%.8g,%.6f,%.6f,%.6f,%.6f,%.2f%n", r.step(), r.epoch(),
                    r.learningRate(), r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(), r.seconds()));
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /**
     * Where the pretraining of a {@code pretrain} or {@code distil-pretrain} output folder stopped, for whoever
     * fine-tunes from it: the last checkpoint's step and held-out masked-token accuracy (or cosine) and loss, or null
     * for a folder without a pretraining history (a Google checkpoint; a history.csv of another kind there is not read
     * as one). Printed by {@code train} and kept in the run's weights origin because a start still on the frequency
     * plateau (held-out accuracy about 0.14 after 1,200 steps on the medical corpus, README "Real data") fine-tuned no
     * better than the random one.
     */
    public static String describe(Path pretrainedDir) throws IOException {
        Path file = pretrainedDir.resolve("history.csv");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!hasHeader(lines)) {
            return null;
        }
        PretrainHistory history = parse(file, lines);
        String what = history.distilled ? "task-agnostic distillation" : "masked-LM pretraining";
        if (history.rows.isEmpty()) {
            return what + " with no checkpoint recorded in " + file;
        }
        Row last = history.rows.get(history.rows.size() - 1);
        return String.format(Locale.ROOT, "%s stopped after step %d (%.1f passes over its corpus), held-out %s %.3f,"
                + " loss %.3f", what, last.step(), last.epoch(), history.distilled ? "cosine to the teacher"
                : "masked-token accuracy", last.valAccuracy(), last.valLoss());
    }

    public static PretrainHistory readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!hasHeader(lines)) {
            throw new IOException(file + ": not a pretraining history file (expected header " + HEADER + " or "
                    + DISTILLATION_HEADER + ")");
        }
        return parse(file, lines);
    }

    private static boolean hasHeader(List<String> lines) {
        return !lines.isEmpty() && (lines.get(0).equals(HEADER) || lines.get(0).equals(DISTILLATION_HEADER));
    }

    /** The rows of a history file whose header has been checked; a bad row is reported with its line. */
    private static PretrainHistory parse(Path file, List<String> lines) throws IOException {
        PretrainHistory h = new PretrainHistory(lines.get(0).equals(DISTILLATION_HEADER));
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            try {
                h.add(new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7])));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + (i + 1) + ": bad history row (" + e.getMessage() + ")", e);
            }
        }
        return h;
    }
}
