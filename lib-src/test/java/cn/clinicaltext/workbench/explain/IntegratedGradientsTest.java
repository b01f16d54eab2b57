package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.AlbertClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IntegratedGradientsTest {
    static final AlbertConfig TINY = new AlbertConfig(30, 8, 8, 2, 2, 16, 16, 2, "gelu", 1e-12f, 0.5f, 0f, 0f);

    /** Completeness: the attributions add up to p(x) - p(baseline) as the number of steps grows. */
    @Test
    void attributionsAddUpToTheProbabilityChange() {
        try (AlbertParams p = AlbertParams.initialise(TINY, 3, 5)) {
            int[] ids = {1, 7, 9, 4, 2};
            int target = 1;
            double px;
            try (var f = AlbertClassifier.forward(p, Batch.of(List.of(ids)), null, false)) {
                px = Loss.softmax(f.logits)[target];
            }
            double pb;
            try (Tensor zeros = Tensor.zeros(ids.length, TINY.embeddingSize());
                 var f = AlbertClassifier.forward(p, Batch.of(List.of(ids)), zeros, false)) {
                pb = Loss.softmax(f.logits)[target];
            }
            double gap20 = gap(p, ids, target, 20, px - pb);
            double gap300 = gap(p, ids, target, 300, px - pb);
            assertTrue(Math.abs(gap300) < 2e-3, "gap with 300 steps: " + gap300);
            assertTrue(Math.abs(gap300) <= Math.abs(gap20) + 1e-4, "more steps, smaller gap: " + gap20 + " vs " + gap300);
        }
    }

    /** The original's variant takes the gradient of the whole embedding matrix: a repeated character gets one score. */
    @Test
    void embeddingMatrixVariantSharesScoresBetweenRepeatedTokens() {
        try (AlbertParams p = AlbertParams.initialise(TINY, 3, 6)) {
            var vocab = cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder.fromTexts(java.util.List.of("胃镜胃肠"), 1);
            var big = new AlbertConfig(vocab.size(), 8, 8, 2, 2, 16, 16, 2, "gelu", 1e-12f, 0.5f, 0f, 0f);
            try (AlbertParams q = AlbertParams.initialise(big, 3, 6)) {
                var classifier = new cn.clinicaltext.workbench.model.TextClassifier(q,
                        new cn.clinicaltext.workbench.tokenizer.BertTokenizer(vocab), java.util.List.of("a", "b", "c"), 16);
                var perPosition = new Explainer(classifier, 20, Explainer.Reduction.L2_NORM, Explainer.Variant.PER_POSITION)
                        .explain("胃镜胃肠");
                var matrix = new Explainer(classifier, 20, Explainer.Reduction.L2_NORM, Explainer.Variant.EMBEDDING_MATRIX)
                        .explain("胃镜胃肠");
                assertEquals(java.util.List.of("胃", "镜", "胃", "肠"), matrix.tokens());
                assertEquals(matrix.raw()[0], matrix.raw()[2], 1e-6f, "both 胃 share the matrix gradient");
                assertNotEquals(perPosition.raw()[0], perPosition.raw()[2], "per position they differ");
                for (float s : matrix.scores()) {
                    assertTrue(s >= 0f && s <= 1f);
                }
            }
        }
    }

    private static double gap(AlbertParams p, int[] ids, int target, int steps, double change) {
        var r = IntegratedGradients.explain(p, ids, target, steps);
        double sum = 0;
        for (float s : r.signedScores()) {
            sum += s;
        }
        assertEquals(ids.length, r.l2Scores().length);
        return sum - change;
    }
}
