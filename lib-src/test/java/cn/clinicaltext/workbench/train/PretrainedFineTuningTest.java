package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.SyntheticCorpusConfig;
import cn.clinicaltext.workbench.data.SyntheticCorpusGenerator;
import cn.clinicaltext.workbench.explain.Attribution;
import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.explain.Explainer;
import cn.clinicaltext.workbench.model.Activation;
import cn.clinicaltext.workbench.model.TextClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * bge-small-zh-v1.5 from the class path through the whole path a user takes: fine-tuned a few steps, saved, loaded
 * back as a BERT (its own weights per layer, exact GELU, its 21,128-token vocabulary), predicting and explained by
 * integrated gradients with the completeness gap small; the run's record names the start and its SHA-256.
 */
class PretrainedFineTuningTest {
    /** The seed of every run here (the presets' first). */
    private static final long SEED = 42;

    @Test
    void bgeFineTunesSavesLoadsPredictsAndIsExplained(@TempDir Path dir) throws Exception {
        var corpus = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(120)).corpus();
        DataSplit split = DataSplit.stratified(Deduplication.of(corpus).kept(), SplitRatios.DEFAULT, 1);
        TrainingConfig tc = TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 1, "data.maxlen", 24, "data.batchSize", 32);
        PretrainedStart bge = PretrainedStart.resolve(PretrainedStart.BGE_SMALL_ZH, dir).orElseThrow();
        TrainingResult result = Trainer.fit(new TrainingSetup(dir.resolve("run"), split, LabelNames.namesFor(3), bge,
                null, tc, SEED, Map.of(), dir));
        assertTrue(result.weightsOrigin().contains("bge-small-zh-v1.5"), result.weightsOrigin());
        String provenance = Files.readString(dir.resolve("run/provenance.json"));
        assertTrue(provenance.contains("\"start\": \"pretrained " + bge.weightsSha256() + "\""), provenance);

        TextClassifier model = SavedModel.classifier(dir.resolve("run"));
        assertEquals(4, model.params().config().numHiddenGroups());
        assertEquals(Activation.GELU_EXACT, model.params().config().activation());
        assertEquals(21128, model.tokenizer().vocabulary().size());
        var prediction = model.predict("胃镜：慢性浅表性胃炎");
        assertEquals(3, prediction.probabilities().length);
        Attribution a = Explainer.of(model, ExplainSettings.DEFAULT).explain("胃镜：慢性浅表性胃炎");
        assertTrue(Math.abs(a.completenessGap()) < 0.05, "integrated gradients' completeness gap " + a.completenessGap());
        model.params().close();
    }
}
