package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The classifier head on its own, on hidden states given as a tensor. */
class ClassifierHeadTest {
    /** Two texts of 6 and 3 tokens, padded to 6. */
    private static final Batch BATCH = Batch.of(List.of(new int[]{1, 3, 7, 3, 2, 9}, new int[]{1, 4, 2}));

    /** L = sum(logits * R) for a fixed R, so d logits = R: the head's parameters and d x by finite differences. */
    @Test
    void theHeadAloneMatchesFiniteDifferences() {
        for (Pooling pooling : Pooling.values()) {
            for (Dropout dropout : new Dropout[]{null, Dropout.forStep(2, 4, 0f, 0f, 0.3f)}) {
                try (AlbertParams base = AlbertParams.initialise(SequenceClassifierTest.TINY, 3, 5);
                     AlbertParams g = base.zerosLike();
                     Tensor x = GradientCheck.gaussian(BATCH.tokens(), SequenceClassifierTest.TINY.hiddenSize(), 8);
                     Tensor r = GradientCheck.gaussian(2, 3, 9)) {
                    AlbertParams p = base.withPooling(pooling);
                    Tensor dx;
                    try (ClassifierHead.Pass pass = ClassifierHead.forward(p, x, BATCH, dropout)) {
                        dx = ClassifierHead.backward(p, pass, BATCH, dropout, r, g);
                    }
                    String what = "classifier head, " + pooling + (dropout == null ? "" : ", dropout");
                    try (Tensor d = dx) {
                        var loss = (java.util.function.DoubleSupplier) () -> {
                            try (ClassifierHead.Pass pass = ClassifierHead.forward(p, x, BATCH, dropout)) {
                                double sum = 0;
                                for (int i = 0; i < r.size(); i++) {
                                    sum += (double) pass.logits().get(i) * r.get(i);
                                }
                                return sum;
                            }
                        };
                        GradientCheck.check(p, g, List.of(AlbertParams.CLS_KERNEL, AlbertParams.CLS_BIAS), loss, what);
                        GradientCheck.check(x, d, loss, what + ": d x");
                        int h = x.cols();
                        for (int i = 0; i < h; i++) {
                            assertEquals(0f, d.get(10 * h + i), "padding (row 10) gets no gradient");
                            if (pooling == Pooling.CLS) {
                                assertEquals(0f, d.get(h + i), "only [CLS] is read");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aModelWithoutClassesHasNoHead() {
        try (AlbertParams p = AlbertParams.initialise(SequenceClassifierTest.TINY, 0, true, 5);
             Tensor x = GradientCheck.gaussian(BATCH.tokens(), SequenceClassifierTest.TINY.hiddenSize(), 8)) {
            assertThrows(IllegalArgumentException.class, () -> ClassifierHead.forward(p, x, BATCH, null));
        }
    }
}
