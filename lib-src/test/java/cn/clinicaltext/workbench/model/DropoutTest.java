package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Dropout: its definition, its masks' reproducibility, and the engine's gradients with fixed masks. */
class DropoutTest {
    @Test
    void dropsTheRateAndScalesTheRest() {
        Dropout d = Dropout.forStep(42, 7, 0.25f, 0f, 0f);
        try (Tensor x = Tensor.zeros(400, 250)) {
            x.fill(1f);
            d.apply(x, 3, 0.25f);
            int dropped = 0;
            for (float v : x.toArray()) {
                if (v == 0f) {
                    dropped++;
                } else {
                    assertEquals(1f / 0.75f, v, 1e-6f, "kept elements are scaled by 1 / (1 - p)");
                }
            }
            // 100 000 Bernoulli(0.25) draws: sd 137, so 4 sd is 550
            assertEquals(25_000, dropped, 550);
        }
    }

    @Test
    void sameKeyGivesSameMasksAndApplyingTwiceEqualsTheBackwardOfTheForward() {
        Dropout a = Dropout.forStep(1, 5, 0.5f, 0.5f, 0.5f);
        Dropout b = Dropout.forStep(1, 5, 0.5f, 0.5f, 0.5f);
        Dropout nextStep = Dropout.forStep(1, 6, 0.5f, 0.5f, 0.5f);
        Dropout otherSeed = Dropout.forStep(2, 5, 0.5f, 0.5f, 0.5f);
        float[] ma = mask(a, 0);
        assertArrayEquals(ma, mask(b, 0));
        assertFalse(Arrays.equals(ma, mask(nextStep, 0)), "each step draws new masks");
        assertFalse(Arrays.equals(ma, mask(otherSeed, 0)), "each seed draws other masks");
        assertFalse(Arrays.equals(ma, mask(a, 1)), "each site draws other masks");
    }

    @Test
    void masksDoNotDependOnTheNumberOfThreads() {
        Dropout d = Dropout.forStep(3, 9, 0.3f, 0f, 0f);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = mask(d, 4);
            Parallel.setThreads(2);
            assertArrayEquals(one, mask(d, 4));
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[] mask(Dropout d, int site) {
        try (Tensor x = Tensor.zeros(64, 100)) {
            x.fill(1f);
            d.apply(x, site, d.hidden());
            return x.toArray();
        }
    }

    @Test
    void inferenceAndTrainingWithoutDropoutAreUnchanged() {
        Batch batch = Batch.of(List.of(new int[]{1, 3, 7, 3, 2}, new int[]{1, 4, 2}));
        try (AlbertParams p = AlbertParams.initialise(SequenceClassifierTest.TINY, 3, 11)) {
            float[] plain;
            try (var f = SequenceClassifier.forward(p, batch, null, false)) {
                plain = f.logits.toArray();
            }
            try (var f = SequenceClassifier.forwardTraining(p, batch, null, Dropout.forStep(1, 1, 0f, 0f, 0f))) {
                assertArrayEquals(plain, f.logits.toArray(), 1e-6f, "rates of 0 change nothing");
            }
            try (var f = SequenceClassifier.forwardTraining(p, batch, null, Dropout.forStep(1, 1, 0.3f, 0.3f, 0.3f))) {
                assertFalse(Arrays.equals(plain, f.logits.toArray()), "dropout changes a training pass");
            }
        }
    }

    /** Every parameter's gradient under fixed dropout masks (all four sites) against central finite differences. */
    @Test
    void gradientsWithFixedMasksMatchFiniteDifferences() {
        for (AlbertConfig config : List.of(SequenceClassifierTest.TINY, SequenceClassifierTest.FACTORISED)) {
            Dropout dropout = Dropout.forStep(5, 3, 0.2f, 0.25f, 0.3f);
            Batch batch = Batch.of(List.of(new int[]{1, 3, 7, 3, 2}, new int[]{1, 4, 2}));
            int[] labels = {2, 0};
            try (AlbertParams p = AlbertParams.initialise(config, 3, 11); AlbertParams g = p.zerosLike()) {
                try (var f = SequenceClassifier.forwardTraining(p, batch, null, dropout);
                     Tensor d = Loss.softmaxCrossEntropyGrad(f.logits, labels)) {
                    SequenceClassifier.backward(p, f, d, g);
                }
                GradientCheck.check(p, g, () -> {
                    try (var f = SequenceClassifier.forwardTraining(p, batch, null, dropout)) {
                        return Loss.softmaxCrossEntropy(f.logits, labels);
                    }
                }, config.embeddingSize() + " with dropout");
            }
        }
    }

    /** Mean pooling: gradients against finite differences (with dropout), and padding leaves the logits alone. */
    @Test
    void meanPoolingGradientsAndPadding() {
        Batch batch = Batch.of(List.of(new int[]{1, 3, 7, 3, 2}, new int[]{1, 4, 2}));
        int[] labels = {2, 0};
        Dropout dropout = Dropout.forStep(5, 3, 0.2f, 0.25f, 0.3f);
        try (AlbertParams base = AlbertParams.initialise(SequenceClassifierTest.TINY, 3, 11); AlbertParams g = base.zerosLike()) {
            AlbertParams p = base.withPooling(Pooling.MEAN);
            try (var f = SequenceClassifier.forwardTraining(p, batch, null, dropout);
                 Tensor d = Loss.softmaxCrossEntropyGrad(f.logits, labels)) {
                SequenceClassifier.backward(p, f, d, g);
            }
            GradientCheck.check(p, g, () -> {
                try (var f = SequenceClassifier.forwardTraining(p, batch, null, dropout)) {
                    return Loss.softmaxCrossEntropy(f.logits, labels);
                }
            }, "mean pooling with dropout");
            float[] alone;
            try (var f = SequenceClassifier.forward(p, Batch.of(List.of(new int[]{1, 4, 2})), null, false)) {
                alone = f.logits.toArray();
            }
            try (var f = SequenceClassifier.forward(p, batch, null, false)) {
                float[] padded = f.logits.toArray();
                for (int c = 0; c < 3; c++) {
                    assertEquals(alone[c], padded[3 + c], 1e-5, "padding is not part of the mean");
                }
            }
            try (var f = SequenceClassifier.forward(base, batch, null, false); var m = SequenceClassifier.forward(p, batch, null, false)) {
                assertFalse(Arrays.equals(f.logits.toArray(), m.logits.toArray()), "mean differs from [CLS]");
            }
        }
    }
}
