package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.checkpoint.onnx.OnnxModel;
import cn.clinicaltext.workbench.model.Activation;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.LayerNames;
import cn.clinicaltext.workbench.model.Tensor;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each format of a pretrained start on small fixtures made here: every tensor arrives under its engine name with
 * its values (transposed where the format stores [out, in]), and damage is refused with the file and the reason.
 */
class PretrainedStartTest {
    /** [PAD] [UNK] [CLS] [SEP] [MASK] and 35 characters. */
    static List<String> vocabulary() {
        List<String> v = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (int i = 0; v.size() < 40; i++) {
            v.add(String.valueOf((char) ('一' + i)));
        }
        return v;
    }

    static final AlbertConfig BERT = new AlbertConfig(40, 8, 8, 2, 2, 16, 16, 2, "gelu_exact", 1e-12f, 0.2f, 0f, 0f, 2);
    static final AlbertConfig ALBERT = new AlbertConfig(40, 8, 6, 3, 2, 16, 16, 2, "gelu", 1e-12f, 0.02f, 0f, 0f, 1);

    /** Hugging Face's name for each engine tensor of a BertModel (written out, not derived from the mapping). */
    static Map<String, String> bertNames(int layers) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AlbertParams.WORD, "bert.embeddings.word_embeddings.weight");
        m.put(AlbertParams.POSITION, "bert.embeddings.position_embeddings.weight");
        m.put(AlbertParams.TOKEN_TYPE, "bert.embeddings.token_type_embeddings.weight");
        m.put(AlbertParams.EMB_LN_GAMMA, "bert.embeddings.LayerNorm.gamma");   // the older spelling, as bert-base-chinese
        m.put(AlbertParams.EMB_LN_BETA, "bert.embeddings.LayerNorm.beta");
        for (int l = 0; l < layers; l++) {
            LayerNames n = LayerNames.of(l);
            String p = "bert.encoder.layer." + l + ".";
            m.put(n.qKernel(), p + "attention.self.query.weight");
            m.put(n.qBias(), p + "attention.self.query.bias");
            m.put(n.kKernel(), p + "attention.self.key.weight");
            m.put(n.kBias(), p + "attention.self.key.bias");
            m.put(n.vKernel(), p + "attention.self.value.weight");
            m.put(n.vBias(), p + "attention.self.value.bias");
            m.put(n.oKernel(), p + "attention.output.dense.weight");
            m.put(n.oBias(), p + "attention.output.dense.bias");
            m.put(n.attnLnGamma(), p + "attention.output.LayerNorm.weight");
            m.put(n.attnLnBeta(), p + "attention.output.LayerNorm.bias");
            m.put(n.ffnInKernel(), p + "intermediate.dense.weight");
            m.put(n.ffnInBias(), p + "intermediate.dense.bias");
            m.put(n.ffnOutKernel(), p + "output.dense.weight");
            m.put(n.ffnOutBias(), p + "output.dense.bias");
            m.put(n.ffnLnGamma(), p + "output.LayerNorm.weight");
            m.put(n.ffnLnBeta(), p + "output.LayerNorm.bias");
        }
        return m;
    }

    static Map<String, String> albertNames() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AlbertParams.WORD, "albert.embeddings.word_embeddings.weight");
        m.put(AlbertParams.POSITION, "albert.embeddings.position_embeddings.weight");
        m.put(AlbertParams.TOKEN_TYPE, "albert.embeddings.token_type_embeddings.weight");
        m.put(AlbertParams.EMB_LN_GAMMA, "albert.embeddings.LayerNorm.weight");
        m.put(AlbertParams.EMB_LN_BETA, "albert.embeddings.LayerNorm.bias");
        m.put(AlbertParams.MAP_KERNEL, "albert.encoder.embedding_hidden_mapping_in.weight");
        m.put(AlbertParams.MAP_BIAS, "albert.encoder.embedding_hidden_mapping_in.bias");
        LayerNames n = LayerNames.of(0);
        String p = "albert.encoder.albert_layer_groups.0.albert_layers.0.";
        m.put(n.qKernel(), p + "attention.query.weight");
        m.put(n.qBias(), p + "attention.query.bias");
        m.put(n.kKernel(), p + "attention.key.weight");
        m.put(n.kBias(), p + "attention.key.bias");
        m.put(n.vKernel(), p + "attention.value.weight");
        m.put(n.vBias(), p + "attention.value.bias");
        m.put(n.oKernel(), p + "attention.dense.weight");
        m.put(n.oBias(), p + "attention.dense.bias");
        m.put(n.attnLnGamma(), p + "attention.LayerNorm.weight");
        m.put(n.attnLnBeta(), p + "attention.LayerNorm.bias");
        m.put(n.ffnInKernel(), p + "ffn.weight");
        m.put(n.ffnInBias(), p + "ffn.bias");
        m.put(n.ffnOutKernel(), p + "ffn_output.weight");
        m.put(n.ffnOutBias(), p + "ffn_output.bias");
        m.put(n.ffnLnGamma(), p + "full_layer_layer_norm.weight");
        m.put(n.ffnLnBeta(), p + "full_layer_layer_norm.bias");
        return m;
    }

    /** Writes the encoder of {@code p} as a Hugging Face folder: linear weights [out, in], plus a pooler. */
    static void writeHuggingFace(Path dir, AlbertParams p, Map<String, String> names, String config) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> out = new LinkedHashMap<>();
        names.forEach((engine, hf) -> {
            Tensor t = p.get(engine);
            boolean linear = hf.endsWith(".weight") && t.shape().length == 2 && !hf.contains("embeddings.");
            out.put(hf, linear ? transpose(t) : t.copy());
        });
        out.put(names.get(AlbertParams.WORD).startsWith("bert") ? "bert.pooler.dense.weight" : "albert.pooler.weight",
                Tensor.zeros(8, 8));
        SafeTensors.write(dir.resolve("model.safetensors"), out, Map.of());
        out.values().forEach(Tensor::close);
        Files.writeString(dir.resolve("config.json"), config);
        Files.write(dir.resolve("vocab.txt"), vocabulary());
    }

    static Tensor transpose(Tensor t) {
        int r = t.dim(0);
        int c = t.dim(1);
        float[] v = t.toArray();
        float[] o = new float[v.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                o[j * r + i] = v[i * c + j];
            }
        }
        return Tensor.of(o, c, r);
    }

    static void assertSameEncoder(AlbertParams expected, AlbertParams actual) {
        for (String name : AlbertParams.shapes(expected.config(), expected.numClasses()).keySet()) {
            if (name.startsWith("classifier/")) {
                continue;
            }
            assertArrayEquals(expected.get(name).toArray(), actual.get(name).toArray(), name);
        }
    }

    static final String BERT_CONFIG = "{\"model_type\": \"bert\", \"vocab_size\": 40, \"hidden_size\": 8,"
            + " \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"intermediate_size\": 16,"
            + " \"max_position_embeddings\": 16, \"type_vocab_size\": 2, \"hidden_act\": \"gelu\","
            + " \"layer_norm_eps\": 1e-12}";

    @Test
    void huggingFaceBertFolder(@TempDir Path dir) throws Exception {
        try (AlbertParams p = AlbertParams.initialise(BERT, 3, 5)) {
            writeHuggingFace(dir, p, bertNames(2), BERT_CONFIG);
            PretrainedStart start = PretrainedStart.of(dir);
            assertEquals(PretrainedStart.Format.HUGGING_FACE, start.format());
            assertEquals(Activation.GELU_EXACT, start.config().activation(), "Hugging Face's gelu is the erf form");
            assertEquals(2, start.config().numHiddenGroups(), "a BERT: each layer its own weights");
            var loaded = start.load(3, false, 1);
            try (AlbertParams q = loaded.params()) {
                assertSameEncoder(p, q);
            }
            assertEquals(List.of("bert.pooler.dense.weight"), loaded.report().ignored());
        }
    }

    @Test
    void huggingFaceAlbertFolder(@TempDir Path dir) throws Exception {
        String config = "{\"model_type\": \"albert\", \"vocab_size\": 40, \"embedding_size\": 6, \"hidden_size\": 8,"
                + " \"num_hidden_layers\": 3, \"num_attention_heads\": 2, \"intermediate_size\": 16,"
                + " \"max_position_embeddings\": 16, \"type_vocab_size\": 2, \"hidden_act\": \"gelu_new\","
                + " \"num_hidden_groups\": 1, \"inner_group_num\": 1}";
        try (AlbertParams p = AlbertParams.initialise(ALBERT, 2, 6)) {
            writeHuggingFace(dir, p, albertNames(), config);
            PretrainedStart start = PretrainedStart.of(dir);
            assertEquals(Activation.GELU_TANH, start.config().activation(), "gelu_new is the tanh form");
            assertEquals(ALBERT, start.config());
            try (AlbertParams q = start.load(2, false, 1).params()) {
                assertSameEncoder(p, q);
            }
        }
    }

    @Test
    void aHuggingFaceFolderWhoseConfigAndWeightsDisagreeIsRefused(@TempDir Path dir) throws Exception {
        try (AlbertParams p = AlbertParams.initialise(BERT, 3, 5)) {
            writeHuggingFace(dir, p, bertNames(2), BERT_CONFIG.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        }
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> PretrainedStart.of(dir).load(3, false, 1));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("missing")
                && e.getMessage().contains("group_2"), e.getMessage());
        Path wide = dir.resolveSibling("wide");
        try (AlbertParams p = AlbertParams.initialise(BERT, 3, 5)) {
            writeHuggingFace(wide, p, bertNames(2), BERT_CONFIG.replace("\"intermediate_size\": 16", "\"intermediate_size\": 32"));
        }
        e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(wide).load(3, false, 1));
        assertTrue(e.getMessage().contains("shape mismatch") && e.getMessage().contains("intermediate"), e.getMessage());
    }

    @Test
    void aVocabularyOfTheWrongSizeIsRefused(@TempDir Path dir) throws Exception {
        try (AlbertParams p = AlbertParams.initialise(BERT, 3, 5)) {
            writeHuggingFace(dir, p, bertNames(2), BERT_CONFIG);
        }
        List<String> shorter = vocabulary().subList(0, 39);
        Files.write(dir.resolve("vocab.txt"), shorter);
        CheckpointException e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(dir).open());
        assertTrue(e.getMessage().contains(dir.resolve("vocab.txt").toString()) && e.getMessage().contains("39 tokens")
                && e.getMessage().contains("vocab_size is 40"), e.getMessage());
    }

    @Test
    void pickledPyTorchWeightsAreRefusedWithHowToConvertThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), BERT_CONFIG);
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        Files.write(dir.resolve("pytorch_model.bin"), new byte[]{(byte) 0x80, 2});
        CheckpointException e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(dir));
        assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("safe_serialization=True"),
                e.getMessage());
    }

    @Test
    void aMissingFolderIsAnErrorNotARandomStart(@TempDir Path dir) {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> PretrainedStart.resolve("albert_tiny_goggle_zh", dir));
        assertTrue(e.getMessage().contains("no folder") && e.getMessage().contains("none"), e.getMessage());
        assertTrue(assertDoesNotThrow(() -> PretrainedStart.resolve("none", dir)).isEmpty());
    }

    /** Google's chinese_L-12_H-768_A-12, as its bert_config.json gives it. */
    static final String GOOGLE_BERT_BASE = "{\"attention_probs_dropout_prob\": 0.1, \"hidden_act\": \"gelu\","
            + " \"hidden_dropout_prob\": 0.1, \"hidden_size\": 768, \"initializer_range\": 0.02,"
            + " \"intermediate_size\": 3072, \"max_position_embeddings\": 512, \"num_attention_heads\": 12,"
            + " \"num_hidden_layers\": 12, \"type_vocab_size\": 2, \"vocab_size\": 21128}";

    /**
     * The real index of Google's Chinese BERT-base (its 400 MB data shard is not here): every name maps to a
     * tensor of the shape the config needs, so loading gets as far as the missing shard, which it names.
     */
    @Test
    void googleBertTensorFlowNamesAndShapesFromTheRealIndex(@TempDir Path dir) throws Exception {
        Path reference = Path.of("lib-src/test/resources/reference");
        Files.copy(reference.resolve("tf-checkpoints/google_chinese_bert_base_index_only/bert_model.ckpt.index"),
                dir.resolve("bert_model.ckpt.index"));
        Files.copy(reference.resolve("chinese-bert-vocab.txt"), dir.resolve("vocab.txt"));
        Files.writeString(dir.resolve("bert_config.json"), GOOGLE_BERT_BASE);
        PretrainedStart start = PretrainedStart.of(dir);
        assertEquals(PretrainedStart.Format.GOOGLE_BERT_TF, start.format());
        assertEquals(12, start.config().numHiddenGroups());
        assertEquals(Activation.GELU_TANH, start.config().activation(), "Google's BERT uses the tanh form");
        CheckpointException e = assertThrows(CheckpointException.class, () -> start.load(3, false, 1));
        assertTrue(e.getMessage().contains("data-00000-of-00001"), "only the shard is missing: " + e.getMessage());
        // the same index against another model's config: every disagreement listed
        Files.writeString(dir.resolve("bert_config.json"), GOOGLE_BERT_BASE.replace("768", "240"));
        e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(dir).load(3, false, 1));
        assertTrue(e.getMessage().contains("shape mismatch") && e.getMessage().contains("bert/embeddings/word_embeddings is [21128, 768]")
                && e.getMessage().contains("more"), e.getMessage());
    }

    @Test
    void aTruncatedOnnxFileIsRefused(@TempDir Path dir) throws Exception {
        byte[] head;
        try (InputStream in = PretrainedStart.class.getResourceAsStream("/bge-small-zh-v1.5.onnx")) {
            head = in.readNBytes(3 << 20);
        }
        Files.write(dir.resolve("model.onnx"), head);
        Files.copy(Path.of("lib-src/test/resources/reference/chinese-bert-vocab.txt"), dir.resolve("vocab.txt"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(dir).open());
        assertTrue(e.getMessage().contains(dir.resolve("model.onnx").toString())
                && e.getMessage().contains("not a readable ONNX model"), e.getMessage());
    }

    @Test
    void anOnnxGraphThatIsNotABertEncoderIsRefusedWithWhatIsMissing(@TempDir Path dir) throws Exception {
        OnnxModel.TensorProto w = OnnxModel.TensorProto.newBuilder().setName("dense.weight").addDims(4).addDims(4)
                .setDataType(1).setRawData(ByteString.copyFrom(new byte[64])).build();
        OnnxModel.ModelProto model = OnnxModel.ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .setGraph(OnnxModel.GraphProto.newBuilder().addInitializer(w)
                        .addNode(OnnxModel.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y")))
                .build();
        Files.write(dir.resolve("relu.onnx"), model.toByteArray());
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        CheckpointException e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(dir).open());
        assertTrue(e.getMessage().contains("not a BERT encoder") && e.getMessage().contains("embeddings.word_embeddings.weight")
                && e.getMessage().contains("attention scale"), e.getMessage());
        // and a file that is not ONNX at all
        Files.writeString(dir.resolve("relu.onnx"), "this is not a model\n");
        e = assertThrows(CheckpointException.class, () -> PretrainedStart.of(dir).open());
        assertTrue(e.getMessage().contains("relu.onnx"), e.getMessage());
    }
}
