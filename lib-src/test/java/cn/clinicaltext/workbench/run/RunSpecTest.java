package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.data.DuplicatePolicy;
import cn.clinicaltext.workbench.model.ModelSize;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.train.Distillation;
import cn.clinicaltext.workbench.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The run file: presets, partial files laid over them, errors that name the setting, names from settings. */
class RunSpecTest {
    @Test
    void everyPresetSurvivesItsJsonForm() {
        for (RunSpec.Preset p : RunSpec.Preset.values()) {
            RunSpec back = RunSpec.parse(p.spec().toJson());
            assertEquals(p.spec().toJson(), back.toJson(), p.name());
            assertTrue(back.sameSettings(p.spec()));
        }
    }

    @Test
    void aPartialFileIsItsPresetWithTheGivenSettings() {
        RunSpec s = RunSpec.parse("""
                {"preset": "original", "data": "mydata", "labels": ["no", "yes"],
                 "training": {"maxlen": 64, "monitor": "val-macro-f1", "pooling": "mean"},
                 "split": {"duplicates": "majority"}}""");
        assertEquals(Path.of("mydata"), s.data());
        assertEquals(List.of("no", "yes"), s.labels());
        assertEquals(64, s.training().data().maxlen());
        assertEquals(TrainingConfig.Monitor.VAL_MACRO_F1, s.training().loop().monitor(), "enum names in any case, - or _");
        assertEquals(Pooling.MEAN, s.training().pooling());
        assertEquals(DuplicatePolicy.MAJORITY, s.split().duplicates());
        assertEquals(TrainingConfig.ORIGINAL.learningRate(), s.training().learningRate(), "the rest is the preset's");
        assertEquals(RunSpec.ORIGINAL.seeds(), s.seeds());
    }

    @Test
    void theSeedsAreTheOneSeedSettingAndOlderRunFilesStillRead() {
        RunSpec a = RunSpec.DEFAULT.withSettings(List.of("seeds=[7,8]"));
        assertEquals(List.of(7L, 8L), a.seeds());
        assertFalse(a.toJsonTree().getAsJsonObject("training").has("seed"), "no second home for the seed: " + a.toJson());
        // run files of earlier versions hold training.seed, always the first of their seeds
        RunSpec b = RunSpec.DEFAULT.withSettings(List.of("training.seed=9"));
        assertEquals(List.of(9L), b.seeds());
        RunSpec older = RunSpec.parse("{\"preset\": \"default\", \"training\": {\"seed\": 7, \"maxlen\": 64},"
                + " \"seeds\": [7, 8]}");
        assertEquals(List.of(7L, 8L), older.seeds());
        assertEquals(64, older.training().data().maxlen());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.DEFAULT.withSettings(List.of("seeds=[7,8]", "training.seed=9")));
        assertTrue(e.getMessage().contains("training.seed"), e.getMessage());
    }

    @Test
    void trainingSettingsAreGroupedAndTheFlatNamesOfOlderFilesStillRead() {
        RunSpec grouped = RunSpec.parse("{\"training\": {\"data\": {\"maxlen\": 64}, \"loop\": {\"maxEpochs\": 5},"
                + " \"optimiser\": {\"weightDecay\": 0.02}, \"regularisation\": {\"hiddenDropout\": 0.2}}}");
        assertEquals(64, grouped.training().data().maxlen());
        assertEquals(5, grouped.training().loop().maxEpochs());
        assertEquals(0.02f, grouped.training().optimiser().weightDecay());
        assertEquals(0.2f, grouped.training().regularisation().hiddenDropout());
        RunSpec flat = RunSpec.parse("{\"training\": {\"maxlen\": 64, \"maxEpochs\": 5, \"weightDecay\": 0.02,"
                + " \"hiddenDropout\": 0.2}}");
        assertEquals(grouped, flat, "an older run file's flat names land in their groups");
        assertEquals(grouped.training(), RunSpec.DEFAULT.withSettings(List.of("training.maxlen=64",
                "training.loop.maxEpochs=5", "training.weightDecay=0.02", "training.regularisation.hiddenDropout=0.2"))
                .training(), "--set takes either");
        assertTrue(grouped.flatSettings().containsKey("training.data.maxlen"), grouped.flatSettings().keySet().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.parse("{\"training\": {\"maxlenn\": 64}}"));
        assertTrue(e.getMessage().contains("training.maxlenn"), e.getMessage());
    }

    /** Pretraining's optimiser is the fine-tuning settings' group since 2026-12-08; the flat names still read. */
    @Test
    void pretrainingSharesTheOptimiserGroupAndItsFlatNamesStillRead() {
        RunSpec flat = RunSpec.parse("{\"pretraining\": {\"weightDecay\": 0.02, \"clipNorm\": 0.5,"
                + " \"adamEpsilon\": 1e-8, \"steps\": 10}}");
        assertEquals(0.02f, flat.pretraining().optimiser().weightDecay());
        assertEquals(0.5f, flat.pretraining().optimiser().clipNorm());
        assertEquals(1e-8f, flat.pretraining().optimiser().adamEpsilon());
        assertEquals(10, flat.pretraining().steps());
        assertEquals(flat, RunSpec.parse("{\"pretraining\": {\"optimiser\": {\"weightDecay\": 0.02,"
                + " \"clipNorm\": 0.5, \"adamEpsilon\": 1e-8}, \"steps\": 10}}"));
        IllegalArgumentException lazy = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.DEFAULT.withSettings(List.of("pretraining.optimiser.lazyAdam=true")));
        assertTrue(lazy.getMessage().contains("lazyAdam"), lazy.getMessage());
    }

    @Test
    void errorsNameTheSettingAndTheChoices() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.parse("{\"training\": {\"learning_rate\": 1}}"));
        assertTrue(unknown.getMessage().contains("training.learning_rate"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("maxlen"), "lists the settings there: " + unknown.getMessage());
        IllegalArgumentException badEnum = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.parse("{\"model\": \"huge\"}"));
        assertTrue(badEnum.getMessage().contains("albert_tiny") && badEnum.getMessage().contains("huge"),
                badEnum.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.parse("{\"training\": {\"maxlen\": 2}}"));
        assertTrue(invalid.getMessage().contains("maxlen"), invalid.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.parse("{\"preset\": \"fast\"}"));
        assertTrue(preset.getMessage().contains("default, original, scratch, smoke"), preset.getMessage());
    }

    @Test
    void distillationSettingsAreARunSetting() {
        assertEquals(Distillation.Settings.DEFAULT, RunSpec.DEFAULT.distillation());
        RunSpec set = RunSpec.DEFAULT.withSettings(List.of("distillation.augment=1", "distillation.temperature=4"));
        assertEquals(Distillation.Settings.DEFAULT.with("augment", 1).with("temperature", 4), set.distillation());
        assertEquals(set, RunSpec.parse(set.toJson()), "written to and read from run files");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.DEFAULT.withSettings(List.of("distillation.alpha=2")));
        assertTrue(bad.getMessage().contains("alpha"), bad.getMessage());
    }

    @Test
    void aFileErrorNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("run.json");
        Files.writeString(f, "{\"seeds\": [1, 1]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunSpec.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("distinct"), e.getMessage());
    }

    @Test
    void anUnnamedRunIsNamedFromItsDataAndSettings() {
        RunSpec a = RunSpec.DEFAULT.with("data", Path.of("/x/hospital-a"));
        RunSpec b = a.withSettings(List.of("training.maxlen=64"));
        assertTrue(a.resolvedName().startsWith("hospital-a-"), a.resolvedName());
        assertNotEquals(a.resolvedName(), b.resolvedName(), "one setting changed, another run");
        assertEquals(a.resolvedName(), RunSpec.parse(a.toJson()).resolvedName(), "the same settings, the same name");
        assertEquals(List.of("training.data.maxlen: 128 → 64"), a.differences(b));
        assertEquals("mine", a.with("name", "mine").resolvedName());
        assertThrows(IllegalArgumentException.class, () -> a.with("name", "../escape"));
    }

    @Test
    void smokeIsTinyAndQuick() {
        assertEquals(ModelSize.TINY, RunSpec.SMOKE.model());
        assertNull(RunSpec.SMOKE.pretrained());
        assertTrue(RunSpec.SMOKE.training().loop().maxEpochs() <= 2);
    }
}
