package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** AdamW, clipping, label smoothing, class weights and the learning-rate plan, each against its definition. */
class OptimisationTest {
    private static final AlbertConfig TINY = new AlbertConfig(20, 4, 4, 1, 2, 8, 8, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);

    /** The update is split over threads by elements: one thread and two give the same bits. */
    @Test
    void adamDoesNotDependOnTheThreadCount() {
        AlbertConfig wide = new AlbertConfig(300, 64, 64, 1, 2, 32, 8, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        int before = Parallel.threads();
        float[][] results = new float[2][];
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                try (AlbertParams p = AlbertParams.initialise(wide, 2, 1); AlbertParams g = AlbertParams.initialise(wide, 2, 2);
                     Adam adam = new Adam(p, 0.9f, 0.999f, 1e-6f)) {
                    for (int step = 0; step < 3; step++) {
                        adam.update(p, g, 0.01f, 0.01f);
                    }
                    results[threads - 1] = p.get(AlbertParams.WORD).toArray();
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertTrue(wide.vocabSize() * wide.embeddingSize() > 2 * 8192, "large enough to be split");
        assertArrayEquals(results[0], results[1]);
    }

    /**
     * Lazy Adam updates the given word-embedding rows as Adam does and leaves every other row (weights and moments)
     * alone, where Adam decays the moments of rows without gradient and keeps moving their weights.
     */
    @Test
    void lazyAdamTouchesOnlyTheGivenRows() {
        int e = TINY.embeddingSize();
        try (AlbertParams lazyP = AlbertParams.initialise(TINY, 2, 1); AlbertParams denseP = AlbertParams.initialise(TINY, 2, 1);
             AlbertParams g = lazyP.zerosLike(); Adam lazy = new Adam(lazyP, 0.9f, 0.999f, 1e-6f);
             Adam dense = new Adam(denseP, 0.9f, 0.999f, 1e-6f)) {
            // step 1: gradient on rows 3 and 5 only; lazy (rows 3, 5) and dense agree everywhere
            g.get(AlbertParams.WORD).set(3 * e, 0.5f);
            g.get(AlbertParams.WORD).set(5 * e + 1, -0.25f);
            lazy.update(lazyP, g, 0.1f, 0f, new int[]{3, 5});
            dense.update(denseP, g, 0.1f, 0f);
            assertArrayEquals(denseP.get(AlbertParams.WORD).toArray(), lazyP.get(AlbertParams.WORD).toArray());
            // step 2: gradient on row 7 only; row 3 keeps its weights and moments in lazy Adam, moves in Adam
            g.fill(0f);
            g.get(AlbertParams.WORD).set(7 * e, 1f);
            float row3 = lazyP.get(AlbertParams.WORD).get(3 * e);
            float m3 = lazy.firstMoments().get(AlbertParams.WORD).get(3 * e);
            lazy.update(lazyP, g, 0.1f, 0f, new int[]{7});
            dense.update(denseP, g, 0.1f, 0f);
            assertEquals(row3, lazyP.get(AlbertParams.WORD).get(3 * e));
            assertEquals(m3, lazy.firstMoments().get(AlbertParams.WORD).get(3 * e));
            assertNotEquals(row3, denseP.get(AlbertParams.WORD).get(3 * e), "Adam keeps moving a row with momentum");
            assertEquals(denseP.get(AlbertParams.WORD).get(7 * e) - lazyP.get(AlbertParams.WORD).get(7 * e), 0f, 1e-7f,
                    "a row with gradient in both steps' lists is updated alike");
            assertArrayEquals(denseP.get(AlbertParams.Q_KERNEL).toArray(), lazyP.get(AlbertParams.Q_KERNEL).toArray(),
                    "other parameters: plain Adam");
        }
    }

    @Test
    void adamWDecaysKernelsAndEmbeddingsButNotBiasesOrLayerNorm() {
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1); AlbertParams g = p.zerosLike();
             AlbertParams before = p.zerosLike(); Adam adam = new Adam(p, 0.9f, 0.999f, 1e-6f)) {
            p.tensors().forEach((k, v) -> before.get(k).copyFrom(v));
            g.tensors().values().forEach(t -> t.fill(0.5f));
            p.get(AlbertParams.CLS_BIAS).fill(2f);
            before.get(AlbertParams.CLS_BIAS).fill(2f);
            float lr = 0.1f;
            float decay = 0.3f;
            adam.update(p, g, lr, decay);
            // first step: m_hat = g, v_hat = g^2, so the Adam part is lr * g / (|g| + eps) = lr (nearly)
            double adamPart = lr * 0.5 / (0.5 + 1e-6);
            for (Map.Entry<String, Tensor> e : p.tensors().entrySet()) {
                float w0 = before.get(e.getKey()).get(0);
                double expected = AlbertParams.decays(e.getKey()) ? w0 * (1 - lr * decay) - adamPart : w0 - adamPart;
                assertEquals(expected, e.getValue().get(0), 1e-5, e.getKey());
            }
            assertTrue(AlbertParams.decays(AlbertParams.WORD));
            assertTrue(AlbertParams.decays(AlbertParams.Q_KERNEL));
            assertFalse(AlbertParams.decays(AlbertParams.Q_BIAS));
            assertFalse(AlbertParams.decays(AlbertParams.EMB_LN_GAMMA));
            assertFalse(AlbertParams.decays(AlbertParams.MLM_OUTPUT_BIAS));
        }
    }

    @Test
    void adamWithoutDecayIsUnchanged() {
        try (AlbertParams a = AlbertParams.initialise(TINY, 2, 1); AlbertParams b = AlbertParams.initialise(TINY, 2, 1);
             AlbertParams g = a.zerosLike(); Adam adamA = new Adam(a, 0.9f, 0.999f, 1e-6f);
             Adam adamB = new Adam(b, 0.9f, 0.999f, 1e-6f)) {
            g.tensors().values().forEach(t -> t.fill(-0.25f));
            adamA.update(a, g, 1e-2f);
            adamB.update(b, g, 1e-2f, 0f);
            a.tensors().forEach((k, v) -> assertArrayEquals(v.toArray(), b.get(k).toArray(), k));
        }
    }

    @Test
    void clippingScalesToTheMaximumNormAndLeavesSmallGradientsAlone() {
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1); AlbertParams g = p.zerosLike()) {
            g.tensors().values().forEach(t -> t.fill(0.1f));
            double n = Math.sqrt(p.count() * 0.01);
            assertEquals(n, Adam.clipGlobalNorm(g, 0), 1e-3, "0 only measures");
            assertEquals(n, Adam.clipGlobalNorm(g, 1.0), 1e-3, "returns the norm before clipping");
            assertEquals(1.0, Adam.clipGlobalNorm(g, 100), 1e-4, "now at the maximum, and left alone below it");
            float[] word = g.get(AlbertParams.WORD).toArray();
            assertEquals(0.1 / n, word[0], 1e-6, "every gradient scaled by the same factor");
        }
    }

    @Test
    void labelSmoothingAndClassWeightsFollowTheirDefinitions() {
        float[] z = {2f, -1f, 0.5f, 0.3f, 0.3f, -2f};
        int[] y = {0, 2};
        float eps = 0.1f;
        float[] w = {1f, 1f, 3f};
        try (Tensor logits = Tensor.of(z, 2, 3)) {
            float[] grad = new float[6];
            double loss = Loss.smoothedWeightedCrossEntropy(logits, y, eps, w, grad);
            // by hand: q = (1 - eps) onehot + eps / 3, l_i = -sum q log p, weighted mean
            double expected = 0;
            double wsum = 0;
            for (int i = 0; i < 2; i++) {
                double[] p = softmax(z, i);
                double l = 0;
                for (int c = 0; c < 3; c++) {
                    double q = (c == y[i] ? 1 - eps : 0) + eps / 3;
                    l -= q * Math.log(p[c]);
                    assertEquals(w[y[i]] * (p[c] - q), grad[i * 3 + c] * (w[0] + w[2]), 1e-5, "gradient " + i + "," + c);
                }
                expected += w[y[i]] * l;
                wsum += w[y[i]];
            }
            assertEquals(expected / wsum, loss, 1e-6);
            // and without either, plain cross-entropy
            assertEquals(Loss.softmaxCrossEntropy(logits, y), Loss.smoothedWeightedCrossEntropy(logits, y, 0f, null, null), 1e-9);
            // the gradient is that of the loss: central differences
            for (int k = 0; k < 6; k++) {
                float[] up = z.clone();
                float[] down = z.clone();
                up[k] += 1e-3f;
                down[k] -= 1e-3f;
                try (Tensor u = Tensor.of(up, 2, 3); Tensor d = Tensor.of(down, 2, 3)) {
                    double numeric = (Loss.smoothedWeightedCrossEntropy(u, y, eps, w, null)
                            - Loss.smoothedWeightedCrossEntropy(d, y, eps, w, null)) / 2e-3;
                    assertEquals(numeric, grad[k], 1e-3, "d loss / d z" + k);
                }
            }
        }
    }

    @Test
    void balancedClassWeightsGiveEveryClassTheSameTotalWeight() {
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 2, 2};
        float[] w = FineTuning.classWeights(TrainingConfig.ClassWeights.BALANCED, labels, 3);
        assertArrayEquals(new float[]{10f / 18, 10f / 6, 10f / 6}, w, 1e-6f);
        assertNull(FineTuning.classWeights(TrainingConfig.ClassWeights.NONE, labels, 3));
    }

    @Test
    void learningRatePlanInStepsOrFractionsOfTheRun() {
        LearningRateSchedule original = LearningRatePlan.ORIGINAL.resolve(123_456);
        assertEquals(0f, original.rate(0));
        assertEquals(1e-4f, original.rate(1000), 1e-12f);
        assertEquals(1e-5f, original.rate(2000), 1e-11f);
        assertEquals(1e-5f, original.rate(2001), "exactly the original 1e-5 after step 2000");
        assertEquals(1e-5f, original.rate(50_000), 1e-12f);
        LearningRateSchedule everyday = LearningRatePlan.warmupDecay(5e-4f, 0.1, 1.0, 0f).resolve(1000);
        assertEquals(5e-4f, everyday.rate(100), 1e-10f, "peak after 10% of 1000 steps");
        assertEquals(2.5e-4f, everyday.rate(550), 1e-10f, "half way down");
        assertEquals(0f, everyday.rate(1000), 1e-10f, "0 at the end");
        assertThrows(IllegalArgumentException.class, () -> LearningRatePlan.warmupDecay(0f, 0.1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRatePlan.warmupDecay(1e-4f, 0.1, 1, 2));
    }

    @Test
    void presetsAndNamedChanges() {
        TrainingConfig c = TrainingConfig.SCRATCH.with("regularisation.hiddenDropout", 0.2f,
                "regularisation.attentionDropout", 0.2f, "regularisation.classifierDropout", 0.2f,
                "regularisation.classWeights", TrainingConfig.ClassWeights.BALANCED);
        assertEquals(0.2f, c.regularisation().hiddenDropout());
        assertEquals(0.2f, c.regularisation().classifierDropout());
        assertEquals(TrainingConfig.SCRATCH.data().maxlen(), c.data().maxlen());
        assertNull(TrainingConfig.ORIGINAL.regularisation().hiddenDropout(), "the original uses the model config's dropout");
        assertEquals(0f, TrainingConfig.ORIGINAL.regularisation().dropout(AlbertConfig.ALBERT_TINY_ZH, 42, 1).hidden());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("regularisation.hiddenDropout", 1f,
                "regularisation.attentionDropout", 1f, "regularisation.classifierDropout", 1f));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("regularisation.labelSmoothing", -0.1f));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("optimiser.weightDecay", Float.NaN));
    }

    private static double[] softmax(float[] z, int row) {
        double max = Math.max(z[row * 3], Math.max(z[row * 3 + 1], z[row * 3 + 2]));
        double[] p = new double[3];
        double s = 0;
        for (int c = 0; c < 3; c++) {
            p[c] = Math.exp(z[row * 3 + c] - max);
            s += p[c];
        }
        for (int c = 0; c < 3; c++) {
            p[c] /= s;
        }
        return p;
    }
}
