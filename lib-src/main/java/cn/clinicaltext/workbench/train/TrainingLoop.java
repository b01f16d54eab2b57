package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.FolderLock;
import cn.clinicaltext.workbench.io.Progress;
import cn.clinicaltext.workbench.model.AlbertParams;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one loop of every run that optimises the encoder: fine-tuning a classifier ({@link Trainer}), masked-LM
 * pretraining ({@link Pretrainer}), and whatever comes next. What differs is the {@link Objective} (its batches, one
 * step's gradients, what an evaluation measures, what is kept, how its state is recorded); the loop is this:
 * <pre>
 *   lock the run's folder (one writer); resume from its state when the objective finds one of the same run
 *   for step = resumed + 1 .. steps:
 *       lr = schedule(step); grads = 0
 *       loss = objective.step(step, params, grads)              forward and backward of the step's batch
 *       a loss that is not finite ends the run (the last full state stays on disk)
 *       clip the gradients' global norm; Adam(W) update (only the batch's embedding rows when lazy)
 *       after an evaluation point's step: evaluate; keep the model when the monitored score improved (every
 *       point when nothing is monitored); early stopping after `patience` points without improvement;
 *       the history, then the full state (parameters, Adam moments, the position last)
 * </pre>
 * Batches, dropout masks and schedules are functions of (seed, step), so a run resumed from any saved state ends
 * with exactly the weights of an uninterrupted one. Progress bars and log lines go to a {@link Listener}.
 */
public final class TrainingLoop {
    private TrainingLoop() {
    }

    /** The optimiser every run has: Adam(W) with a learning-rate schedule and optional global-norm clipping. */
    public record Optimiser(LearningRateSchedule schedule, float adamEpsilon, float weightDecay, float clipNorm) {
    }

    /**
     * What one step did.
     *
     * @param loss      mean loss over what the step predicted (texts, or masked tokens)
     * @param predicted how many predictions the loss is the mean of (the weight of this step in running means)
     * @param correct   how many of them were right
     * @param tokens    tokens read
     * @param lazyRows  word-embedding rows to update lazily (TensorFlow's LazyAdam); null: every parameter as usual
     */
    public record Step(double loss, long predicted, long correct, long tokens, int[] lazyRows) {
    }

    /** Training figures since the last evaluation point (or the start of the session). */
    public record Running(double loss, double accuracy, double learningRate, double seconds) {
    }

    /**
     * Where a run stands: the last finished step, the best monitored score and its step, the evaluation points since
     * it last improved, and the history (one row per evaluation point).
     */
    public record Position<R>(long step, double bestScore, long bestStep, int badPoints, List<R> history) {
        public Position {
            history = List.copyOf(history);
        }

        static <R> Position<R> start(boolean higherIsBetter) {
            return new Position<>(0, higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, 0, 0,
                    List.of());
        }
    }

    /** What one kind of run adds to the loop. R is its history row. */
    public interface Objective<R> {
        /** The run's folder (locked while the loop runs) and what it does there, for another writer's message. */
        Path dir();

        String purpose();

        /** Optimiser steps of the whole run. */
        long steps();

        /** Whether the loop evaluates, keeps and saves after this step (the last step always is). */
        boolean evaluatesAfter(long step);

        /** Gradients of step {@code step}'s batch (1-based) into {@code grads}, zeroed by the loop. */
        Step step(long step, AlbertParams params, AlbertParams grads) throws IOException;

        /** Evaluates the weights after {@code step}: the history row. */
        R evaluate(long step, AlbertParams params, Running since);

        /** The monitored score of a row; NaN when the run selects nothing (every point is kept). */
        double score(R row);

        boolean higherIsBetter();

        /** Evaluation points without improvement before stopping; 0: no early stopping. */
        int patience();

        /** Writes the model at {@code at} (its best, or every point when nothing is monitored). */
        void keep(AlbertParams params, Position<R> at) throws IOException;

        void writeHistory(List<R> history) throws IOException;

        /** Writes the full state at {@code at} (parameters and Adam moments first, the position last). */
        void saveState(Position<R> at, AlbertParams params, Adam adam) throws IOException;

        /**
         * Restores a saved state into params and adam and returns its position; null when the folder has none.
         * A state of a different run (other data, settings or start) is an error naming the folder.
         */
        Position<R> restoreState(AlbertParams params, Adam adam) throws IOException;

        /** Where a resumed run stands, for its "Resuming DIR ..." line ("after epoch 2 (step 126)"). */
        String resumedAt(Position<R> at);

        /** Called once the position is known, before any step: files that do not change during the run. */
        default void begin(Position<R> at) throws IOException {
        }

        /** The progress bar's name for the steps up to the next evaluation point ("epoch 3", "pretrain"). */
        String progressLabel(long firstStep);

        /** The bar's running figures (" loss 0.4123 acc 0.8800 lr 4.00e-05"). */
        String progressMessage(Running running);

        /** The log line of an evaluation point. */
        String evaluationLine(R row, Position<R> at, boolean improved);

        /** Why a run that ran all its steps stopped; why one stopped early; what a resumed finished run says. */
        String capReason();

        String earlyStopReason(Position<R> at);

        /** The message of a loss that is not finite at {@code step}. */
        String divergedMessage(double loss, long step);
    }

    /** The loss became NaN or infinite; the message says where the last good model and state are. */
    public static final class DivergedException extends IOException {
        public DivergedException(String message) {
            super(message);
        }
    }

    /** Where progress and log lines go. */
    public interface Listener {
        /** A new stretch of {@code steps} steps, up to the next evaluation point. */
        void segment(String label, long steps);

        void stepped(String message);

        void endSegment();

        void line(String text);
    }

    /** How a session of the loop ended. */
    public record Outcome<R>(Position<R> end, String stopReason, double seconds, long tokens) {
    }

    /**
     * Runs the objective from its saved state (or the start) to its end or early stop. Closes nothing it was given:
     * params stay the caller's.
     */
    public static <R> Outcome<R> run(Objective<R> objective, AlbertParams params, Optimiser optimiser,
                                     Listener listener) throws IOException {
        long t0 = System.nanoTime();
        long tokens = 0;
        try (FolderLock lock = FolderLock.acquire(objective.dir(), objective.purpose());
             AlbertParams grads = params.zerosLike();
             Adam adam = new Adam(params, 0.9f, 0.999f, optimiser.adamEpsilon())) {
            Position<R> at = objective.restoreState(params, adam);
            boolean finished = false;
            String stopReason = objective.capReason();
            if (at == null) {
                at = Position.start(objective.higherIsBetter());
            } else {
                listener.line("Resuming " + objective.dir() + " " + objective.resumedAt(at));
                if (objective.patience() > 0 && at.badPoints() >= objective.patience()) {
                    finished = true;
                    stopReason = "early stopping (already finished before)";
                }
            }
            objective.begin(at);
            List<R> history = new ArrayList<>(at.history());
            double lossSum = 0;
            long predicted = 0;
            long correct = 0;
            double lr = 0;
            long segmentStart = System.nanoTime();
            boolean open = false;
            for (long step = at.step() + 1; step <= objective.steps() && !finished; step++) {
                if (!open) {
                    // a run starts, and resumes, at an evaluation point: each stretch to the next one is a bar
                    long end = step;
                    while (end < objective.steps() && !objective.evaluatesAfter(end)) {
                        end++;
                    }
                    listener.segment(objective.progressLabel(step), end - step + 1);
                    open = true;
                }
                lr = optimiser.schedule().rate(step);
                grads.fill(0f);
                Step s = objective.step(step, params, grads);
                if (!Double.isFinite(s.loss())) {
                    listener.endSegment();
                    throw new DivergedException(objective.divergedMessage(s.loss(), step));
                }
                if (optimiser.clipNorm() > 0) {
                    Adam.clipGlobalNorm(grads, optimiser.clipNorm());
                }
                adam.update(params, grads, (float) lr, optimiser.weightDecay(), s.lazyRows());
                lossSum += s.loss() * s.predicted();
                predicted += s.predicted();
                correct += s.correct();
                tokens += s.tokens();
                Running running = new Running(lossSum / Math.max(1, predicted),
                        (double) correct / Math.max(1, predicted), lr, (System.nanoTime() - segmentStart) / 1e9);
                listener.stepped(objective.progressMessage(running));
                if (step == objective.steps() || objective.evaluatesAfter(step)) {
                    listener.endSegment();
                    open = false;
                    R row = objective.evaluate(step, params, running);
                    history.add(row);
                    double score = objective.score(row);
                    boolean selects = !Double.isNaN(score);
                    boolean improved = selects && (objective.higherIsBetter() ? score > at.bestScore()
                            : score < at.bestScore());
                    at = improved ? new Position<>(step, score, step, 0, history)
                            : new Position<>(step, at.bestScore(), at.bestStep(), selects ? at.badPoints() + 1 : 0,
                            history);
                    if (improved || !selects) {
                        objective.keep(params, at);
                    }
                    objective.writeHistory(history);
                    objective.saveState(at, params, adam);
                    listener.line(objective.evaluationLine(row, at, improved));
                    if (objective.patience() > 0 && at.badPoints() >= objective.patience()) {
                        stopReason = objective.earlyStopReason(at);
                        finished = true;
                    }
                    lossSum = 0;
                    predicted = 0;
                    correct = 0;
                    segmentStart = System.nanoTime();
                }
            }
            return new Outcome<>(at, stopReason, (System.nanoTime() - t0) / 1e9, tokens);
        }
    }

    /** Progress bars on standard error (one per stretch between evaluation points), lines on {@code out}. */
    public static Listener console(PrintStream out) {
        return new Listener() {
            private ProgressBar bar;

            @Override
            public void segment(String label, long steps) {
                bar = Progress.bar(label, steps);
            }

            @Override
            public void stepped(String message) {
                bar.step();
                bar.setExtraMessage(message);
            }

            @Override
            public void endSegment() {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }

            @Override
            public void line(String text) {
                out.println(text);
            }
        };
    }
}
