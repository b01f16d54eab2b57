package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.CorpusStatistics;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Parallel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a fine-tuning (or a task-specific distillation) on the {@link TrainingLoop}: the objective ({@link FineTuning},
 * or {@link DistillationFineTuning} when the setup has a teacher), the plan (epochs that follow the data or the
 * settings, a warm-up/decay learning-rate plan, early stopping on the monitored validation metric), and the listeners
 * that keep the best epoch's model with its provenance, the history, the session record and the log. Every epoch end
 * saves a full state, so an interrupted run resumes and ends exactly as an uninterrupted one (same seed, same thread
 * count; dropout masks are a function of seed and step).
 */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingResult fit(TrainingSetup setup) throws IOException {
        return fit(setup, System.out);
    }

    /** Several runs one after the other (one per seed, say); each resumes or finishes on its own. */
    public static List<TrainingResult> fitAll(List<TrainingSetup> setups) throws IOException {
        List<TrainingResult> results = new ArrayList<>();
        for (TrainingSetup s : setups) {
            results.add(fit(s));
        }
        return results;
    }

    private static TrainingResult fit(TrainingSetup setup, PrintStream out) throws IOException {
        String started = Provenance.now();
        TrainingConfig tc = setup.training();
        if (tc.loop().threads() > 0) {
            Parallel.setThreads(tc.loop().threads());
        }
        // a start that cannot be had fails before anything is written
        FineTuning objective = setup.teacher() == null ? FineTuning.create(setup, out)
                : DistillationFineTuning.create(setup, out);
        Start start = objective.start;
        try {
            String cut = CorpusStatistics.truncationReport(setup.data().train(), start.vocabulary().tokenizer(),
                    tc.data().maxlen(), "training texts");
            if (!cut.isEmpty()) {
                out.println("Truncation: " + cut);
            }
            long stepsPerEpoch = objective.stepsPerEpoch;
            int epochs = tc.loop().plannedEpochs(stepsPerEpoch);
            LearningRateSchedule schedule = tc.learningRate().resolve(stepsPerEpoch * epochs);
            TrainingConfig.Monitor monitor = tc.loop().monitor();
            float[] classWeights = objective.classWeights;
            out.println("Epochs planned: " + epochs + (tc.loop().maxEpochs() != null ? "" : " (" + stepsPerEpoch
                    + " steps an epoch; the budget follows the data: at least " + tc.loop().minSteps() + " steps, "
                    + TrainingConfig.Loop.FLOOR_EPOCHS + " to " + TrainingConfig.Loop.CAP_EPOCHS + " epochs)")
                    + "; early stopping after " + tc.loop().patience() + " epochs without improvement");
            out.println("Learning rate: " + schedule + "; monitor " + monitor.label()
                    + (classWeights == null ? "" : "; class weights " + Arrays.toString(classWeights)));
            Path dir = setup.runDir();
            var plan = new TrainingLoop.Plan(dir, "training, seed " + setup.seed(), objective.fingerprint(),
                    stepsPerEpoch * epochs, stepsPerEpoch, monitor.higherIsBetter(), tc.loop().patience());
            var outcome = TrainingLoop.run(objective, plan, EpochStats.class, start.params(),
                    schedule, tc.optimiser(),
                    List.of(TrainingListeners.keep((params, at) -> saveModel(setup, objective, params, at, started)),
                            TrainingListeners.historyFile(dir, (rows, file) -> History.of(rows).writeCsv(file)),
                            new Log(out, plan),
                            TrainingListeners.sessionRecord(dir, o -> {
                                Map<String, Object> facts = new LinkedHashMap<>();
                                facts.put("stop_reason", stopReason(o, plan, monitor));
                                facts.put("best_epoch", o.end().bestStep() / stepsPerEpoch);
                                facts.put("epochs_planned", epochs);
                                facts.put("still_improving", stillImproving(o, plan, tc.loop()) != null);
                                return facts;
                            })));
            String stopReason = stopReason(outcome, plan, monitor);
            out.println("Stopped: " + stopReason);
            String stillImproving = stillImproving(outcome, plan, tc.loop());
            if (stillImproving != null) {
                out.println(stillImproving);
            }
            return new TrainingResult(dir, History.of(outcome.end().history()),
                    (int) (outcome.end().bestStep() / stepsPerEpoch), monitor, outcome.end().bestScore(), stopReason,
                    outcome.seconds(), outcome.tokens(), start.origin(), start.vocabulary().toString(), schedule,
                    stillImproving);
        } finally {
            start.params().close();
        }
    }

    /** Why a session ended, in words: the planned epochs run, or early stopping and its best epoch. */
    private static String stopReason(TrainingLoop.Outcome<EpochStats> o, TrainingLoop.Plan plan,
                                     TrainingConfig.Monitor monitor) {
        return switch (o.stop()) {
            case PLANNED -> "ran the " + plan.steps() / plan.evaluateEvery() + " epochs planned";
            case EARLY -> "early stopping: " + monitor.label() + " did not improve for " + plan.patience()
                    + " epochs; best epoch " + o.end().bestStep() / plan.evaluateEvery();
            case EARLY_BEFORE -> "early stopping (already finished before)";
        };
    }

    /**
     * Null unless the run ended at its planned last epoch and that epoch was its best, with the monitored score
     * better than the epoch before: then the words that say so and what to try (more epochs), for the log, the
     * session record and the result.
     */
    private static String stillImproving(TrainingLoop.Outcome<EpochStats> o, TrainingLoop.Plan plan,
                                         TrainingConfig.Loop loop) {
        return stillImproving(History.of(o.end().history()), (int) (o.end().bestStep() / plan.evaluateEvery()),
                (int) (plan.steps() / plan.evaluateEvery()), loop);
    }

    /** {@link #stillImproving(TrainingLoop.Outcome, TrainingLoop.Plan, TrainingConfig.Loop)} of a history. */
    static String stillImproving(History history, int bestEpoch, int planned, TrainingConfig.Loop loop) {
        if (history.size() < planned || bestEpoch != planned || planned < 2) {
            return null;
        }
        return "Still improving at the end of the plan: the best epoch is the last (" + planned + " of " + planned
                + "), so more epochs may help: --epochs " + (2 * planned) + " (training.loop.maxEpochs)"
                + (loop.maxEpochs() == null ? "; or a larger step budget, training.loop.minSteps" : "");
    }

    /** The best model so far with its provenance ({@link SavedModel}). */
    private static void saveModel(TrainingSetup setup, FineTuning objective, AlbertParams params,
                                  TrainingLoop.Position<EpochStats> at, String started) throws IOException {
        Start start = objective.start;
        Map<String, Object> prov = Provenance.of("best at epoch " + at.step() / objective.stepsPerEpoch, start,
                objective.facts(), setup.projectRoot(), started);
        prov.put("epochs_run", at.history().size());
        new SavedModel(params.config(), params.numClasses(), setup.training().data().maxlen(), setup.labelNames(),
                start.vocabulary().tokenizer().vocabulary(), prov).save(setup.runDir(), params);
    }

    /** The epoch log: a bar per epoch, a line per epoch end. */
    private static final class Log extends TrainingListeners.Console<EpochStats> {
        private final TrainingLoop.Plan plan;

        Log(PrintStream out, TrainingLoop.Plan plan) {
            super(out, plan.dir());
            this.plan = plan;
        }

        @Override
        protected String resumedAt(TrainingLoop.Position<EpochStats> at) {
            return "after epoch " + (at.step() / plan.evaluateEvery()) + " (step " + at.step() + ")";
        }

        @Override
        protected String label(long firstStep, long lastStep) {
            return "epoch " + plan.pointOf(firstStep);
        }

        @Override
        protected String figures(TrainingLoop.Running r) {
            return String.format(Locale.ROOT, " loss %.4f acc %.4f lr %.2e", r.loss(), r.measure(), r.learningRate());
        }

        @Override
        protected String line(TrainingLoop.Position<EpochStats> at, TrainingLoop.Verdict verdict) {
            EpochStats row = at.last();
            int bestEpoch = (int) (at.bestStep() / plan.evaluateEvery());
            // no best yet when every score so far was NaN (a monitored loss that is not a number)
            double bestAcc = bestEpoch == 0 ? Double.NaN : at.history().get(bestEpoch - 1).valAccuracy();
            return String.format(Locale.ROOT, "epoch %d: loss %.4f acc %.4f | val_loss %.4f val_acc %.4f"
                            + " val_macro_f1 %.4f, best_val_acc %.4f (epoch %d)%s%s", row.epoch(), row.trainLoss(),
                    row.trainAccuracy(), row.valLoss(), row.valAccuracy(), row.valMacroF1(), bestAcc, bestEpoch,
                    Double.isNaN(row.testAccuracy()) ? "" : String.format(Locale.ROOT, ", test_acc %.4f", row.testAccuracy()),
                    verdict == TrainingLoop.Verdict.IMPROVED ? " *" : "");
        }
    }
}
