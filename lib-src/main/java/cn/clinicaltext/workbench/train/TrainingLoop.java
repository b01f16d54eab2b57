package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.FolderLock;
import cn.clinicaltext.workbench.model.AlbertParams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one loop of every run that optimises the encoder: fine-tuning ({@link FineTuning}), distillation fine-tuning
 * ({@link DistillationFineTuning}), masked-LM pretraining ({@link MaskedLm}), hidden-state distillation
 * ({@link HiddenStateDistillation}), and whatever comes next. What differs is the {@link Objective}: the loss and
 * gradients of step s's batch, an evaluation into a history row, and the score of a row. What every run does
 * besides (keeping the model, the history file, progress text) is a {@link Listener}, as in DJL's EasyTrain. The
 * loop itself:
 * <pre>
 *   lock the run's folder (one writer); resume from its state when it holds one of the same run (fingerprint)
 *   for step = resumed + 1 .. steps:
 *       lr = schedule(step); grads = 0
 *       loss = objective.step(step, params, grads)              forward and backward of the step's batch
 *       a loss that is not finite ends the run (the last full state stays on disk)
 *       clip the gradients' global norm; Adam(W) update (only the batch's embedding rows when lazy)
 *       after an evaluation point's step (every evaluateEvery steps, and the last): evaluate; the point improved
 *       when the monitored score beat the best (a run that monitors nothing keeps every point); listeners (keep,
 *       history, log); then the full state (parameters, Adam moments, the position last); early stopping after
 *       `patience` points without improvement
 * </pre>
 * Batches, dropout masks and schedules are functions of (seed, step), so a run resumed from any saved state ends
 * with exactly the weights of an uninterrupted one.
 */
public final class TrainingLoop {
    private TrainingLoop() {
    }

    /**
     * What one step did.
     *
     * @param loss      mean loss over what the step predicted (texts, or masked tokens)
     * @param predicted how many predictions the loss is the mean of (the weight of this step in running means)
     * @param measure   the sum over those predictions of the run's second figure: 1 per right prediction (accuracy),
     *                  or each position's cosine to the teacher
     * @param tokens    tokens read
     * @param lazyRows  word-embedding rows to update lazily (TensorFlow's LazyAdam); null: every parameter as usual
     */
    public record Step(double loss, long predicted, double measure, long tokens, int[] lazyRows) {
        /** The same step, updating only these word-embedding rows. */
        public Step lazily(int[] rows) {
            return new Step(loss, predicted, measure, tokens, rows);
        }
    }

    /** Training figures since the last evaluation point (or the start of the session): means per prediction. */
    public record Running(double loss, double measure, double learningRate, double seconds) {
    }

    /**
     * What the loop is asked to do.
     *
     * @param dir            the run's folder: locked while the loop runs, its state in {@link TrainingState#dir}
     * @param purpose        what the run does there, for another writer's message ("training, seed 42")
     * @param fingerprint    what makes a saved state this run's (data, settings, start); another is refused
     * @param steps          optimiser steps of the whole run
     * @param evaluateEvery  steps between evaluation points (an epoch; a pretraining checkpoint); the last step is one
     * @param higherIsBetter the direction of the monitored score
     * @param patience       evaluation points without improvement before stopping; 0: no early stopping
     */
    public record Plan(Path dir, String purpose, String fingerprint, long steps, long evaluateEvery,
                       boolean higherIsBetter, int patience) {
        public boolean evaluatesAfter(long step) {
            return step == steps || step % evaluateEvery == 0;
        }

        /** The evaluation point a step belongs to, 1-based (the epoch, for fine-tuning). */
        public long pointOf(long step) {
            return (step - 1) / evaluateEvery + 1;
        }
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

        /** The newest history row. */
        public R last() {
            return history.get(history.size() - 1);
        }
    }

    /** What one kind of training adds to the loop. R is its history row. */
    public interface Objective<R> {
        /** Loss and gradients of step {@code step}'s batch (1-based), the gradients added into {@code grads}. */
        Step step(long step, AlbertParams params, AlbertParams grads) throws IOException;

        /** Evaluates the weights after {@code step}: the history row ({@code since}: the training figures). */
        R evaluate(long step, AlbertParams params, Running since);

        /** The monitored score of a row; NaN when the run selects nothing (every point is kept). */
        double score(R row);
    }

    /** How an evaluation point compares with the best so far. */
    public enum Verdict {
        IMPROVED, NOT_IMPROVED, UNSELECTED;

        /** Whether the model of this point is the one to keep: the best so far, or the latest when none is chosen. */
        public boolean keeps() {
            return this != NOT_IMPROVED;
        }
    }

    /** Why a session of the loop ended. */
    public enum Stop {
        /** Ran every step of the plan. */
        PLANNED,
        /** {@code patience} evaluation points without improvement. */
        EARLY,
        /** The saved state was of a run that had already stopped early: nothing to do. */
        EARLY_BEFORE
    }

    /** How a session of the loop ended: the position, why, and this session's seconds and tokens. */
    public record Outcome<R>(Position<R> end, Stop stop, double seconds, long tokens) {
    }

    /** What happens around the loop: each event in the order the loop reaches it, every method optional. */
    public interface Listener<R> {
        /** Before the first step; {@code resumed}: the position came from a saved state. */
        default void begin(Position<R> at, boolean resumed) throws IOException {
        }

        /** A stretch of steps up to the next evaluation point begins. */
        default void segment(long firstStep, long lastStep) {
        }

        default void stepped(long step, Running since) {
        }

        /** After an evaluation point's row, before the state is saved. */
        default void evaluated(Position<R> at, Verdict verdict, AlbertParams params) throws IOException {
        }

        /** A loss that is not finite at {@code step}: the run ends (after this) with {@link DivergedException}. */
        default void diverged(long step, double loss) {
        }

        default void ended(Outcome<R> outcome) throws IOException {
        }
    }

    /** The loss became NaN or infinite; the message says where the last good model and state are. */
    public static final class DivergedException extends IOException {
        public DivergedException(String message) {
            super(message);
        }
    }

    /**
     * Runs the objective from its saved state (or the start) to its end or early stop, with Adam(W) on the given
     * schedule (the optimiser's lazyAdam is the objective's to apply, through its steps' lazy rows). Closes nothing
     * it was given: params stay the caller's.
     */
    public static <R> Outcome<R> run(Objective<R> objective, Plan plan, Class<R> rowType, AlbertParams params,
                                     LearningRateSchedule schedule, TrainingConfig.Optimiser optimiser,
                                     List<? extends Listener<R>> listeners) throws IOException {
        long t0 = System.nanoTime();
        long tokens = 0;
        try (FolderLock lock = FolderLock.acquire(plan.dir(), plan.purpose());
             AlbertParams grads = params.zerosLike();
             Adam adam = new Adam(params, 0.9f, 0.999f, optimiser.adamEpsilon())) {
            Position<R> at = TrainingState.restore(plan, rowType, params, adam);
            boolean resumed = at != null;
            at = resumed ? at : Position.start(plan.higherIsBetter());
            Stop stop = plan.patience() > 0 && at.badPoints() >= plan.patience() ? Stop.EARLY_BEFORE : Stop.PLANNED;
            for (Listener<R> l : listeners) {
                l.begin(at, resumed);
            }
            List<R> history = new ArrayList<>(at.history());
            double lossSum = 0;
            long predicted = 0;
            double measure = 0;
            long segmentStart = System.nanoTime();
            boolean open = false;
            for (long step = at.step() + 1; step <= plan.steps() && stop == Stop.PLANNED; step++) {
                if (!open) {
                    // a run starts, and resumes, at an evaluation point: each stretch to the next one is a segment
                    long end = step;
                    while (!plan.evaluatesAfter(end)) {
                        end++;
                    }
                    for (Listener<R> l : listeners) {
                        l.segment(step, end);
                    }
                    open = true;
                }
                double lr = schedule.rate(step);
                grads.fill(0f);
                Step s = objective.step(step, params, grads);
                if (!Double.isFinite(s.loss())) {
                    for (Listener<R> l : listeners) {
                        l.diverged(step, s.loss());
                    }
                    throw new DivergedException("loss became " + s.loss() + " at step " + step + " (evaluation point "
                            + plan.pointOf(step) + "); the last kept model is in " + plan.dir()
                            + ", the last full state in " + TrainingState.dir(plan.dir()) + " (step " + at.step() + ")");
                }
                if (optimiser.clipNorm() > 0) {
                    Adam.clipGlobalNorm(grads, optimiser.clipNorm());
                }
                adam.update(params, grads, (float) lr, optimiser.weightDecay(), s.lazyRows());
                lossSum += s.loss() * s.predicted();
                predicted += s.predicted();
                measure += s.measure();
                tokens += s.tokens();
                Running running = new Running(lossSum / Math.max(1, predicted), measure / Math.max(1, predicted), lr,
                        (System.nanoTime() - segmentStart) / 1e9);
                for (Listener<R> l : listeners) {
                    l.stepped(step, running);
                }
                if (plan.evaluatesAfter(step)) {
                    open = false;
                    R row = objective.evaluate(step, params, running);
                    history.add(row);
                    double score = objective.score(row);
                    Verdict verdict = Double.isNaN(score) ? Verdict.UNSELECTED
                            : (plan.higherIsBetter() ? score > at.bestScore() : score < at.bestScore())
                            ? Verdict.IMPROVED : Verdict.NOT_IMPROVED;
                    at = switch (verdict) {
                        case IMPROVED -> new Position<>(step, score, step, 0, history);
                        case NOT_IMPROVED -> new Position<>(step, at.bestScore(), at.bestStep(), at.badPoints() + 1,
                                history);
                        case UNSELECTED -> new Position<>(step, at.bestScore(), at.bestStep(), 0, history);
                    };
                    for (Listener<R> l : listeners) {
                        l.evaluated(at, verdict, params);
                    }
                    TrainingState.save(plan, at, params, adam);
                    if (plan.patience() > 0 && at.badPoints() >= plan.patience()) {
                        stop = Stop.EARLY;
                    }
                    lossSum = 0;
                    predicted = 0;
                    measure = 0;
                    segmentStart = System.nanoTime();
                }
            }
            Outcome<R> outcome = new Outcome<>(at, stop, (System.nanoTime() - t0) / 1e9, tokens);
            for (Listener<R> l : listeners) {
                l.ended(outcome);
            }
            return outcome;
        }
    }
}
