package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MaskedLmHeadTest {
    private static final Batch BATCH = Batch.of(List.of(new int[]{1, 3, 7, 3, 2, 9}, new int[]{1, 4, 2}));
    /** Masked positions (row-major in the padded batch: row 1 starts at 6) and the original tokens there. */
    private static final int[] POSITIONS = {1, 3, 4, 7};
    private static final int[] TARGETS = {3, 3, 2, 4};

    /**
     * The head on its own, on hidden states given as a tensor: its parameters (the tied word embeddings included) and
     * d x, the gradient it hands the encoder, against central finite differences; rows not masked get none.
     */
    @Test
    void theHeadAloneMatchesFiniteDifferences() {
        try (AlbertParams p = AlbertParams.initialise(SequenceClassifierTest.FACTORISED, 0, true, 5);
             AlbertParams g = p.zerosLike();
             Tensor x = GradientCheck.gaussian(BATCH.tokens(), SequenceClassifierTest.FACTORISED.hiddenSize(), 8)) {
            MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(p, x, POSITIONS, TARGETS, g);
            try (Tensor dx = r.dHidden()) {
                var names = List.of(AlbertParams.MLM_DENSE_KERNEL, AlbertParams.MLM_DENSE_BIAS,
                        AlbertParams.MLM_LN_GAMMA, AlbertParams.MLM_LN_BETA, AlbertParams.MLM_OUTPUT_BIAS,
                        AlbertParams.WORD);
                GradientCheck.check(p, g, names, () -> MaskedLmHead.lossAndBackward(p, x, POSITIONS, TARGETS, null)
                        .loss(), "masked-LM head");
                GradientCheck.check(x, dx, () -> MaskedLmHead.lossAndBackward(p, x, POSITIONS, TARGETS, null).loss(),
                        "masked-LM head: d x");
                int h = x.cols();
                for (int i = 0; i < h; i++) {
                    assertEquals(0f, dx.get(2 * h + i), "row 2 is not masked");
                }
            }
        }
    }

    /** Every parameter, the tied word embeddings included, against central finite differences, with and without dropout. */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (AlbertConfig config : List.of(SequenceClassifierTest.TINY, SequenceClassifierTest.FACTORISED)) {
            for (Dropout dropout : new Dropout[]{null, Dropout.forStep(2, 4, 0.2f, 0.2f, 0f)}) {
                try (AlbertParams p = AlbertParams.initialise(config, 0, true, 5); AlbertParams g = p.zerosLike()) {
                    assertFalse(p.tensors().containsKey(AlbertParams.CLS_KERNEL), "no classifier when pretraining");
                    try (var f = Encoder.forwardTraining(p, BATCH, null, dropout)) {
                        Encoder.backward(p, f, MaskedLmHead.lossAndBackward(p, f.output(), POSITIONS, TARGETS, g)
                                .dHidden(), g);
                    }
                    GradientCheck.check(p, g, () -> {
                        try (var f = Encoder.forwardTraining(p, BATCH, null, dropout)) {
                            return MaskedLmHead.lossAndBackward(p, f.output(), POSITIONS, TARGETS, null).loss();
                        }
                    }, "masked LM " + config.embeddingSize() + (dropout == null ? "" : " with dropout"));
                }
            }
        }
    }

    @Test
    void lossIsTheMeanCrossEntropyOverTheMaskedPositions() {
        try (AlbertParams p = AlbertParams.initialise(SequenceClassifierTest.TINY, 0, true, 5);
             var f = Encoder.forward(p, BATCH, null, false)) {
            MaskedLmHead.Result r = MaskedLmHead.lossAndBackward(p, f.output(), POSITIONS, TARGETS, null);
            assertEquals(4, r.predicted());
            // a random start predicts about uniformly: loss near log(vocabulary size)
            assertEquals(Math.log(SequenceClassifierTest.TINY.vocabSize()), r.loss(), 0.5);
            MaskedLmHead.Result one = MaskedLmHead.lossAndBackward(p, f.output(), new int[]{1}, new int[]{3}, null);
            MaskedLmHead.Result other = MaskedLmHead.lossAndBackward(p, f.output(), new int[]{3, 4, 7}, new int[]{3, 2, 4}, null);
            assertEquals((one.loss() + 3 * other.loss()) / 4, r.loss(), 1e-5);
        }
    }
}
