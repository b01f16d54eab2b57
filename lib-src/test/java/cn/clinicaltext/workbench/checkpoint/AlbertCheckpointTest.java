package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.testing.SharedReference;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AlbertCheckpointTest {
    @Test
    void loadsTheMiniCheckpointAndReportsWhatItIgnoredAndInitialised() throws Exception {
        Path dir = SharedReference.require("reference/albert-mini-tf");
        var loaded = AlbertCheckpoint.load(dir.resolve("albert_model.ckpt"), AlbertConfig.read(dir.resolve("albert_config.json")), 3, 1);
        assertTrue(loaded.report().ignored().stream().anyMatch(n -> n.startsWith("bert/pooler/")), loaded.report().toString());
        assertTrue(loaded.report().ignored().stream().anyMatch(n -> n.startsWith("cls/")), loaded.report().toString());
        assertEquals(java.util.List.of("classifier/kernel", "classifier/bias"), loaded.report().initialised());
        loaded.params().close();
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
