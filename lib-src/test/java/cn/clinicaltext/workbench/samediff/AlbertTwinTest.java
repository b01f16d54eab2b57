package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.testing.SharedReference;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SameDiff twin against the engine: logits and every parameter's gradient, within 1e-4, on small random configs
 * (factorised and not, ALBERT's shared layer and BERT's own weights per layer, both GELUs, [CLS] and mean pooling,
 * padded batches, repeated token ids, dropout with the engine's masks)
 * and on the albert-mini checkpoint; and each SameDiff 1.0.0-M2.1 workaround on its own.
 */
class AlbertTwinTest {
    static final double TOLERANCE = 1e-4;
    static final AlbertConfig PLAIN = new AlbertConfig(40, 8, 8, 3, 2, 16, 16, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
    static final AlbertConfig FACTORISED = new AlbertConfig(40, 8, 6, 2, 2, 12, 16, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
    static final AlbertConfig RELU = new AlbertConfig(30, 12, 12, 2, 3, 24, 20, 2, "relu", 1e-12f, 0.2f, 0f, 0f);

    /** Padded (lengths 7, 4 and 2), repeated ids (3 four times, 5 twice), both segments. */
    static Batch batch() {
        Batch b = Batch.of(List.of(new int[]{1, 3, 7, 3, 5, 3, 2}, new int[]{1, 4, 3, 2}, new int[]{1, 5}));
        int[] segments = b.segments().clone();
        segments[4] = 1;
        segments[5] = 1;
        segments[9] = 1;
        return new Batch(b.batch(), b.length(), b.ids(), segments, b.mask());
    }

    static final int[] LABELS = {2, 0, 1};

    @Test
    void plainConfigMatchesTheEngine() {
        crossCheck(PLAIN, Pooling.CLS, null, 3);
    }

    @Test
    void factorisedEmbeddingsAndMeanPoolingMatchTheEngine() {
        crossCheck(FACTORISED, Pooling.MEAN, null, 3);
    }

    /** A BERT layout (each layer its own weights) with the exact GELU, with dropout at every site. */
    @Test
    void bertLayoutWithExactGeluMatchesTheEngine() {
        AlbertConfig bert = PLAIN.withHiddenGroups(3).withHiddenAct("gelu_exact");
        crossCheck(bert, Pooling.CLS, null, 3);
        crossCheck(bert, Pooling.MEAN, Dropout.forStep(5, 2, 0.2f, 0.3f, 0.25f), 3);
    }

    @Test
    void reluConfigMatchesTheEngine() {
        crossCheck(RELU, Pooling.CLS, null, 4);
    }

    @Test
    void dropoutWithTheEnginesMasksMatchesTheEngine() {
        crossCheck(PLAIN, Pooling.CLS, Dropout.forStep(42, 3, 0.2f, 0.3f, 0.25f), 3);
        crossCheck(FACTORISED, Pooling.MEAN, Dropout.forStep(7, 1, 0.1f, 0f, 0.5f), 3);
    }

    @Test
    void albertMiniCheckpointMatchesTheEngine() throws Exception {
        Path dir = SharedReference.require("reference/albert-mini-tf");
        AlbertConfig config = AlbertConfig.read(dir.resolve("albert_config.json"));
        var loaded = AlbertCheckpoint.load(dir.resolve("albert_model.ckpt"), config, 3, 1);
        try (AlbertParams p = loaded.params()) {
            Batch b = Batch.of(List.of(new int[]{2, 17, 40, 17, 17, 63, 3}, new int[]{2, 9, 3}));
            crossCheck(p, b, new int[]{1, 2}, null);
        }
    }

    private static void crossCheck(AlbertConfig config, Pooling pooling, Dropout dropout, int classes) {
        try (AlbertParams p = AlbertParams.initialise(config, classes, 11)) {
            crossCheck(p.withPooling(pooling), batch(), LABELS.clone(), dropout);
        }
    }

    /** Logits (inference) and loss and gradients (training step) of the twin and of the engine. */
    private static void crossCheck(AlbertParams p, Batch batch, int[] labels, Dropout dropout) {
        String what = "E" + p.config().embeddingSize() + "/H" + p.config().hiddenSize() + "/" + p.pooling()
                + (dropout == null ? "" : "/dropout");
        float[] engineLogits;
        try (var f = SequenceClassifier.forward(p, batch, null, false)) {
            engineLogits = f.logits.toArray();
        }
        assertClose(engineLogits, AlbertTwin.inference(p).logits(batch), what + " logits");

        Map<String, float[]> twin = AlbertTwin.training(p, dropout).gradients(batch, labels, dropout);
        try (AlbertParams g = p.zerosLike();
             var f = SequenceClassifier.forwardTraining(p, batch, null, dropout)) {
            double loss = Loss.softmaxCrossEntropy(f.logits, labels);
            try (Tensor dLogits = Loss.softmaxCrossEntropyGrad(f.logits, labels)) {
                SequenceClassifier.backward(p, f, dLogits, g);
            }
            assertEquals(loss, twin.get(AlbertTwin.LOSS)[0], TOLERANCE, what + " loss");
            assertEquals(g.tensors().keySet(), twin.keySet().stream().filter(n -> !n.equals(AlbertTwin.LOSS))
                    .collect(Collectors.toSet()), what + ": the same parameters");
            for (Map.Entry<String, Tensor> e : g.tensors().entrySet()) {
                assertClose(e.getValue().toArray(), twin.get(e.getKey()), what + " d" + e.getKey());
            }
            // the rows of the repeated id 3 got gradient from all four positions: not zero, and equal to the engine's
            assertNotEquals(0f, g.get(AlbertParams.WORD).get(3 * p.config().embeddingSize()));
        }
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double worst = 0;
        int at = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(want[i] - got[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst + " at " + at + " (engine " + want[at]
                + ", twin " + got[at] + ")");
    }

    /**
     * The reason for the distinct-id lookup: M2.1's gather gradient keeps one position's gradient per row instead of
     * adding them. If a later DL4J fixes it this test fails and the plain gather can come back.
     */
    @Test
    void builtInGatherStillOverwritesRepeatedIds() {
        SameDiff sd = SameDiff.create();
        SDVariable table = sd.var("table", Nd4j.ones(DataType.FLOAT, 4, 3));
        SDVariable ids = sd.placeHolder("ids", DataType.INT, -1);
        sd.setLossVariables(sd.gather(table, ids, 0).sum().name());
        INDArray grad = sd.calculateGradients(Map.of("ids", Nd4j.createFromArray(1, 1, 1, 2)), "table").get("table");
        assertEquals(1f, grad.getFloat(1, 0), "row 1 repeated three times should get 3 if gather added");
    }

    /** The written-out GELU is BERT's tanh form (the built-in sd.nn.gelu is the sigmoid approximation). */
    @Test
    void geluIsTheTanhForm() {
        AlbertConfig c = new AlbertConfig(10, 4, 4, 1, 1, 4, 8, 1, "gelu", 1e-12f, 0.02f, 0f, 0f);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable y = sd.identity("y", AlbertTwin.activation(sd, c, x));
        SDVariable builtIn = sd.identity("builtIn", sd.nn.gelu(x));
        float[] in = {-3f, -1f, -0.1f, 0f, 0.5f, 1f, 2f, 4f};
        Map<String, INDArray> out = sd.output(Map.of("x", Nd4j.createFromArray(in).reshape(2, 4)), "y", "builtIn");
        float[] got = out.get("y").data().asFloat();
        double worstBuiltIn = 0;
        for (int i = 0; i < in.length; i++) {
            double v = in[i];
            double want = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertEquals(want, got[i], 1e-6, "GELU(" + v + ")");
            worstBuiltIn = Math.max(worstBuiltIn, Math.abs(want - out.get("builtIn").getFloat(i / 4, i % 4)));
        }
        assertTrue(worstBuiltIn > 1e-3, "the built-in GELU differs from the tanh form, so the twin cannot use it");
    }
}
