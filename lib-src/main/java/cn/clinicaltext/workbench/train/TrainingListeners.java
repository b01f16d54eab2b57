package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.Progress;
import cn.clinicaltext.workbench.model.AlbertParams;
import com.google.gson.GsonBuilder;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every run does around the {@link TrainingLoop}, one listener per concern: keeping the model, the history file,
 * the session record, progress bars and log lines. Each kind of run gives the parts that are its own (how a model is
 * written, how a row is worded).
 */
public final class TrainingListeners {
    private TrainingListeners() {
    }

    /** Writes a model (the weights and what they are). */
    @FunctionalInterface
    public interface ModelWriter<R> {
        void write(AlbertParams params, TrainingLoop.Position<R> at) throws IOException;
    }

    /** Writes the rows of a history to a file. */
    @FunctionalInterface
    public interface HistoryWriter<R> {
        void write(List<R> rows, Path file) throws IOException;
    }

    /** Keeps the model of every point the verdict keeps: the best so far, or the latest when nothing is monitored. */
    public static <R> TrainingLoop.Listener<R> keep(ModelWriter<R> writer) {
        return new TrainingLoop.Listener<>() {
            @Override
            public void evaluated(TrainingLoop.Position<R> at, TrainingLoop.Verdict verdict, AlbertParams params)
                    throws IOException {
                if (verdict.keeps()) {
                    writer.write(params, at);
                }
            }
        };
    }

    /** Rewrites {@code dir/history.csv} at every evaluation point. */
    public static <R> TrainingLoop.Listener<R> historyFile(Path dir, HistoryWriter<R> writer) {
        return new TrainingLoop.Listener<>() {
            @Override
            public void evaluated(TrainingLoop.Position<R> at, TrainingLoop.Verdict verdict, AlbertParams params)
                    throws IOException {
                writer.write(at.history(), dir.resolve("history.csv"));
            }
        };
    }

    /**
     * The session record ({@link TrainingState#SESSION_FILE}), written when a session of the loop ends: how it
     * stopped, the kind's own facts ({@code facts}), this session's seconds and tokens, and when it finished.
     */
    public static <R> TrainingLoop.Listener<R> sessionRecord(Path dir,
                                                             Function<TrainingLoop.Outcome<R>, Map<String, Object>> facts) {
        return new TrainingLoop.Listener<>() {
            @Override
            public void ended(TrainingLoop.Outcome<R> outcome) throws IOException {
                Map<String, Object> info = new LinkedHashMap<>(facts.apply(outcome));
                double seconds = outcome.seconds();
                info.put("wall_seconds_this_session", Math.round(seconds * 10) / 10.0);
                info.put("train_tokens_this_session", outcome.tokens());
                info.put("train_tokens_per_s", seconds > 0 ? Math.round(outcome.tokens() / seconds) : 0);
                info.put("finished", Provenance.now());
                AtomicFiles.writeString(dir.resolve(TrainingState.SESSION_FILE),
                        new GsonBuilder().setPrettyPrinting().create().toJson(info) + "\n");
            }
        };
    }

    /**
     * Progress bars on standard error (one per stretch between evaluation points) and log lines on {@code out}; the
     * kind of run words them.
     */
    public abstract static class Console<R> implements TrainingLoop.Listener<R> {
        protected final PrintStream out;
        private final Path dir;
        private ProgressBar bar;

        protected Console(PrintStream out, Path dir) {
            this.out = out;
            this.dir = dir;
        }

        /** Where a resumed run stands ("after epoch 2 (step 126)"). */
        protected abstract String resumedAt(TrainingLoop.Position<R> at);

        /** The bar's name for steps first..last ("epoch 3", "pretrain 1-20"). */
        protected abstract String label(long firstStep, long lastStep);

        /** The bar's running figures (" loss 0.4123 acc 0.8800 lr 4.00e-05"). */
        protected abstract String figures(TrainingLoop.Running since);

        /** The log line of an evaluation point. */
        protected abstract String line(TrainingLoop.Position<R> at, TrainingLoop.Verdict verdict);

        @Override
        public void begin(TrainingLoop.Position<R> at, boolean resumed) {
            if (resumed) {
                out.println("Resuming " + dir + " " + resumedAt(at));
            }
        }

        @Override
        public void segment(long firstStep, long lastStep) {
            bar = Progress.bar(label(firstStep, lastStep), lastStep - firstStep + 1);
        }

        @Override
        public void stepped(long step, TrainingLoop.Running since) {
            bar.step();
            bar.setExtraMessage(figures(since));
        }

        @Override
        public void evaluated(TrainingLoop.Position<R> at, TrainingLoop.Verdict verdict, AlbertParams params) {
            closeBar();
            out.println(line(at, verdict));
        }

        @Override
        public void diverged(long step, double loss) {
            closeBar();
        }

        private void closeBar() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
