package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.LayerNames;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RegularisersTest {
    static final AlbertConfig TINY = new AlbertConfig(20, 8, 8, 2, 2, 16, 16, 2, "gelu", 1e-12f, 0.3f, 0f, 0f);
    static final EncodedSet.LabeledBatch BATCH = new EncodedSet.LabeledBatch(
            Batch.of(List.of(new int[]{1, 5, 7, 2}, new int[]{1, 9, 2})), new int[]{2, 0}, new int[]{0, 1});

    private static double loss(AlbertParams p) {
        try (var f = SequenceClassifier.forward(p, BATCH.batch(), null, false)) {
            return Loss.softmaxCrossEntropy(f.logits, BATCH.labels());
        }
    }

    @Test
    void fgmReportsTheLossAtTheMovedEmbeddingsAndRestoresThem() {
        try (AlbertParams p = AlbertParams.initialise(TINY, 3, 1); AlbertParams g = p.zerosLike()) {
            float[] before = p.get(AlbertParams.WORD).toArray();
            float eps = 0.5f;
            Regularisers.plainStep(p, g, BATCH);
            float norm = Regularisers.l2(g.get(AlbertParams.WORD));
            Tensor moved = g.get(AlbertParams.WORD).copy();
            Regularisers.addScaled(p.get(AlbertParams.WORD), moved, eps / norm);
            double expected = loss(p);
            Regularisers.addScaled(p.get(AlbertParams.WORD), moved, -eps / norm);
            moved.close();
            g.fill(0f);
            double reported = Regularisers.fgmStep(p, g, BATCH, eps).loss();
            assertEquals(expected, reported, 1e-5);
            assertTrue(reported > loss(p), "the adversarial direction raises the loss");
            assertArrayEquals(before, p.get(AlbertParams.WORD).toArray(), 1e-6f, "table moved back");
        }
    }

    /** The penalised objective L + eps/2 ||dL/dE||^2: its gradient against a finite difference of the objective. */
    @Test
    void gradientPenaltyGradientMatchesTheObjective() {
        checkPenalty(TINY, List.of(AlbertParams.CLS_KERNEL, AlbertParams.FFN_IN_KERNEL, AlbertParams.WORD));
    }

    /** The same for a BERT layout (each layer its own weights, exact GELU): both layers' weights get their share. */
    @Test
    void gradientPenaltyGradientMatchesTheObjectiveForABert() {
        checkPenalty(TINY.withHiddenGroups(2).withHiddenAct("gelu_exact"), List.of(AlbertParams.CLS_KERNEL,
                LayerNames.of(0).ffnInKernel(), LayerNames.of(1).qKernel(), AlbertParams.WORD));
    }

    private static void checkPenalty(AlbertConfig config, List<String> names) {
        float eps = 1f;
        try (AlbertParams p = AlbertParams.initialise(config, 3, 2); AlbertParams g = p.zerosLike()) {
            double reported = Regularisers.gradientPenaltyStep(p, g, BATCH, eps).loss();
            assertEquals(objective(p, eps), reported, 1e-6);
            assertTrue(reported > loss(p), "the penalty adds to the loss");
            for (String name : names) {
                Tensor w = p.get(name);
                int i = name.equals(AlbertParams.WORD) ? 5 * config.embeddingSize() + 3 : w.size() / 3;
                float orig = w.get(i);
                float h = 1e-3f;
                w.set(i, orig + h);
                double up = objective(p, eps);
                w.set(i, orig - h);
                double down = objective(p, eps);
                w.set(i, orig);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, g.get(name).get(i), 5e-3 + 5e-2 * Math.abs(numeric), name);
            }
        }
    }

    private static double objective(AlbertParams p, float eps) {
        try (AlbertParams g = p.zerosLike()) {
            double l = Regularisers.plainStep(p, g, BATCH).loss();
            float n = Regularisers.l2(g.get(AlbertParams.WORD));
            return l + 0.5 * eps * n * n;
        }
    }
}
