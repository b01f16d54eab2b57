package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.SyntheticCorpusConfig;
import cn.clinicaltext.workbench.data.SyntheticCorpusGenerator;
import cn.clinicaltext.workbench.model.AlbertConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A run whose loss becomes NaN or infinite stops with a clear message and keeps its last good state. */
class TrainerDivergenceTest {
    /** The seed of every run here (the presets' first). */
    private static final long SEED = 42;

    @Test
    void divergingRunStopsAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        var corpus = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(200)).corpus();
        DataSplit split = DataSplit.stratified(Deduplication.of(corpus).kept(), SplitRatios.DEFAULT, 1);
        AlbertConfig tiny = new AlbertConfig(21128, 16, 16, 1, 2, 32, 512, 2, "gelu", 1e-12f, 0.02f, 0f, 0f);
        // a sane first epoch (8 steps), then a learning rate no model survives
        LearningRateSchedule schedule = new LearningRateSchedule(new long[]{0, 10, 11}, new float[]{1e-3f, 1e-3f, 1e30f});
        TrainingConfig config = TrainingConfig.ORIGINAL.with("loop.maxEpochs", 5).with("data.batchSize", 20).with("data.maxlen", 48).with("learningRate", LearningRatePlan.fixed(schedule));
        TrainingSetup setup = new TrainingSetup(dir.resolve("run"), split, LabelNames.namesFor(3), null, tiny, config,
                SEED, Map.of(), dir);
        TrainingLoop.DivergedException e = assertThrows(TrainingLoop.DivergedException.class, () -> Trainer.fit(setup));
        assertTrue(e.getMessage().contains("loss became"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("run/model.safetensors")), "the best model of the good epoch is kept");
        assertEquals(1, TrainingState.readMeta(dir.resolve("run"), EpochStats.class).points(), "the last full state is the good epoch's");
    }
}
