package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * Task-specific distillation as fine-tuning's objective with another loss ({@link Distillation}): the student reads
 * the transfer set (training texts, augmented copies, unlabelled texts) in the training split's place, and learns
 * the teacher's probabilities at temperature T beside the labels where there are labels ({@link Loss#distillation});
 * epochs, evaluation and scoring are {@link FineTuning}'s. The student starts from a pretrained start that reads the
 * teacher's vocabulary, or from seeded random weights of the setup's shape with that vocabulary.
 */
final class DistillationFineTuning extends FineTuning {
    private final Distillation.Teacher teacher;

    private DistillationFineTuning(TrainingSetup setup, Start start) {
        super(setup, start, setup.teacher().transfer());
        this.teacher = setup.teacher();
    }

    static DistillationFineTuning create(TrainingSetup setup, PrintStream out) throws IOException {
        return start(setup, out).checkedMaxlen(setup.training().data().maxlen(), "training.data.maxlen").into(s -> new DistillationFineTuning(setup, s));
    }

    private static Start start(TrainingSetup setup, PrintStream out) throws IOException {
        Distillation.Teacher teacher = setup.teacher();
        String distilled = "distilled from the teacher " + teacher.identity() + " (temperature "
                + teacher.settings().temperature() + ", alpha " + teacher.settings().alpha() + ", transfer set of "
                + teacher.transfer().size() + " texts)";
        if (setup.start() != null) {
            Distillation.checkStudentStart(setup.start(), teacher.vocabulary());    // before the weights are read
            Start s = FineTuning.pretrained(setup, setup.start(), out);
            out.println("Student: " + distilled);
            return new Start(s.params(), s.vocabulary(), s.origin() + "; " + distilled,
                    s.identity() + ", teacher " + teacher.identity());
        }
        VocabularyChoice vocab = VocabularyChoice.pretrained(teacher.vocabulary(), "the teacher's");
        var config = setup.modelConfig().withVocabSize(vocab.tokenizer().vocabulary().size());
        String origin = "random initialisation (seed " + setup.seed() + "), " + distilled;
        out.println("Student: " + origin);
        return new Start(AlbertParams.initialise(config, setup.labelNames().size(), setup.seed()), vocab, origin,
                "random, teacher " + teacher.identity());
    }

    /** The distillation loss's gradients of one batch of the transfer set ({@link Loss#distillation}). */
    @Override
    TrainingLoop.Step batchStep(EncodedSet.LabeledBatch b, int[] indices, Dropout dropout, AlbertParams params,
                                AlbertParams grads) {
        float[][] soft = new float[indices.length][];
        boolean[] labelled = new boolean[indices.length];
        for (int i = 0; i < indices.length; i++) {
            soft[i] = teacher.teacher()[indices[i]];
            labelled[i] = teacher.labelled()[indices[i]];
        }
        return Regularisers.step(params, grads, b, dropout, (logits, g) -> Loss.distillation(logits, b.labels(), soft,
                labelled, teacher.settings().temperature(), teacher.settings().alpha(), g));
    }

    @Override
    Map<String, Object> facts() {
        Map<String, Object> facts = super.facts();
        facts.put("teacher", Map.of("identity", teacher.identity(), "settings", teacher.settings(), "transfer_texts",
                teacher.transfer().size()));
        return facts;
    }
}
