package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.checkpoint.SafeTensors;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Parallel;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a pretraining on the {@link TrainingLoop}: masked-LM on unlabelled text ({@link MaskedLm}), from scratch or
 * continuing from pretrained weights, or task-agnostic distillation of a student encoder from a teacher's final
 * hidden states ({@link HiddenStateDistillation}, when the setup has a teacher); AdamW with a warm-up/decay plan over
 * {@code steps}, and a checkpoint every {@code saveEvery} steps (the weights, history and full state) so a run killed
 * at any point (even {@code kill -9}) resumes and ends with exactly the weights of an uninterrupted run. The output
 * folder is a pretrained model {@code train --pretrained} reads: albert_config.json, vocab.txt and
 * {@value AlbertCheckpoint#SAFETENSORS_NAME} (encoder and masked-LM head by Google ALBERT name).
 */
public final class Pretrainer {
    /**
     * How a pretraining run ended.
     *
     * @param distilled task-agnostic distillation (the history's accuracy columns hold the cosine), not masked-LM
     */
    public record Result(Path outDir, PretrainHistory history, long steps, double seconds, long tokensTrained,
                         String origin, int vocabularySize, boolean distilled) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokensTrained / seconds : 0;
        }

        @Override
        public String toString() {
            PretrainHistory.Row last = history.size() == 0 ? null : history.rows().get(history.size() - 1);
            return String.format(Locale.ROOT, "%s: %d steps%s; %.0f s this session, %.0f tokens/s; vocabulary %d; %s",
                    outDir, steps, last == null ? "" : String.format(Locale.ROOT,
                            distilled ? ", val distillation loss %.4f cosine %.4f" : ", val MLM loss %.4f acc %.4f",
                            last.valLoss(), last.valAccuracy()),
                    seconds, tokensPerSecond(), vocabularySize, origin);
        }
    }

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Pretrainer() {
    }

    public static Result run(PretrainSetup setup) throws IOException {
        return run(setup, System.out);
    }

    private static Result run(PretrainSetup setup, PrintStream out) throws IOException {
        String started = Provenance.now();
        PretrainingConfig pc = setup.config();
        if (pc.threads() > 0) {
            Parallel.setThreads(pc.threads());
        }
        // a start that cannot be had fails before anything is written
        try (Pretraining objective = setup.teacher() == null ? MaskedLm.create(setup, out)
                : HiddenStateDistillation.create(setup, out);
             AlbertParams params = objective.start.params()) {
            MaskedLmData data = objective.data;
            out.printf(Locale.ROOT, "Pretraining corpus: %d texts, %d characters -> %d training sequences (%d tokens,"
                            + " %.1f epochs in %d steps), %d held out%n", setup.corpus().size(),
                    setup.corpus().characters(), data.trainSize(), data.trainTokens(),
                    (double) pc.steps() / objective.stepsPerEpoch, pc.steps(), data.valSize());
            Path dir = setup.outDir();
            String fingerprint = TrainingState.fingerprint(pc, params.config().toJson(), setup.corpus().sources(),
                    objective.start.identity());
            var plan = new TrainingLoop.Plan(dir, (objective.distils() ? "task-agnostic distillation"
                    : "masked-LM pretraining") + ", seed " + pc.seed(), fingerprint, pc.steps(), pc.saveEvery(),
                    false, 0);
            var outcome = TrainingLoop.run(objective, plan, PretrainHistory.Row.class, params,
                    pc.learningRate().resolve(pc.steps()), pc.optimiser(),
                    List.of(new TrainingLoop.Listener<>() {
                                @Override
                                public void begin(TrainingLoop.Position<PretrainHistory.Row> at, boolean resumed)
                                        throws IOException {
                                    // config and vocabulary do not change during the run: written once, before weights
                                    AtomicFiles.writeString(dir.resolve("albert_config.json"),
                                            PRETTY.toJson(params.config().toJson()) + "\n");
                                    objective.start.vocabulary().tokenizer().vocabulary().save(dir.resolve("vocab.txt"));
                                }
                            },
                            TrainingListeners.keep((p, at) -> save(objective, p, at.step(), started)),
                            TrainingListeners.historyFile(dir, (rows, file) ->
                                    PretrainHistory.of(rows, objective.distils()).writeCsv(file)),
                            new Log(out, plan, objective.distils()),
                            TrainingListeners.sessionRecord(dir, o -> Map.of("steps", o.end().step()))));
            return new Result(dir, PretrainHistory.of(outcome.end().history(), objective.distils()),
                    outcome.end().step(), outcome.seconds(), outcome.tokens(), objective.start.origin(),
                    objective.start.vocabulary().tokenizer().vocabulary().size(), objective.distils());
        }
    }

    /** The weights at a checkpoint: provenance first, the weights last (both atomic; config and vocabulary are there). */
    private static void save(Pretraining objective, AlbertParams params, long step, String started) throws IOException {
        PretrainSetup setup = objective.setup;
        Map<String, Object> prov = Provenance.of(objective.what() + ", weights after step " + step + " of "
                + setup.config().steps(), objective.start, objective.facts(), setup.projectRoot(), started);
        AtomicFiles.writeString(setup.outDir().resolve("provenance.json"), PRETTY.toJson(prov) + "\n");
        SafeTensors.write(setup.outDir().resolve(AlbertCheckpoint.SAFETENSORS_NAME), params.startTensors(),
                Map.of("format", "albert-workbench-pretrained", "step", String.valueOf(step)));
    }

    /** The checkpoint log: a bar per stretch of saveEvery steps, a line per checkpoint. */
    private static final class Log extends TrainingListeners.Console<PretrainHistory.Row> {
        private final long saveEvery;
        private final long steps;
        private final boolean distils;

        Log(PrintStream out, TrainingLoop.Plan plan, boolean distils) {
            super(out, plan.dir());
            this.saveEvery = plan.evaluateEvery();
            this.steps = plan.steps();
            this.distils = distils;
        }

        @Override
        protected String resumedAt(TrainingLoop.Position<PretrainHistory.Row> at) {
            return "at step " + at.step();
        }

        @Override
        protected String label(long firstStep, long lastStep) {
            return "pretrain " + firstStep + "-" + Math.min(steps, firstStep + saveEvery - 1);
        }

        @Override
        protected String figures(TrainingLoop.Running r) {
            return String.format(Locale.ROOT, distils ? " distil loss %.4f cosine %.4f lr %.2e"
                    : " mlm loss %.4f acc %.4f lr %.2e", r.loss(), r.measure(), r.learningRate());
        }

        @Override
        protected String line(TrainingLoop.Position<PretrainHistory.Row> at, TrainingLoop.Verdict verdict) {
            PretrainHistory.Row row = at.last();
            return String.format(Locale.ROOT, distils
                            ? "step %d: distil loss %.4f cosine %.4f | val distil loss %.4f cosine %.4f, lr %.2e"
                            : "step %d: mlm loss %.4f acc %.4f | val mlm loss %.4f acc %.4f, lr %.2e",
                    row.step(), row.trainLoss(), row.trainAccuracy(), row.valLoss(), row.valAccuracy(),
                    row.learningRate());
        }
    }
}
