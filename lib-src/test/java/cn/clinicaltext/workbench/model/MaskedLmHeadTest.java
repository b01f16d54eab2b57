package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MaskedLmHeadTest {
    private static final Batch BATCH = Batch.of(List.of(new int[]{1, 3, 7, 3, 2, 9}, new int[]{1, 4, 2}));
    /** Masked positions (row-major in the padded batch: row 1 starts at 6) and the original tokens there. */
    private static final int[] POSITIONS = {1, 3, 4, 7};
    private static final int[] TARGETS = {3, 3, 2, 4};

    /** Every parameter, the tied word embeddings included, against central finite differences, with and without dropout. */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (AlbertConfig config : List.of(AlbertClassifierTest.TINY, AlbertClassifierTest.FACTORISED)) {
            for (Dropout dropout : new Dropout[]{null, Dropout.forStep(2, 4, 0.2f, 0.2f, 0f)}) {
                try (AlbertParams p = AlbertParams.initialise(config, 0, true, 5); AlbertParams g = p.zerosLike()) {
                    assertFalse(p.tensors().containsKey(AlbertParams.CLS_KERNEL), "no classifier when pretraining");
                    try (var f = AlbertClassifier.forwardTraining(p, BATCH, null, dropout)) {
                        MaskedLmHead.lossAndBackward(p, f, POSITIONS, TARGETS, g);
                    }
                    GradientCheck.check(p, g, () -> {
                        try (var f = AlbertClassifier.forwardTraining(p, BATCH, null, dropout)) {
                            return MaskedLmHead.lossAndBackward(p, f, POSITIONS, TARGETS, null).loss();
                        }
                    }, "masked LM " + config.embeddingSize() + (dropout == null ? "" : " with dropout"));
                }
            }
        }
    }

    @Test
    void lossIsTheMeanCrossEntropyOverTheMaskedPositions() {
        try (AlbertParams p = AlbertParams.initialise(AlbertClassifierTest.TINY, 0, true, 5);
             var f = AlbertClassifier.forward(p, BATCH, null, false)) {
            MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(p, f, POSITIONS, TARGETS, null);
            assertEquals(4, r.predicted());
            // a random start predicts about uniformly: loss near log(vocabulary size)
            assertEquals(Math.log(AlbertClassifierTest.TINY.vocabSize()), r.loss(), 0.5);
            MaskedLmHead.Result one = MaskedLmHead.lossAndBackward(p, f, new int[]{1}, new int[]{3}, null);
            MaskedLmHead.Result other = MaskedLmHead.lossAndBackward(p, f, new int[]{3, 4, 7}, new int[]{3, 2, 4}, null);
            assertEquals((one.loss() + 3 * other.loss()) / 4, r.loss(), 1e-5);
        }
    }
}
