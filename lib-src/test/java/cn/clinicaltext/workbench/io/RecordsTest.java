package cn.clinicaltext.workbench.io;

import cn.clinicaltext.workbench.explain.ExplainSettings;
import cn.clinicaltext.workbench.train.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RecordsTest {
    @Test
    void withReplacesSettingsByPathAndKeepsTheRest() {
        TrainingConfig c = TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 5, "data.maxlen", 64,
                "optimiser.weightDecay", 0.02);                          // a double for a float setting
        assertEquals(5, c.loop().maxEpochs());
        assertEquals(64, c.data().maxlen());
        assertEquals(0.02f, c.optimiser().weightDecay());
        assertEquals(TrainingConfig.FINE_TUNING.data().batchSize(), c.data().batchSize());
        assertEquals(TrainingConfig.FINE_TUNING.learningRate(), c.learningRate());
        assertNull(TrainingConfig.SCRATCH.with("loop.maxEpochs", null).loop().maxEpochs());
    }

    @Test
    void settingsCheckedTogetherChangeTogether() {
        // steps may not exceed maxSteps: one at a time, 200 steps would be refused before maxSteps became 400
        ExplainSettings s = ExplainSettings.DEFAULT.with("steps", 200, "maxSteps", 400);
        assertEquals(200, s.steps());
        assertEquals(400, s.maxSteps());
    }

    @Test
    void mistakesAreNamed() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("loop.maxEpoch", 3));
        assertTrue(unknown.getMessage().contains("loop.maxEpoch"), unknown.getMessage());
        var notAGroup = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.SCRATCH.with("pooling.x", 3));
        assertTrue(notAGroup.getMessage().contains("pooling"), notAGroup.getMessage());
        var invalid = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("data.maxlen", 2));
        assertTrue(invalid.getMessage().contains("maxlen"), "the record's own check: " + invalid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("data.maxlen", 64.5));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("data.maxlen", null))
                .getMessage().contains("data.maxlen must be given"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("data.maxlen",
                5_000_000_000L)).getMessage().contains("data.maxlen"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("data.maxlen", "64"))
                .getMessage().contains("data.maxlen: 64 (String) is not a int"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.SCRATCH.with("data.maxlen", 64,
                "data.maxlen", 32)).getMessage().contains("given twice"));
    }

    record Pair(int a, String b) {
    }

    @Test
    void ofNamesEveryComponent() {
        assertEquals(new Pair(1, "x"), Records.of(Pair.class, "b", "x", "a", 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.of(Pair.class, "a", 1)).getMessage()
                .contains("Pair.b is not given"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.of(Pair.class, "a", 1, "a", 2, "b", ""))
                .getMessage().contains("named twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Records.of(Pair.class, "a", 1, "c", ""))
                .getMessage().contains("no setting 'c'"));
    }
}
