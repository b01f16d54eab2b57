package cn.clinicaltext.workbench.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class HiddenStateHeadTest {
    private static final Batch BATCH = Batch.of(List.of(new int[]{1, 3, 7, 3, 2, 9}, new int[]{1, 4, 2}));
    /** The real tokens of the padded batch, row-major (row 1 starts at 6 and has three). */
    private static final int[] POSITIONS = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    private static final int TEACHER_WIDTH = 10;

    private static Tensor teacherStates(long seed) {
        Random r = new Random(seed);
        float[] v = new float[POSITIONS.length * TEACHER_WIDTH];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, POSITIONS.length, TEACHER_WIDTH);
    }

    /** The head on its own, on hidden states given as a tensor: the projection and d x against finite differences. */
    @Test
    void theHeadAloneMatchesFiniteDifferences() {
        try (AlbertParams p = AlbertParams.initialise(SequenceClassifierTest.TINY, 0, false, TEACHER_WIDTH, 5);
             AlbertParams g = p.zerosLike(); Tensor teacher = teacherStates(3);
             Tensor x = GradientCheck.gaussian(BATCH.tokens(), SequenceClassifierTest.TINY.hiddenSize(), 8)) {
            HiddenStateHead.Result r = HiddenStateHead.lossAndBackward(p, x, POSITIONS, teacher, g);
            try (Tensor dx = r.dHidden()) {
                GradientCheck.check(p, g, List.of(AlbertParams.PROJECTION_KERNEL, AlbertParams.PROJECTION_BIAS),
                        () -> HiddenStateHead.lossAndBackward(p, x, POSITIONS, teacher, null).loss(), "hidden-state head");
                GradientCheck.check(x, dx, () -> HiddenStateHead.lossAndBackward(p, x, POSITIONS, teacher, null).loss(),
                        "hidden-state head: d x");
            }
        }
    }

    /** The projection and every encoder parameter against central finite differences, with and without dropout. */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (AlbertConfig config : List.of(SequenceClassifierTest.TINY, SequenceClassifierTest.FACTORISED)) {
            for (Dropout dropout : new Dropout[]{null, Dropout.forStep(2, 4, 0.2f, 0.2f, 0f)}) {
                try (AlbertParams p = AlbertParams.initialise(config, 0, false, TEACHER_WIDTH, 5);
                     AlbertParams g = p.zerosLike(); Tensor teacher = teacherStates(3)) {
                    assertFalse(p.startTensors().containsKey(AlbertParams.PROJECTION_KERNEL),
                            "the projection is not part of the start it makes");
                    try (var f = Encoder.forwardTraining(p, BATCH, null, dropout)) {
                        Encoder.backward(p, f, HiddenStateHead.lossAndBackward(p, f.output(), POSITIONS, teacher, g)
                                .dHidden(), g);
                    }
                    GradientCheck.check(p, g, () -> {
                        try (var f = Encoder.forwardTraining(p, BATCH, null, dropout)) {
                            return HiddenStateHead.lossAndBackward(p, f.output(), POSITIONS, teacher, null).loss();
                        }
                    }, "hidden-state distillation " + config.embeddingSize() + (dropout == null ? "" : " with dropout"));
                }
            }
        }
    }

    @Test
    void lossIsTheMeanSquaredErrorOfTheProjectedStates() {
        try (AlbertParams p = AlbertParams.initialise(SequenceClassifierTest.TINY, 0, false, TEACHER_WIDTH, 5);
             var f = Encoder.forward(p, BATCH, null, false); Tensor teacher = teacherStates(3)) {
            HiddenStateHead.Result r = HiddenStateHead.lossAndBackward(p, f.output(), POSITIONS, teacher, null);
            // by definition: p = h W + b at each position, then the mean of (p - t)^2 over positions and width
            int h = SequenceClassifierTest.TINY.hiddenSize();
            Tensor w = p.get(AlbertParams.PROJECTION_KERNEL);
            double sum = 0;
            for (int i = 0; i < POSITIONS.length; i++) {
                for (int j = 0; j < TEACHER_WIDTH; j++) {
                    double proj = p.get(AlbertParams.PROJECTION_BIAS).get(j);
                    for (int k = 0; k < h; k++) {
                        proj += (double) f.output().get(POSITIONS[i] * h + k) * w.get(k * TEACHER_WIDTH + j);
                    }
                    double d = proj - teacher.get(i * TEACHER_WIDTH + j);
                    sum += d * d;
                }
            }
            assertEquals(sum / (POSITIONS.length * TEACHER_WIDTH), r.loss(), 1e-5);
            assertEquals(POSITIONS.length, r.positions());
            assertThrows(IllegalArgumentException.class, () -> HiddenStateHead.lossAndBackward(p, f.output(),
                    new int[]{0, 1}, teacher, null), "one teacher row per position");
        }
    }

    /** Standardised targets: every dimension mean 0 and sd 1 over the tokens; a constant dimension becomes 0. */
    @Test
    void targetsAreStandardisedPerDimension() {
        try (Tensor t = teacherStates(5)) {
            for (int r = 0; r < t.rows(); r++) {
                t.set(r * TEACHER_WIDTH, 3.5f);                       // dimension 0: the same for every token
                t.set(r * TEACHER_WIDTH + 1, 10 + 4 * t.get(r * TEACHER_WIDTH + 1));   // shifted and scaled
            }
            HiddenStateHead.standardise(t);
            for (int j = 0; j < TEACHER_WIDTH; j++) {
                double sum = 0;
                double ss = 0;
                for (int r = 0; r < t.rows(); r++) {
                    sum += t.get(r * TEACHER_WIDTH + j);
                    ss += t.get(r * TEACHER_WIDTH + j) * t.get(r * TEACHER_WIDTH + j);
                }
                assertEquals(0, sum / t.rows(), 1e-5, "dimension " + j + " mean");
                assertEquals(j == 0 ? 0 : 1, ss / t.rows(), 1e-4, "dimension " + j + " variance");
            }
        }
    }
}
