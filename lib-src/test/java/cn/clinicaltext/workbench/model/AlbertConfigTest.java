package cn.clinicaltext.workbench.model;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AlbertConfigTest {
    @Test
    void readsGoogleAndBrightmartConfigs(@TempDir Path dir) throws Exception {
        // the shape of Google's albert_base_v2 config (factorised embeddings)
        Path base = dir.resolve("base.json");
        Files.writeString(base, "{\"attention_probs_dropout_prob\": 0, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0,"
                + " \"embedding_size\": 128, \"hidden_size\": 768, \"initializer_range\": 0.02, \"intermediate_size\": 3072,"
                + " \"max_position_embeddings\": 512, \"num_attention_heads\": 12, \"num_hidden_layers\": 12,"
                + " \"num_hidden_groups\": 1, \"net_structure_type\": 0, \"gap_size\": 0, \"num_memory_blocks\": 0,"
                + " \"inner_group_num\": 1, \"down_scale_factor\": 1, \"type_vocab_size\": 2, \"vocab_size\": 30000}");
        AlbertConfig c = AlbertConfig.read(base);
        assertEquals(128, c.embeddingSize());
        assertTrue(c.factorisedEmbeddings());
        assertEquals(64, c.headSize());
        // brightmart's albert_config_tiny has no embedding_size: no factorisation
        AlbertConfig tiny = AlbertConfig.fromJson(JsonParser.parseString("{\"hidden_size\": 312, \"num_attention_heads\": 12,"
                + " \"intermediate_size\": 1248, \"num_hidden_layers\": 4, \"vocab_size\": 21128}").getAsJsonObject());
        assertEquals(AlbertConfig.ALBERT_TINY_ZH, tiny);
    }

    @Test
    void refusesWhatTheModelCannotRunWithTheReason(@TempDir Path dir) throws Exception {
        Path groups = dir.resolve("groups.json");
        // ALBERT's rule maps layer l to group l / (layers / groups): the groups must divide the 4 layers
        Files.writeString(groups, "{\"num_hidden_groups\": 3}");
        IOException e = assertThrows(IOException.class, () -> AlbertConfig.read(groups));
        assertTrue(e.getMessage().contains(groups.toString()) && e.getMessage().contains("num_hidden_groups 3"), e.getMessage());
        Path act = dir.resolve("act.json");
        Files.writeString(act, "{\"hidden_act\": \"swish\"}");
        assertTrue(assertThrows(IOException.class, () -> AlbertConfig.read(act)).getMessage().contains("swish"));
        Path heads = dir.resolve("heads.json");
        Files.writeString(heads, "{\"hidden_size\": 100, \"num_attention_heads\": 12}");
        assertTrue(assertThrows(IOException.class, () -> AlbertConfig.read(heads)).getMessage().contains("multiple"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        assertTrue(assertThrows(IOException.class, () -> AlbertConfig.read(broken)).getMessage().contains("not a valid JSON object"));
    }
}
