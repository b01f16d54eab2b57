package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.model.Encoder;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.MaskedLmHead;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Masked-LM pretraining ({@link MaskedLmHead}) as an objective: packed sequences with masks drawn afresh each epoch,
 * the masked tokens' cross-entropy; from seeded random weights with a character vocabulary built from the corpus, or
 * continuing from pretrained weights.
 */
final class MaskedLm extends Pretraining {
    private MaskedLm(PretrainSetup setup, Start start) {
        super(setup, start);
    }

    static MaskedLm create(PretrainSetup setup, PrintStream out) throws IOException {
        return start(setup, out).checkedMaxlen(setup.config().maxlen(), "pretraining.maxlen").into(s -> new MaskedLm(setup, s));
    }

    private static Start start(PretrainSetup setup, PrintStream out) throws IOException {
        PretrainingConfig pc = setup.config();
        PretrainedStart from = setup.from();
        if (from != null) {
            var loaded = from.load(0, true, pc.seed());
            out.println("Continuing from " + from.describe() + ": " + loaded.report());
            return new Start(loaded.params(), VocabularyChoice.pretrained(from.vocabulary(), from.name()),
                    "continued from " + loaded.report() + "; start " + from.describe(), "from " + from.weightsSha256());
        }
        Vocabulary vocabulary = CharVocabularyBuilder.fromTexts(setup.corpus().texts(), pc.vocabMinCount());
        AlbertConfig config = setup.modelConfig().withVocabSize(vocabulary.size());
        String origin = "random initialisation (seed " + pc.seed() + ") with a character vocabulary of "
                + vocabulary.size() + " tokens built from the pretraining corpus (min count " + pc.vocabMinCount() + ")";
        out.println("From scratch: " + origin);
        return new Start(AlbertParams.initialise(config, 0, true, pc.seed()),
                new VocabularyChoice(new BertTokenizer(vocabulary), false, "built from the pretraining corpus ("
                        + vocabulary.size() + " tokens)"), origin, "random");
    }

    @Override
    TrainingLoop.Step batchStep(int[] indices, int epoch, long step, AlbertParams params, AlbertParams grads) {
        MaskedLmData.MaskedBatch mb = data.trainBatch(indices, epoch);
        try (var f = Encoder.forwardTraining(params, mb.batch(), null, pc.dropoutAt(step))) {
            MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(params, f.output(), mb.positions(), mb.targets(), grads);
            Encoder.backward(params, f, r.dHidden(), grads);
            return new TrainingLoop.Step(r.loss(), r.predicted(), r.correct(), mb.batch().tokens(), null);
        }
    }

    /** Masked-LM loss and accuracy over the held-out sequences (fixed masks, no dropout). */
    @Override
    Validation validate(AlbertParams params) {
        double loss = 0;
        int correct = 0;
        int predicted = 0;
        for (MaskedLmData.MaskedBatch b : data.valBatches(pc.batchSize())) {
            try (var f = Encoder.forward(params, b.batch(), null, false)) {
                MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(params, f.output(), b.positions(), b.targets(), null);
                loss += r.loss() * r.predicted();
                correct += r.correct();
                predicted += r.predicted();
            }
        }
        return new Validation(predicted == 0 ? 0 : loss / predicted, predicted == 0 ? 0 : (double) correct / predicted);
    }

    @Override
    String what() {
        return "masked-LM pretraining";
    }

    @Override
    boolean distils() {
        return false;
    }
}
