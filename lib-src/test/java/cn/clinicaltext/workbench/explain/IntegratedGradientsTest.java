package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IntegratedGradientsTest {
    static final List<String> TEXTS = List.of("胃镜：慢性浅表性胃炎", "结肠镜：直肠息肉", "胆囊结石");
    static final Vocabulary VOCAB = CharVocabularyBuilder.fromTexts(TEXTS, 1);
    static final AlbertConfig CONFIG = new AlbertConfig(VOCAB.size(), 8, 8, 2, 2, 16, 32, 2, "gelu", 1e-12f, 0.5f,
            0f, 0f);

    /** A random 3-class model over the test vocabulary; its initialiser range is large enough to matter. */
    static TextClassifier classifier(AlbertParams p) {
        return new TextClassifier(p, new BertTokenizer(VOCAB), List.of("neither", "upper", "lower"), 32);
    }

    /** Completeness from each baseline: attributions add up to p(x) - p(baseline) as the number of steps grows. */
    @Test
    void attributionsAddUpToTheProbabilityChangeFromEveryBaseline() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 5)) {
            int[] ids = classifier(p).encode("胃镜：慢性胃炎").tokenIds();
            for (ReferenceInput b : ReferenceInput.values()) {
                float[] base = b.embeddings(p, ids, VOCAB);
                var r20 = IntegratedGradients.explain(p, ids, base, new int[]{1}, 20, 20, 1).get(0);
                var r320 = IntegratedGradients.explain(p, ids, base, new int[]{1}, 320, 320, 1).get(0);
                double sum = 0;
                for (float s : r320.signedScores()) {
                    sum += s;
                }
                assertEquals(r320.probabilityChange() + r320.gap(), sum, 1e-5, b + ": gap is the sum's error");
                assertTrue(Math.abs(r320.gap()) < 2e-3, b + " gap with 320 steps: " + r320.gap());
                assertTrue(Math.abs(r320.gap()) <= Math.abs(r20.gap()) + 1e-4, b + ": more steps, smaller gap");
                assertTrue(Math.abs(r320.probabilityChange()) > 1e-3, b + ": the baseline changes the prediction");
            }
        }
    }

    /** Doubling reuses the earlier points: 20 steps doubled to 80 gives the 80-step sum itself. */
    @Test
    void doublingEqualsTheFinerSumAndStopsAtTheTolerance() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 7)) {
            int[] ids = classifier(p).encode("结肠镜：直肠息肉").tokenIds();
            float[] base = ReferenceInput.PAD.embeddings(p, ids, VOCAB);
            var doubled = IntegratedGradients.explain(p, ids, base, new int[]{2}, 20, 80, 1e-12).get(0);
            var fixed = IntegratedGradients.explain(p, ids, base, new int[]{2}, 80, 80, 1e-12).get(0);
            assertEquals(80, doubled.steps());
            assertArrayEquals(fixed.vectors(), doubled.vectors(), 1e-6f);
            var loose = IntegratedGradients.explain(p, ids, base, new int[]{2}, 20, 160, 10).get(0);
            assertEquals(20, loose.steps(), "within tolerance at once: no doubling");
        }
    }

    /** [PAD] and [MASK] baselines keep [CLS] and [SEP]; zero removes them too. */
    @Test
    void baselinesKeepTheSpecialTokensExceptZero() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 5)) {
            int[] ids = classifier(p).encode("胆囊结石").tokenIds();
            int e = CONFIG.embeddingSize();
            float[] x = ReferenceInput.inputEmbeddings(p, ids);
            float[] pad = ReferenceInput.PAD.embeddings(p, ids, VOCAB);
            float[] mask = ReferenceInput.MASK.embeddings(p, ids, VOCAB);
            float[] padRow = ReferenceInput.inputEmbeddings(p, new int[]{VOCAB.padId()});
            for (int i = 0; i < e; i++) {
                assertEquals(x[i], pad[i], "[CLS] kept");
                assertEquals(x[(ids.length - 1) * e + i], mask[(ids.length - 1) * e + i], "[SEP] kept");
                assertEquals(padRow[i], pad[2 * e + i], "text token -> [PAD]");
            }
            for (float v : ReferenceInput.ZERO.embeddings(p, ids, VOCAB)) {
                assertEquals(0f, v);
            }
        }
    }

    /** Gradient x input is integrated gradients with one step at alpha = 1. */
    @Test
    void gradientTimesInputIsOneStepIntegratedGradients() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 9)) {
            TextClassifier c = classifier(p);
            ExplainSettings one = ExplainSettings.DEFAULT.with("steps", 1, "maxSteps", 1);
            Attribution ig = Explainer.of(c, one).explain("胃镜：慢性浅表性胃炎");
            Attribution gxi = Explainer.of(c, one.with("method", Method.GRADIENT_X_INPUT)).explain("胃镜：慢性浅表性胃炎");
            assertArrayEquals(ig.raw(), gxi.raw(), 1e-6f);
            assertTrue(Double.isNaN(gxi.completenessGap()));
        }
    }

    /** Leave-one-out occlusion: each score is p(x) - p(x with that token replaced by the baseline). */
    @Test
    void occlusionScoresAreProbabilityDrops() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 11)) {
            TextClassifier c = classifier(p);
            ExplainSettings occ = ExplainSettings.DEFAULT.with("method", Method.OCCLUSION, "target", Target.of(2));
            Attribution a = Explainer.of(c, occ).explain("结肠镜：直肠息肉");
            int[] ids = c.encode("结肠镜：直肠息肉").tokenIds();
            float[] x = ReferenceInput.inputEmbeddings(p, ids);
            float[] pad = ReferenceInput.PAD.embeddings(p, ids, VOCAB);
            int e = CONFIG.embeddingSize();
            float px = EmbeddingGradients.probabilities(p, ids, List.of(x))[0][2];
            for (int i = 0; i < a.raw().length; i++) {
                float[] occluded = x.clone();
                System.arraycopy(pad, (i + 1) * e, occluded, (i + 1) * e, e);
                float pi = EmbeddingGradients.probabilities(p, ids, List.of(occluded))[0][2];
                assertEquals(px - pi, a.raw()[i], 1e-6f, "token " + i);
            }
            assertEquals(2, a.target());
        }
    }

    /** With two classes p_0 + p_1 = 1, so the signed scores toward the two classes are exact opposites. */
    @Test
    void classScoresOfTwoClassesAreOpposite() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 2, 13)) {
            TextClassifier c = new TextClassifier(p, new BertTokenizer(VOCAB), List.of("a", "b"), 32);
            for (Method m : Method.values()) {
                float[][] s = Explainer.of(c, ExplainSettings.DEFAULT.with("method", m)).classScores("胃镜：慢性浅表性胃炎");
                assertEquals(10, s[0].length);
                for (int i = 0; i < s[0].length; i++) {
                    assertEquals(-s[0][i], s[1][i], 1e-5f, m + " token " + i);
                }
            }
        }
    }

    /** The original's variant takes the gradient of the whole embedding matrix: a repeated character gets one score. */
    @Test
    void embeddingMatrixVariantSharesScoresBetweenRepeatedTokens() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 6)) {
            TextClassifier c = classifier(p);
            var perPosition = Explainer.of(c, ExplainSettings.ORIGINAL.with("variant", ExplainSettings.Variant.PER_POSITION)).explain("胃镜胃肠");
            var matrix = Explainer.of(c, ExplainSettings.ORIGINAL).explain("胃镜胃肠");
            assertEquals(List.of("胃", "镜", "胃", "肠"), matrix.tokens());
            assertEquals(matrix.raw()[0], matrix.raw()[2], 1e-6f, "both 胃 share the matrix gradient");
            assertNotEquals(perPosition.raw()[0], perPosition.raw()[2], "per position they differ");
            for (float s : matrix.scores()) {
                assertTrue(s >= 0f && s <= 1f, "magnitudes scaled to 0..1");
            }
            Attribution signed = Explainer.of(c).explain("胃镜胃肠");
            float max = 0;
            for (float s : signed.scores()) {
                max = Math.max(max, Math.abs(s));
            }
            assertEquals(1f, max, 1e-6f, "signed scores scaled by the largest |score|");
        }
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> ExplainSettings.DEFAULT.with("steps", 0));
        assertThrows(IllegalArgumentException.class, () -> ExplainSettings.DEFAULT.with("steps", 40, "maxSteps", 20));
        assertThrows(IllegalArgumentException.class, () -> ExplainSettings.DEFAULT.with("occlusionWindow", 5));
        assertThrows(IllegalArgumentException.class, () -> ExplainSettings.DEFAULT.with("tolerance", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Target.of(-1));
        assertEquals(Method.OCCLUSION, Method.fromCliName("occlusion"));
        assertThrows(IllegalArgumentException.class, () -> Method.fromCliName("lime"));
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 5)) {
            var c = classifier(p);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Explainer.of(c, ExplainSettings.DEFAULT.with("target", Target.of(3))).explain("胃镜"));
            assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
        }
    }
}
