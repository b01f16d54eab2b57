package cn.clinicaltext.workbench.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The everyday preset's budget that follows the data, and what a run that was still improving says. */
class TrainingBudgetTest {
    private static long steps(int texts) {
        return (texts + 31) / 32;                                 // batches of 32, as the presets
    }

    @Test
    void theEverydayBudgetGivesSmallTrainingSetsMoreEpochs() {
        TrainingConfig.Loop loop = TrainingConfig.FINE_TUNING.loop();
        assertNull(loop.maxEpochs());
        assertEquals(3, loop.plannedEpochs(steps(6_211)), "ChnSentiCorp: 195 steps an epoch, its 3 epochs as before");
        assertEquals(3, loop.plannedEpochs(steps(100_000)), "a large set: the floor");
        assertEquals(8, loop.plannedEpochs(steps(2_036)), "CSLDCP: 64 steps an epoch, 512 steps");
        assertEquals(14, loop.plannedEpochs(steps(1_185)), "TNEWS: 38 steps an epoch, 532 steps");
        assertEquals(TrainingConfig.Loop.CAP_EPOCHS, loop.plannedEpochs(steps(100)), "a few texts: the cap");
        assertTrue(loop.plannedEpochs(steps(2_036)) * steps(2_036) >= loop.minSteps());
    }

    @Test
    void epochsGivenArePlannedAsGiven() {
        assertEquals(10, TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 10).loop().plannedEpochs(steps(6_211)));
        assertEquals(1, TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 1).loop().plannedEpochs(steps(500)),
                "the demo's one");
        assertEquals(8, TrainingConfig.SCRATCH.loop().plannedEpochs(steps(100)), "the scratch preset: 8, any data");
        assertEquals(200, TrainingConfig.ORIGINAL.loop().plannedEpochs(steps(100)));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 0));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.FINE_TUNING.with("loop.minSteps", -1));
    }

    private static History history(double... valF1) {
        History h = new History();
        for (int e = 0; e < valF1.length; e++) {
            h.add(new EpochStats(e + 1, (e + 1) * 10L, 1e-5, 1, 0.5, 1, 0.5, valF1[e], Double.NaN, 1));
        }
        return h;
    }

    @Test
    void aRunWhoseLastPlannedEpochIsItsBestSaysSo() {
        TrainingConfig.Loop budget = TrainingConfig.FINE_TUNING.loop();
        String said = Trainer.stillImproving(history(0.2, 0.37, 0.41), 3, 3, budget);
        assertNotNull(said);
        assertTrue(said.contains("--epochs 6") && said.contains("training.loop.minSteps"), said);
        String fixed = Trainer.stillImproving(history(0.2, 0.37), 2, 2, TrainingConfig.SCRATCH.with("loop.maxEpochs", 2).loop());
        assertTrue(fixed.contains("--epochs 4") && !fixed.contains("minSteps"), fixed);
        assertNull(Trainer.stillImproving(history(0.2, 0.41, 0.39), 2, 3, budget), "best before the end");
        assertNull(Trainer.stillImproving(history(0.2, 0.41, 0.39, 0.38, 0.37), 2, 8, budget), "stopped early");
    }
}
