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
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The same seed and settings give the same weights, byte for byte, with dropout on and with it off. */
class TrainerReproducibilityTest {
    /** The seed of every run here (the presets' first). */
    private static final long SEED = 42;

    @Test
    void sameSeedSameWeightsWithAndWithoutDropout(@TempDir Path dir) throws Exception {
        var corpus = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(240)).corpus();
        DataSplit split = DataSplit.stratified(Deduplication.of(corpus).kept(), SplitRatios.DEFAULT, 1);
        TrainingConfig on = TrainingConfig.SCRATCH.with("loop.maxEpochs", 2, "data.maxlen", 48, "data.batchSize", 16,
                "regularisation.hiddenDropout", 0.3f, "regularisation.attentionDropout", 0.3f,
                "regularisation.classifierDropout", 0.3f, "regularisation.labelSmoothing", 0.1f,
                "regularisation.classWeights", TrainingConfig.ClassWeights.BALANCED);
        TrainingConfig off = on.with("regularisation.hiddenDropout", 0f, "regularisation.attentionDropout", 0f,
                "regularisation.classifierDropout", 0f);
        byte[] a = weights(dir, "a", split, on);
        byte[] b = weights(dir, "b", split, on);
        byte[] c = weights(dir, "c", split, off);
        byte[] d = weights(dir, "d", split, off);
        assertArrayEquals(a, b, "dropout on: reproducible");
        assertArrayEquals(c, d, "dropout off: reproducible");
        assertFalse(Arrays.equals(a, c), "dropout changes the run");
    }

    private static byte[] weights(Path dir, String name, DataSplit split, TrainingConfig tc) throws Exception {
        Trainer.fit(new TrainingSetup(dir.resolve(name), split, LabelNames.namesFor(3), null, AlbertConfig.TINY, tc,
                SEED, Map.of(), dir));
        return Files.readAllBytes(dir.resolve(name).resolve("model.safetensors"));
    }
}
