package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.train.PretrainSetup;
import cn.clinicaltext.workbench.train.Pretrainer;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.testing.SharedReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AlbertCheckpointTest {
    @Test
    void loadsTheMiniCheckpointAndReportsWhatItIgnoredAndInitialised() throws Exception {
        Path dir = SharedReference.require("reference/albert-mini-tf");
        var loaded = AlbertCheckpoint.load(dir.resolve("albert_model.ckpt"), AlbertConfig.read(dir.resolve("albert_config.json")), 3, 1);
        assertTrue(loaded.report().ignored().stream().anyMatch(n -> n.startsWith("bert/pooler/")), loaded.report().toString());
        assertTrue(loaded.report().ignored().stream().anyMatch(n -> n.startsWith("cls/")), loaded.report().toString());
        assertEquals(List.of("classifier/kernel", "classifier/bias"), loaded.report().initialised());
        loaded.params().close();
    }

    @Test
    void continuedPretrainingLoadsTheMaskedLmHeadAndTrainsIt(@TempDir Path tmp) throws Exception {
        Path ref = SharedReference.require("reference/albert-mini-tf");
        AlbertConfig config = AlbertConfig.read(ref.resolve("albert_config.json"));
        var loaded = AlbertCheckpoint.load(ref.resolve("albert_model.ckpt"), config, 0, true, 1);
        assertTrue(loaded.report().initialised().isEmpty(), "nothing initialised: " + loaded.report());
        assertTrue(loaded.report().loaded().contains(AlbertParams.MLM_OUTPUT_BIAS), loaded.report().toString());
        TensorBundle bundle = TensorBundle.open(ref.resolve("albert_model.ckpt"));
        assertArrayEquals(bundle.readFloats(AlbertParams.MLM_DENSE_KERNEL),
                loaded.params().get(AlbertParams.MLM_DENSE_KERNEL).toArray(), "the checkpoint's head, as stored");
        loaded.params().close();

        // a pretrained folder in Google's layout: the checkpoint, its config and a vocabulary of its size
        Path from = tmp.resolve("google");
        Files.createDirectories(from);
        for (String f : new String[]{"albert_config.json", "albert_model.ckpt.index", "albert_model.ckpt.data-00000-of-00001"}) {
            Files.copy(ref.resolve(f), from.resolve(f));
        }
        List<String> tokens = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        String chars = "胃镜肠结息肉炎症慢性浅表食管黏膜十二指溃疡直乙状病理检查未见异常患者腹痛便血出";
        chars.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
        while (tokens.size() < config.vocabSize()) {
            tokens.add("[unused" + tokens.size() + "]");
        }
        Files.write(from.resolve("vocab.txt"), tokens);
        Path texts = tmp.resolve("texts.txt");
        Files.write(texts, List.of("胃镜慢性浅表性胃炎", "结肠息肉", "直肠溃疡病理炎症", "患者腹痛便血", "食管黏膜未见异常",
                "十二指肠溃疡", "乙状结肠息肉", "胃镜检查未见异常"));
        var result = Pretrainer.run(new PretrainSetup(tmp.resolve("out"), UnlabeledCorpus.read(List.of(texts)), PretrainedStart.of(from),
                null, PretrainingConfig.DEFAULT.with("steps", 4, "saveEvery", 2, "maxlen", 12, "batchSize", 2,
                        "valFraction", 0.2), tmp));
        assertTrue(result.origin().startsWith("continued from loaded"), result.origin());
        var after = SafeTensors.read(tmp.resolve("out").resolve(AlbertCheckpoint.SAFETENSORS_NAME));
        assertFalse(Arrays.equals(bundle.readFloats(AlbertParams.MLM_DENSE_KERNEL),
                after.get(AlbertParams.MLM_DENSE_KERNEL).toArray()), "the head was trained");
        after.values().forEach(Tensor::close);
    }

    @Test
    void aConfigThatDoesNotFitListsTheMismatches() throws Exception {
        Path dir = SharedReference.require("reference/albert-mini-tf");
        AlbertConfig real = AlbertConfig.read(dir.resolve("albert_config.json"));
        AlbertConfig wider = new AlbertConfig(real.vocabSize(), 16, 16, real.numHiddenLayers(), real.numAttentionHeads(),
                real.intermediateSize(), real.maxPositionEmbeddings(), real.typeVocabSize(), "gelu", 1e-12f, 0.02f, 0f, 0f);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> AlbertCheckpoint.load(dir.resolve("albert_model.ckpt"), wider, 3, 1));
        assertTrue(e.getMessage().contains("shape mismatch") && e.getMessage().contains("bert/embeddings/word_embeddings"),
                e.getMessage());
        AlbertConfig factorised = new AlbertConfig(real.vocabSize(), real.hiddenSize(), 4, real.numHiddenLayers(),
                real.numAttentionHeads(), real.intermediateSize(), real.maxPositionEmbeddings(), real.typeVocabSize(), "gelu",
                1e-12f, 0.02f, 0f, 0f);
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> AlbertCheckpoint.load(dir.resolve("albert_model.ckpt"), factorised, 3, 1));
        assertTrue(missing.getMessage().contains("missing") && missing.getMessage().contains("embedding_hidden_mapping_in"),
                missing.getMessage());
    }
}
