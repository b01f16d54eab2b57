package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.testing.TinyModels;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Costs and attribution agreement of models against the first: the maps explain each text's true class. */
class ModelCostsTest {
    private static final List<LabeledText> SAMPLE = List.of(new LabeledText("慢性浅表性胃炎", 0),
            new LabeledText("结肠息肉胃炎", 1), new LabeledText("胃镜结肠", 1));

    @Test
    void eachTextIsExplainedTowardItsTrueClass(@TempDir Path dir) throws Exception {
        TextClassifier model = SavedModel.classifier(TinyModels.saved(dir));
        List<Attribution> maps = Explainer.of(model, ExplainSettings.DEFAULT).explainLabels(SAMPLE);
        for (int i = 0; i < SAMPLE.size(); i++) {
            assertEquals(SAMPLE.get(i).label(), maps.get(i).target(), "text " + i + " explains its label");
        }
    }

    @Test
    void aModelAgreesWithItselfAndAnotherVocabularyIsLeftOut(@TempDir Path dir) throws Exception {
        TextClassifier model = SavedModel.classifier(TinyModels.saved(dir));
        List<String> texts = SAMPLE.stream().map(LabeledText::text).toList();
        ModelCosts teacher = ModelCosts.measure("teacher", model, texts, SAMPLE, ExplainSettings.DEFAULT);
        ModelCosts same = ModelCosts.measure("same weights", model, texts, SAMPLE, ExplainSettings.DEFAULT);
        ModelCosts other = ModelCosts.measure("other vocabulary", otherVocabulary(dir.resolve("other")), texts,
                SAMPLE, ExplainSettings.DEFAULT);
        assertTrue(teacher.inferenceTextsPerSecond() > 0 && teacher.attributionTextsPerSecond() > 0);
        assertEquals(model.params().count(), teacher.parameters());

        Table costs = ModelCosts.table(List.of(teacher, same, other));
        assertEquals(1.0, costs.doubleColumn("inference × first").get(0), 1e-9);

        Table agreement = ModelCosts.agreement(List.of(teacher, same, other), 7);
        assertEquals(List.of("same weights"), agreement.stringColumn("model").asList());
        assertTrue(agreement.name().contains("other vocabulary"), agreement.name());
        assertTrue(agreement.stringColumn("Spearman, signed scores").get(0).startsWith("1.0"),
                "identical weights give identical maps: " + agreement.stringColumn("Spearman, signed scores").get(0));
    }

    /** A tiny model whose vocabulary splits the sample's texts into other tokens (one per two characters). */
    private static TextClassifier otherVocabulary(Path run) throws Exception {
        Vocabulary vocab = CharVocabularyBuilder.fromTexts(List.of("胃炎"), 1);
        AlbertConfig config = new AlbertConfig(vocab.size(), 8, 8, 1, 2, 16, 32, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        try (AlbertParams p = AlbertParams.initialise(config, 2, 1)) {
            new SavedModel(config, 2, 32, List.of("a", "b"), vocab, Map.of()).save(run, p);
        }
        return SavedModel.classifier(run);
    }
}
