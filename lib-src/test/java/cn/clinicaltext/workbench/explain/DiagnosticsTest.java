package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cn.clinicaltext.workbench.explain.IntegratedGradientsTest.CONFIG;
import static cn.clinicaltext.workbench.explain.IntegratedGradientsTest.classifier;
import static org.junit.jupiter.api.Assertions.*;

class DiagnosticsTest {
    private static Attribution made(String text, float[] raw, int predicted) {
        List<String> tokens = new ArrayList<>();
        text.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
        return new Attribution(text, tokens, Attribution.scaled(raw, Score.SIGNED), raw, predicted, "c" + predicted,
                predicted, Attribution.NO_LABEL, null, probabilities(predicted), Double.NaN, 0, ExplainSettings.DEFAULT);
    }

    /** Three classes, 0.9 on the predicted one. */
    private static float[] probabilities(int predicted) {
        float[] p = {0.05f, 0.05f, 0.05f};
        p[predicted] = 0.9f;
        return p;
    }

    /** Attributions that move with their words pass the control; ones tied to position 1 fail it. */
    @Test
    void positionControlTellsWordsFromPositions() {
        List<Attribution> original = new ArrayList<>();
        List<Attribution> followsWords = new ArrayList<>();
        List<Attribution> followsPosition = new ArrayList<>();
        String[] texts = {"甲乙丙丁戊", "乙丙丁戊己", "丙丁戊己庚", "丁戊己庚辛"};
        for (int t = 0; t < texts.length; t++) {
            float[] raw = new float[5];
            raw[t % 5] = 1f;
            raw[(t + 2) % 5] = 0.3f;
            raw[(t + 4) % 5] = 0.1f;
            original.add(made(texts[t], raw, 0));
            float[] shifted = new float[7];
            System.arraycopy(raw, 0, shifted, 2, 5);
            followsWords.add(made("前缀" + texts[t], shifted, 0));
            float[] stuck = new float[7];
            System.arraycopy(raw, 0, stuck, 0, 5);
            stuck[5] = 0.05f;
            stuck[6] = 0.02f;
            followsPosition.add(made("前缀" + texts[t], stuck, 0));
        }
        PositionProfile good = PositionProfile.compare(original, followsWords, 2, "前缀", 8, 1);
        assertEquals(0.25, good.stats().topAtFirst(), 1e-9);
        assertEquals(0.25, good.stats().controlTopAtShiftedFirst(), 1e-9);
        assertEquals(0.0, good.stats().controlTopAtFirst(), 1e-9);
        assertEquals(0.0, good.stats().prefixShare(), 1e-9);
        assertEquals(1.0, good.stats().rankCorrelation().estimate(), 1e-9);
        assertEquals(good.original()[0], good.control()[2], 1e-9, "the profile moves right by the prefix");
        PositionProfile bad = PositionProfile.compare(original, followsPosition, 2, "前缀", 8, 1);
        assertEquals(0.25, bad.stats().controlTopAtFirst(), 1e-9);
        assertTrue(bad.stats().prefixShare() > 0.3, "position-bound maps put weight on the prefix");
        assertTrue(bad.stats().rankCorrelation().estimate() < 0.5);
        assertEquals(8, good.summary().rowCount());
    }

    /** Comprehensiveness and sufficiency are the probability changes of deleting or keeping the top tokens. */
    @Test
    void eraserMeasuresDeletionAndKeeping() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 21)) {
            TextClassifier c = classifier(p);
            String text = "胃镜：慢性浅表性胃炎";
            int[] ids = c.encode(text).tokenIds();
            float[] raw = new float[ids.length - 2];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = i;  // the last token ranks first
            }
            Attribution a = made(text, raw, 1);
            Eraser e = Eraser.of(c, List.of(a), 3);
            int n = raw.length;
            int[] without = new int[ids.length - 1];
            System.arraycopy(ids, 0, without, 0, ids.length - 2);
            without[ids.length - 2] = ids[ids.length - 1];
            int[] only = {ids[0], ids[ids.length - 2], ids[ids.length - 1]};
            float[] p3;
            try (var f = SequenceClassifier.forward(p, Batch.of(List.of(ids, without, only)), null, false)) {
                p3 = Loss.softmax(f.logits);
            }
            Eraser.Row top1 = e.rows().get(0);
            assertEquals("top 1", top1.cut());
            assertEquals(p3[1] - p3[3 + 1], top1.comprehensiveness().estimate(), 1e-5);
            assertEquals(p3[1] - p3[6 + 1], top1.sufficiency().estimate(), 1e-5);
            assertEquals(Eraser.TOKEN_CUTS.length + Eraser.FRACTION_CUTS.length + 1, e.rows().size());
            assertEquals(1, e.aggregate().texts());
            assertEquals(n > 1 ? 1 : 0, top1.texts());
        }
    }

    /** A model compared with itself correlates perfectly; randomised stages change the maps of a random model too. */
    @Test
    void sanityChecksCompareMaps() {
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 3, 23)) {
            Explainer ex = Explainer.of(classifier(p));
            List<LabeledText> records = List.of(new LabeledText("胃镜：慢性浅表性胃炎", 1),
                    new LabeledText("结肠镜：直肠息肉", 2), new LabeledText("胆囊结石", 0));
            List<Attribution> original = ex.explainAll(records);
            SanityChecks.Row self = SanityChecks.compare("same", original, original, 1);
            assertEquals(1.0, self.signedCorrelation().estimate(), 1e-9);
            List<SanityChecks.Row> cascade = SanityChecks.cascade(ex, records, original, 99);
            assertEquals(List.of("trained model (reference)", "classifier", "+ feed-forward block", "+ attention block", "+ embeddings"),
                    cascade.stream().map(SanityChecks.Row::stage).toList());
            SanityChecks.Row all = cascade.get(cascade.size() - 1);
            assertTrue(all.signedCorrelation().estimate() < 0.9, "fully random model, different maps: " + all);
            assertEquals(5, SanityChecks.toTable(cascade, "t").rowCount());
            assertFalse(p.get(AlbertParams.CLS_KERNEL).isClosed(), "the original model is left alone");
        }
    }

    /** The log-odds z is positive for a token over-represented in a class and contrasts of two classes are opposite. */
    @Test
    void contrastiveKeywords() {
        int[] onlyInClass1 = {0, 12, 0};
        long[] tokensByClass = {100, 100, 100};
        assertTrue(ContrastiveKeywords.logOddsZ(onlyInClass1, 1, tokensByClass, 300) > 2);
        assertTrue(ContrastiveKeywords.logOddsZ(onlyInClass1, 0, tokensByClass, 300) < 0);
        int[] even = {4, 4, 4};
        assertEquals(0.0, ContrastiveKeywords.logOddsZ(even, 2, tokensByClass, 300), 1e-9);
        try (AlbertParams p = AlbertParams.initialise(CONFIG, 2, 25)) {
            TextClassifier c = new TextClassifier(p, new BertTokenizer(IntegratedGradientsTest.VOCAB), List.of("a", "b"), 32);
            List<LabeledText> records = List.of(new LabeledText("胃镜：慢性胃炎", 0), new LabeledText("结肠镜：直肠息肉", 1),
                    new LabeledText("胃镜：胃息肉", 0), new LabeledText("结肠镜：结肠炎", 1));
            ContrastiveKeywords k = ContrastiveKeywords.of(Explainer.of(c), records, 2);
            Map<String, Double> a = new HashMap<>();
            k.entries(0).forEach(en -> a.put(en.token(), en.contrast()));
            for (ContrastiveKeywords.Entry en : k.entries(1)) {
                assertEquals(-a.get(en.token()), en.contrast(), 1e-6, en.token());
                assertTrue(en.support() >= 2);
            }
            assertTrue(a.containsKey("镜") && !a.containsKey("慢"), "support filter");
            assertTrue(k.entries(0).stream().filter(en -> en.token().equals("胃")).findFirst().orElseThrow().logOddsZ() > 0);
        }
    }
}
