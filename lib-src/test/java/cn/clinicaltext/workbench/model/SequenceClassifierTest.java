package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SequenceClassifierTest {
    static final AlbertConfig TINY = new AlbertConfig(40, 8, 8, 3, 2, 16, 16, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
    static final AlbertConfig FACTORISED = new AlbertConfig(40, 8, 6, 2, 2, 12, 16, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
    /** A BERT: each of 3 layers its own weights, exact GELU. */
    static final AlbertConfig BERT = TINY.withHiddenGroups(3).withHiddenAct("gelu_exact");

    @Test
    void paddingDoesNotChangeTheLogitsOfShorterSequences() {
        try (AlbertParams p = AlbertParams.initialise(TINY, 3, 7)) {
            int[] seq = {1, 5, 9, 12, 2};
            float[] alone;
            try (var f = SequenceClassifier.forward(p, Batch.of(List.of(seq)), null, false)) {
                alone = f.logits.toArray();
            }
            try (var f = SequenceClassifier.forward(p, Batch.of(List.of(new int[]{1, 3, 4, 6, 7, 8, 10, 2}, seq)), null, false)) {
                float[] padded = f.logits.toArray();
                for (int c = 0; c < 3; c++) {
                    assertEquals(alone[c], padded[3 + c], 1e-5, "class " + c);
                }
            }
        }
    }

    @Test
    void everySizeFromItsConfigRuns() {
        for (AlbertConfig c : List.of(TINY, FACTORISED,
                new AlbertConfig(50, 12, 12, 1, 3, 24, 20, 1, "relu", 1e-12f, 0.02f, 0f, 0f))) {
            try (AlbertParams p = AlbertParams.initialise(c, 4, 1);
                 var f = SequenceClassifier.forward(p, Batch.of(List.of(new int[]{1, 2, 3})), null, false)) {
                assertArrayEquals(new int[]{1, 4}, f.logits.shape());
                for (float v : f.logits.toArray()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }

    /** Every parameter's analytic gradient against central finite differences, in double-checked float. */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (AlbertConfig config : List.of(TINY, FACTORISED, BERT, TINY.withHiddenAct("gelu_exact"),
                FACTORISED.withHiddenGroups(2))) {
            checkGradients(config);
        }
    }

    @Test
    void aBertHasOneSetOfLayerWeightsPerLayerAndEachIsUsed() {
        assertEquals(3 * 16 + 7, AlbertParams.shapes(BERT, 3).size(), "16 tensors per layer, 5 embedding, 2 classifier");
        assertEquals(16 + 7, AlbertParams.shapes(TINY, 3).size());
        try (AlbertParams p = AlbertParams.initialise(BERT, 3, 5)) {
            Batch batch = Batch.of(List.of(new int[]{1, 5, 9, 2}));
            float[] before;
            try (var f = SequenceClassifier.forward(p, batch, null, false)) {
                before = f.logits.toArray();
            }
            for (int layer = 0; layer < 3; layer++) {
                Tensor w = p.get(p.layer(layer).ffnOutKernel());
                float[] saved = w.toArray();
                w.fill(0f);
                try (var f = SequenceClassifier.forward(p, batch, null, false)) {
                    assertFalse(Arrays.equals(before, f.logits.toArray()), "layer " + layer + " is used");
                }
                w.copyFrom(saved);
            }
        }
    }

    @Test
    void groupsFollowAlbertsRule() {
        AlbertConfig twoGroups = new AlbertConfig(40, 8, 8, 4, 2, 16, 16, 2, "gelu", 1e-12f, 0.2f, 0f, 0f, 2);
        assertEquals(List.of(0, 0, 1, 1), List.of(twoGroups.groupOf(0), twoGroups.groupOf(1), twoGroups.groupOf(2),
                twoGroups.groupOf(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AlbertConfig(40, 8, 8, 3, 2, 16, 16, 2, "gelu", 1e-12f, 0.2f, 0f, 0f, 2));
        assertTrue(e.getMessage().contains("num_hidden_groups"), e.getMessage());
    }

    private static void checkGradients(AlbertConfig config) {
        // repeated ids (3 twice) check that the embedding gradient accumulates
        Batch batch = Batch.of(List.of(new int[]{1, 3, 7, 3, 2}, new int[]{1, 4, 2}));
        int[] labels = {2, 0};
        try (AlbertParams p = AlbertParams.initialise(config, 3, 11); AlbertParams g = p.zerosLike()) {
            try (var f = SequenceClassifier.forwardTraining(p, batch, null)) {
                Tensor dLogits = Loss.softmaxCrossEntropyGrad(f.logits, labels);
                SequenceClassifier.backward(p, f, dLogits, g);
                dLogits.close();
            }
            GradientCheck.check(p, g, () -> loss(p, batch, labels), "embedding " + config.embeddingSize());
            // id 3 appears twice: its row's gradient is the sum of both positions' gradients, not the last one
            assertNotEquals(0f, g.get(AlbertParams.WORD).get(3 * config.embeddingSize()));
        }
    }

    private static double loss(AlbertParams p, Batch batch, int[] labels) {
        try (var f = SequenceClassifier.forward(p, batch, null, false)) {
            return Loss.softmaxCrossEntropy(f.logits, labels);
        }
    }
}
