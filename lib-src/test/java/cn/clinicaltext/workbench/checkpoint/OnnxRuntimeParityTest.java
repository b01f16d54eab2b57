package cn.clinicaltext.workbench.checkpoint;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.model.Activation;
import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine running bge-small-zh-v1.5 (read from the Maven jar's ONNX file by {@link OnnxEncoder}) against ONNX
 * Runtime running the same file: final hidden states of every unpadded token within 1e-4, on padded batches of
 * the shipped corpus's texts (short and long, both segments).
 */
class OnnxRuntimeParityTest {
    static final double TOLERANCE = 1e-4;
    static PretrainedStart bge;
    static AlbertParams params;
    static OrtEnvironment env;
    static OrtSession session;

    @BeforeAll
    static void load() throws Exception {
        bge = PretrainedStart.resolve(PretrainedStart.BGE_SMALL_ZH, Path.of(".")).orElseThrow();
        params = bge.load(2, false, 1).params();
        env = OrtEnvironment.getEnvironment();
        byte[] model;
        try (InputStream in = OnnxRuntimeParityTest.class.getResourceAsStream("/bge-small-zh-v1.5.onnx")) {
            model = in.readAllBytes();
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        session = env.createSession(model, options);
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
        params.close();
    }

    @Test
    void theConfigIsReadFromTheGraph() throws Exception {
        AlbertConfig c = bge.config();
        assertEquals(21128, c.vocabSize());
        assertEquals(512, c.hiddenSize());
        assertEquals(4, c.numHiddenLayers());
        assertEquals(4, c.numHiddenGroups(), "each layer its own weights");
        assertEquals(8, c.numAttentionHeads(), "from the attention scale 1/sqrt(64)");
        assertEquals(2048, c.intermediateSize());
        assertEquals(512, c.maxPositionEmbeddings());
        assertEquals(Activation.GELU_EXACT, c.activation(), "the graph computes GELU with Erf");
        assertEquals(1e-12f, c.layerNormEps(), 1e-18f);
        assertEquals(21128, bge.vocabulary().size());
    }

    @Test
    void hiddenStatesMatchOnnxRuntimeOnPaddedBatches() throws Exception {
        BertTokenizer tokenizer = new BertTokenizer(bge.vocabulary());
        List<LabeledText> texts = CorpusReader.read(Path.of("data/test.txt"), 3).records();
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sequences.add(tokenizer.encode(texts.get(i * 13).text(), 128).tokenIds());
        }
        // one long text (several reports joined) so positions beyond 100 are checked too
        StringBuilder longText = new StringBuilder();
        for (int i = 0; longText.length() < 300; i++) {
            longText.append(texts.get(i).text());
        }
        sequences.add(tokenizer.encode(longText.toString(), 160).tokenIds());
        Batch b = Batch.of(sequences);
        int[] segments = b.segments().clone();
        for (int t = 5; t < 9; t++) {
            segments[t] = 1; // a second segment in the first text: token_type_embeddings row 1 is used
        }
        Batch batch = new Batch(b.batch(), b.length(), b.ids(), segments, b.mask());
        float[][][] ort = onnxRuntime(batch);
        double worst = 0;
        try (var f = SequenceClassifier.forward(params, batch, null, false)) {
            float[] engine = f.output().toArray();
            int h = params.config().hiddenSize();
            for (int s = 0; s < batch.batch(); s++) {
                for (int t = 0; t < batch.length(); t++) {
                    if (batch.mask()[s * batch.length() + t] == 0f) {
                        continue;
                    }
                    for (int i = 0; i < h; i++) {
                        double d = Math.abs(engine[(s * batch.length() + t) * h + i] - ort[s][t][i]);
                        worst = Math.max(worst, d);
                        if (d > TOLERANCE) {
                            fail("text " + s + " token " + t + " unit " + i + ": engine " + engine[(s * batch.length() + t) * h + i]
                                    + ", ONNX Runtime " + ort[s][t][i]);
                        }
                    }
                }
            }
        }
        System.out.printf("bge-small-zh-v1.5: engine vs ONNX Runtime, %d texts up to %d tokens: max |difference| %.2e%n",
                batch.batch(), batch.length(), worst);
    }

    private static float[][][] onnxRuntime(Batch batch) throws Exception {
        long[][] ids = new long[batch.batch()][batch.length()];
        long[][] mask = new long[batch.batch()][batch.length()];
        long[][] types = new long[batch.batch()][batch.length()];
        for (int s = 0; s < batch.batch(); s++) {
            for (int t = 0; t < batch.length(); t++) {
                int k = s * batch.length() + t;
                ids[s][t] = batch.ids()[k];
                mask[s][t] = batch.mask()[k] != 0f ? 1 : 0;
                types[s][t] = batch.segments()[k];
            }
        }
        try (OnnxTensor i = OnnxTensor.createTensor(env, ids); OnnxTensor m = OnnxTensor.createTensor(env, mask);
             OnnxTensor ty = OnnxTensor.createTensor(env, types);
             OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", ty))) {
            return (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
        }
    }
}
