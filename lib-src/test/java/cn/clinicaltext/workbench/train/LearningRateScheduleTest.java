package cn.clinicaltext.workbench.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LearningRateScheduleTest {
    @Test
    void originalScheduleWarmsUpThenDecaysThenStaysConstant() {
        LearningRateSchedule s = LearningRateSchedule.ORIGINAL;
        assertEquals(0f, s.rate(0));
        assertEquals(5e-5f, s.rate(500), 1e-9);
        assertEquals(1e-4f, s.rate(1000), 1e-9);
        assertEquals(5.5e-5f, s.rate(1500), 1e-9);
        assertEquals(1e-5f, s.rate(2000), 1e-9);
        assertEquals(1e-5f, s.rate(50_000), 1e-9);
    }

    @Test
    void rejectsBadBreakpoints() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(new long[]{0, 0}, new float[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(new long[]{0}, new float[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(new long[]{0}, new float[]{-1}));
    }

    @Test
    void trainingConfigValidates() {
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.ORIGINAL.with("data.batchSize", 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.ORIGINAL.with("data.maxlen", 2));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.ORIGINAL.with("regularisation.fgmEpsilon", 0.5f).with("regularisation.gradientPenalty", 1f));
        assertEquals(3, TrainingConfig.ORIGINAL.loop().patience());
        assertEquals(200, TrainingConfig.ORIGINAL.data().maxlen());
    }
}
