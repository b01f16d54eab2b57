package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertParams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the two objectives on unlabelled text share ({@link MaskedLm}, {@link HiddenStateDistillation}): the corpus
 * packed into sequences with a held-out part ({@link MaskedLmData}), epochs of seeded batches, an evaluation on the
 * held-out sequences at every checkpoint, and nothing selected (every checkpoint is the latest model).
 */
abstract class Pretraining implements TrainingLoop.Objective<PretrainHistory.Row>, AutoCloseable {
    final PretrainSetup setup;
    final PretrainingConfig pc;
    final Start start;
    final MaskedLmData data;
    final long stepsPerEpoch;
    private int cachedEpoch = -1;
    private List<int[]> batches;

    Pretraining(PretrainSetup setup, Start start) {
        this.setup = setup;
        this.pc = setup.config();
        this.start = start;
        this.data = new MaskedLmData(setup.corpus().texts(), start.vocabulary().tokenizer(), pc.maxlen(),
                pc.maskRate(), pc.wholeWord(), pc.valFraction(), pc.maxVal(), pc.seed());
        this.stepsPerEpoch = (data.trainSize() + pc.batchSize() - 1) / pc.batchSize();
    }

    /** The held-out figures: mean loss, and the mean of the second figure (accuracy, or cosine). */
    record Validation(double loss, double measure) {
    }

    /** Loss and gradients of the training sequences at {@code indices}, in {@code epoch}, at {@code step}. */
    abstract TrainingLoop.Step batchStep(int[] indices, int epoch, long step, AlbertParams params, AlbertParams grads);

    abstract Validation validate(AlbertParams params);

    /** What the weights are, for their provenance ("masked-LM pretraining"). */
    abstract String what();

    /** Whether the history's second figure is the cosine to a teacher ({@link PretrainHistory#distilled()}). */
    abstract boolean distils();

    /** Releases what the objective holds beside the run's weights (a teacher). */
    @Override
    public void close() {
    }

    @Override
    public TrainingLoop.Step step(long step, AlbertParams params, AlbertParams grads) {
        int epoch = (int) ((step - 1) / stepsPerEpoch) + 1;
        if (epoch != cachedEpoch) {
            batches = data.epochBatches(pc.batchSize(), epoch);
            cachedEpoch = epoch;
        }
        return batchStep(batches.get((int) ((step - 1) % stepsPerEpoch)), epoch, step, params, grads);
    }

    @Override
    public PretrainHistory.Row evaluate(long step, AlbertParams params, TrainingLoop.Running since) {
        Validation v = validate(params);
        return new PretrainHistory.Row(step, (double) step / stepsPerEpoch, since.learningRate(), since.loss(),
                since.measure(), v.loss(), v.measure(), since.seconds());
    }

    @Override
    public double score(PretrainHistory.Row row) {
        return Double.NaN;
    }

    /** What the weights' provenance records of this kind of run beyond the start: corpus, sequences, settings. */
    Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("corpus", setup.corpus().sources());
        facts.put("sequences", Map.of("train", data.trainSize(), "validation", data.valSize(),
                "train_tokens", data.trainTokens()));
        facts.put("pretraining", setup.config());
        return facts;
    }
}
