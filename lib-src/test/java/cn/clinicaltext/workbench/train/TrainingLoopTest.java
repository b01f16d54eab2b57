package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop driven by a stub objective (no model forward pass): the gradient of a quadratic pulls the word
 * embeddings towards 0.5, and each evaluation point's score is scripted, so keeping the best, early stopping,
 * divergence and resuming can be checked exactly.
 */
class TrainingLoopTest {
    private static final AlbertConfig TINY = new AlbertConfig(20, 4, 4, 1, 2, 8, 8, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
    private static final LearningRateSchedule LR = new LearningRateSchedule(new long[]{0, 100},
            new float[]{1e-2f, 1e-2f});
    private static final TrainingConfig.Optimiser ADAM = new TrainingConfig.Optimiser(1e-6f, 0f, 0f, false);

    /** Loss sum (w - 0.5)^2 over the word embeddings; the score of point k is scores[k - 1]. */
    private static class Stub implements TrainingLoop.Objective<Double> {
        private final double[] scores;
        private final long divergeAt;
        private final long failAt;

        Stub(double[] scores, long divergeAt, long failAt) {
            this.scores = scores;
            this.divergeAt = divergeAt;
            this.failAt = failAt;
        }

        @Override
        public TrainingLoop.Step step(long step, AlbertParams params, AlbertParams grads) throws IOException {
            if (step == failAt) {
                throw new IOException("interrupted at step " + step);
            }
            Tensor w = params.get(AlbertParams.WORD);
            Tensor g = grads.get(AlbertParams.WORD);
            double loss = 0;
            for (int i = 0; i < w.size(); i++) {
                double d = w.get(i) - 0.5;
                loss += d * d;
                g.set(i, (float) (2 * d));
            }
            return new TrainingLoop.Step(step == divergeAt ? Double.NaN : loss, 1, 1, 10, null);
        }

        @Override
        public Double evaluate(long step, AlbertParams params, TrainingLoop.Running since) {
            return scores[(int) (step / 5) - 1];
        }

        @Override
        public double score(Double row) {
            return row;
        }
    }

    /** Records which points the loop asked to keep, and how it ended. */
    private static final class Recorder implements TrainingLoop.Listener<Double> {
        final List<Long> kept = new ArrayList<>();
        final List<Long> segments = new ArrayList<>();
        boolean resumed;
        long divergedAt = -1;

        @Override
        public void begin(TrainingLoop.Position<Double> at, boolean resumed) {
            this.resumed = resumed;
        }

        @Override
        public void segment(long firstStep, long lastStep) {
            segments.add(firstStep);
        }

        @Override
        public void evaluated(TrainingLoop.Position<Double> at, TrainingLoop.Verdict verdict, AlbertParams params) {
            if (verdict.keeps()) {
                kept.add(at.step());
            }
        }

        @Override
        public void diverged(long step, double loss) {
            divergedAt = step;
        }
    }

    private static TrainingLoop.Plan plan(Path dir, int patience) {
        return new TrainingLoop.Plan(dir, "test", "fingerprint", 30, 5, true, patience);
    }

    @Test
    void keepsTheBestPointAndStopsEarlyAfterThePatience(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            var out = TrainingLoop.run(new Stub(new double[]{0.1, 0.3, 0.2, 0.25, 0.5, 0.6}, -1, -1),
                    plan(dir, 2), Double.class, p, LR, ADAM, List.of(r));
            assertEquals(List.of(5L, 10L), r.kept, "points that improved the best score");
            assertEquals(TrainingLoop.Stop.EARLY, out.stop());
            assertEquals(20, out.end().step(), "stopped after two points without improvement");
            assertEquals(10, out.end().bestStep());
            assertEquals(0.3, out.end().bestScore());
            assertEquals(List.of(1L, 6L, 11L, 16L), r.segments);
        }
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            var again = TrainingLoop.run(new Stub(new double[]{0.1, 0.3, 0.2, 0.25, 0.5, 0.6}, -1, -1),
                    plan(dir, 2), Double.class, p, LR, ADAM, List.of());
            assertEquals(TrainingLoop.Stop.EARLY_BEFORE, again.stop(), "a finished run is not run again");
        }
    }

    @Test
    void aRunThatMonitorsNothingKeepsEveryPoint(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        TrainingLoop.Objective<Double> stub = new Stub(new double[6], -1, -1) {
            @Override
            public double score(Double row) {
                return Double.NaN;
            }
        };
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            var out = TrainingLoop.run(stub, plan(dir, 2), Double.class, p, LR, ADAM, List.of(r));
            assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), r.kept);
            assertEquals(TrainingLoop.Stop.PLANNED, out.stop());
        }
    }

    @Test
    void aLossThatIsNotFiniteEndsTheRunAndKeepsTheLastState(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            var e = assertThrows(TrainingLoop.DivergedException.class, () -> TrainingLoop.run(
                    new Stub(new double[]{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 13, -1), plan(dir, 0), Double.class, p, LR, ADAM,
                    List.of(r)));
            assertTrue(e.getMessage().contains("loss became NaN at step 13"), e.getMessage());
            assertTrue(e.getMessage().contains("(step 10)"), "names the last full state: " + e.getMessage());
            assertEquals(13, r.divergedAt);
            assertEquals(10, TrainingState.readMeta(dir, Double.class).step());
        }
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        double[] scores = {0.1, 0.3, 0.2, 0.4, 0.5, 0.6};
        float[] straight;
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            TrainingLoop.run(new Stub(scores, -1, -1), plan(dir.resolve("a"), 0), Double.class, p, LR, ADAM, List.of());
            straight = p.get(AlbertParams.WORD).toArray();
        }
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            assertThrows(IOException.class, () -> TrainingLoop.run(new Stub(scores, -1, 18), plan(dir.resolve("b"), 0),
                    Double.class, p, LR, ADAM, List.of()));
        }
        Recorder r = new Recorder();
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            var out = TrainingLoop.run(new Stub(scores, -1, -1), plan(dir.resolve("b"), 0), Double.class, p, LR, ADAM,
                    List.of(r));
            assertTrue(r.resumed);
            assertEquals(List.of(16L, 21L, 26L), r.segments, "resumed after the third point");
            assertEquals(List.of(0.1, 0.3, 0.2, 0.4, 0.5, 0.6), out.end().history());
            assertArrayEquals(straight, p.get(AlbertParams.WORD).toArray(), "the same weights, to the bit");
        }
    }

    @Test
    void aStateOfAnotherRunIsRefused(@TempDir Path dir) throws Exception {
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            TrainingLoop.run(new Stub(new double[6], -1, 7), plan(dir, 0), Double.class, p, LR, ADAM, List.of());
        } catch (IOException expected) {
            // interrupted after the first point's state
        }
        try (AlbertParams p = AlbertParams.initialise(TINY, 2, 1)) {
            var other = new TrainingLoop.Plan(dir, "test", "another", 30, 5, true, 0);
            IOException e = assertThrows(IOException.class, () -> TrainingLoop.run(new Stub(new double[6], -1, -1),
                    other, Double.class, p, LR, ADAM, List.of()));
            assertTrue(e.getMessage().contains("holds the state of a different run"), e.getMessage());
        }
    }

    /** state.json as the code before 2026-12-08 wrote it, for fine-tuning (by epoch) and pretraining (by step). */
    @Test
    void statesOfEarlierVersionsAreRead(@TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("ft/state"));
        java.nio.file.Files.writeString(dir.resolve("ft/state/state.json"), "{\"epoch\": 3, \"step\": 30,"
                + " \"bestScore\": 0.5, \"bestEpoch\": 2, \"badEpochs\": 1, \"fingerprint\": \"f\","
                + " \"history\": [0.4, 0.5, 0.45], \"tag\": \"e3\"}");
        TrainingState.Meta<Double> ft = TrainingState.readMeta(dir.resolve("ft"), Double.class);
        assertEquals(30, ft.step());
        assertEquals(20, ft.bestStep(), "epoch 2 of 10-step epochs");
        assertEquals(1, ft.badPoints());
        assertEquals(3, ft.points());
        assertEquals(2, ft.bestPoint());
        assertEquals("e3", ft.tag(), "the weight files of the old state are found by their tag");
        assertEquals(List.of(0.4, 0.5, 0.45), ft.history());
        java.nio.file.Files.createDirectories(dir.resolve("pt/state"));
        java.nio.file.Files.writeString(dir.resolve("pt/state/state.json"), "{\"step\": 40, \"fingerprint\": \"g\","
                + " \"history\": [1.0, 2.0], \"tag\": \"s40\"}");
        TrainingState.Meta<Double> pt = TrainingState.readMeta(dir.resolve("pt"), Double.class);
        assertEquals(40, pt.step());
        assertEquals(2, pt.points());
        assertEquals("s40", pt.tag());
        assertTrue(Double.isNaN(pt.bestScore()));
    }
}
