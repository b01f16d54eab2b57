package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.model.Encoder;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.HiddenStateHead;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Task-agnostic distillation ({@link HiddenStateHead}) as an objective: a student of the setup's shape, from seeded
 * random weights with the teacher's vocabulary and a projection onto the teacher's width, learns the teacher's final
 * hidden states (standardised) at the real tokens of the packed sequences (read whole, no masks). The history's
 * second figure is the mean cosine of projected student and teacher states.
 */
final class HiddenStateDistillation extends Pretraining {
    /** The teacher's encoder, loaded once, closed with the objective. */
    private AlbertParams teacher;

    private HiddenStateDistillation(PretrainSetup setup, Start start, AlbertParams teacher) {
        super(setup, start);
        this.teacher = teacher;
    }

    static HiddenStateDistillation create(PretrainSetup setup, PrintStream out) throws IOException {
        PretrainingConfig pc = setup.config();
        PretrainedStart from = setup.teacher().start();
        AlbertParams teacher = from.load(0, false, pc.seed()).params();
        try {
            teacher.config().checkMaxlen(pc.maxlen(), "pretraining.maxlen");
            Start start = student(setup, teacher, out);
            return start.checkedMaxlen(pc.maxlen(), "pretraining.maxlen").into(s -> new HiddenStateDistillation(setup, s, teacher));
        } catch (IOException | RuntimeException e) {
            teacher.close();
            throw e;
        }
    }

    /**
     * The student: the setup's model shape from seeded random weights with the teacher's vocabulary and a projection
     * onto the teacher's width; its word embeddings from the teacher's when asked ({@link TeacherEmbeddings}).
     */
    private static Start student(PretrainSetup setup, AlbertParams teacher, PrintStream out) throws IOException {
        PretrainingConfig pc = setup.config();
        PretrainedStart from = setup.teacher().start();
        var vocabulary = from.vocabulary();
        AlbertConfig config = setup.modelConfig().withVocabSize(vocabulary.size());
        AlbertParams student = AlbertParams.initialise(config, 0, false, teacher.config().hiddenSize(), pc.seed());
        String embeddings = "random word embeddings";
        if (setup.teacher().pcaEmbeddings()) {
            double kept;
            try {
                kept = TeacherEmbeddings.initialise(teacher.get(AlbertParams.WORD), student.get(AlbertParams.WORD));
            } catch (IllegalArgumentException e) {
                student.close();
                throw new IllegalArgumentException("--pca-embeddings: " + e.getMessage() + "; or --no-pca-embeddings", e);
            }
            embeddings = String.format(Locale.ROOT, "word embeddings from the teacher's, projected onto their %d"
                    + " leading principal components (%.1f%% of their variance)", config.embeddingSize(), 100 * kept);
        }
        String origin = "random initialisation (seed " + pc.seed() + ", " + embeddings + "), distilled from the"
                + " final hidden states of " + from.describe();
        out.println("Distillation: " + origin);
        return new Start(student, VocabularyChoice.pretrained(vocabulary, "the teacher's"), origin,
                "random, teacher " + from.weightsSha256() + (setup.teacher().pcaEmbeddings() ? ", PCA embeddings" : ""));
    }

    @Override
    TrainingLoop.Step batchStep(int[] indices, int epoch, long step, AlbertParams params, AlbertParams grads) {
        Batch b = data.trainSequences(indices);
        int[] tokens = realTokens(b);
        try (Tensor target = teacherStates(b, tokens);
             var f = Encoder.forwardTraining(params, b, null, pc.dropoutAt(step))) {
            HiddenStateHead.Result r = HiddenStateHead.lossAndBackward(params, f.output(), tokens, target, grads);
            Encoder.backward(params, f, r.dHidden(), grads);
            return new TrainingLoop.Step(r.loss(), r.positions(), r.cosineSum(),
                    b.tokens(), null);
        }
    }

    /**
     * Distillation loss over the held-out sequences (no dropout): mean loss per element, and the mean cosine of
     * projected student and teacher states.
     */
    @Override
    Validation validate(AlbertParams params) {
        double loss = 0;
        double cosine = 0;
        int positions = 0;
        for (Batch b : data.valSequences(pc.batchSize())) {
            int[] tokens = realTokens(b);
            try (Tensor target = teacherStates(b, tokens); var f = Encoder.forward(params, b, null, false)) {
                HiddenStateHead.Result r = HiddenStateHead.lossAndBackward(params, f.output(), tokens, target, null);
                loss += r.loss() * r.positions();
                cosine += r.cosineSum();
                positions += r.positions();
            }
        }
        return new Validation(positions == 0 ? 0 : loss / positions,
                positions == 0 ? 0 : cosine / positions);
    }

    /**
     * The targets of a batch: the teacher's final hidden states at the given rows (the batch's real tokens),
     * standardised per dimension ({@link HiddenStateHead#standardise}), [rows, teacher width].
     */
    private Tensor teacherStates(Batch b, int[] tokens) {
        try (var f = Encoder.forward(teacher, b, null, false)) {
            Tensor states = Tensor.gatherRows(f.output(), tokens);
            HiddenStateHead.standardise(states);
            return states;
        }
    }

    /** Rows of the padded batch (row-major) that hold a token, not padding. */
    private static int[] realTokens(Batch b) {
        int n = 0;
        for (float m : b.mask()) {
            n += m > 0 ? 1 : 0;
        }
        int[] rows = new int[n];
        int k = 0;
        for (int i = 0; i < b.mask().length; i++) {
            if (b.mask()[i] > 0) {
                rows[k++] = i;
            }
        }
        return rows;
    }

    @Override
    String what() {
        return "task-agnostic distillation (the teacher's final hidden states; history: train_cosine and val_cosine"
                + " are the mean cosine of projected student and teacher states)";
    }

    @Override
    boolean distils() {
        return true;
    }

    @Override
    public void close() {
        if (teacher != null) {
            teacher.close();
            teacher = null;
        }
    }
}
