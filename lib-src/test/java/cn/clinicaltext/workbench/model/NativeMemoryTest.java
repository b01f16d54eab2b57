package cn.clinicaltext.workbench.model;

import cn.clinicaltext.workbench.train.Adam;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Native memory is released when a step ends, not when the garbage collector gets round to it (the SameDiff
 * prototype grew to 11 GB resident that way): repeated training and inference steps hold no more than the first.
 */
class NativeMemoryTest {
    @Test
    void trainingAndInferenceStepsReleaseTheirActivations() {
        AlbertConfig c = new AlbertConfig(200, 32, 32, 2, 2, 64, 64, 2, "gelu", 1e-12f, 0.02f, 0f, 0f);
        try (AlbertParams p = AlbertParams.initialise(c, 3, 1); AlbertParams g = p.zerosLike(); Adam adam = Adam.withDefaults(p)) {
            Batch batch = Batch.of(List.of(new int[]{1, 5, 9, 12, 7, 2}, new int[]{1, 4, 2}));
            int[] labels = {0, 2};
            long before = Tensor.liveBytes();
            for (int step = 0; step < 20; step++) {
                g.fill(0f);
                try (var f = SequenceClassifier.forwardTraining(p, batch, null);
                     Tensor d = Loss.softmaxCrossEntropyGrad(f.logits, labels)) {
                    SequenceClassifier.backward(p, f, d, g);
                }
                adam.update(p, g, 1e-3f);
                try (var f = SequenceClassifier.forward(p, batch, null, false)) {
                    assertEquals(6, f.logits.size());
                }
                assertEquals(before, Tensor.liveBytes(), "open native memory after step " + step);
            }
            long pooled = Tensor.pooledBytes();
            for (int step = 0; step < 5; step++) {
                try (var f = SequenceClassifier.forward(p, batch, null, false)) {
                    assertTrue(f.logits.size() > 0);
                }
            }
            assertEquals(pooled, Tensor.pooledBytes(), "the pool reuses buffers instead of growing");
        }
    }
}
