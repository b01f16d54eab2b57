package cn.clinicaltext.workbench.model;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.testing.SharedReference;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Numerical parity with an independent PyTorch/NumPy forward of the shared albert-mini-tf checkpoint. */
class AlbertGoldenTest {

    @Test
    void reproducesHiddenStatesAndClsPerLayer() throws Exception {
        Path dir = SharedReference.require("reference/albert-mini-tf");
        JsonObject golden = JsonParser.parseString(Files.readString(dir.resolve("golden.json"))).getAsJsonObject();
        AlbertConfig config = AlbertConfig.read(dir.resolve("albert_config.json"));
        double tol = golden.get("tolerance_abs").getAsDouble();
        var loaded = AlbertCheckpoint.load(dir.resolve("albert_model.ckpt"), config, 3, 1);
        assertEquals(List.of(), loaded.report().initialised().stream().filter(n -> !n.startsWith("classifier/")).toList());

        JsonArray idRows = golden.getAsJsonArray("token_ids");
        int batch = idRows.size();
        int len = idRows.get(0).getAsJsonArray().size();
        int[] ids = new int[batch * len];
        int[] segs = new int[batch * len];
        float[] mask = new float[batch * len];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                ids[b * len + t] = idRows.get(b).getAsJsonArray().get(t).getAsInt();
                segs[b * len + t] = golden.getAsJsonArray("segment_ids").get(b).getAsJsonArray().get(t).getAsInt();
                mask[b * len + t] = golden.getAsJsonArray("attention_mask").get(b).getAsJsonArray().get(t).getAsFloat();
            }
        }
        Batch input = new Batch(batch, len, ids, segs, mask);
        int h = config.hiddenSize();
        double worst = 0;
        try (var f = SequenceClassifier.forward(loaded.params(), input, null, true)) {
            JsonArray finals = golden.getAsJsonArray("final_hidden");
            for (int b = 0; b < batch; b++) {
                JsonArray rows = finals.get(b).getAsJsonArray();
                for (int t = 0; t < rows.size(); t++) {
                    for (int i = 0; i < h; i++) {
                        double want = rows.get(t).getAsJsonArray().get(i).getAsDouble();
                        double got = f.output().get((b * len + t) * h + i);
                        worst = Math.max(worst, Math.abs(want - got));
                    }
                }
            }
            JsonArray cls = golden.getAsJsonArray("cls_after_embeddings_and_each_layer");
            for (int b = 0; b < batch; b++) {
                JsonArray perLayer = cls.get(b).getAsJsonArray();
                assertEquals(config.numHiddenLayers() + 1, perLayer.size());
                for (int l = 0; l < perLayer.size(); l++) {
                    for (int i = 0; i < h; i++) {
                        double want = perLayer.get(l).getAsJsonArray().get(i).getAsDouble();
                        double got = f.clsPerLayer().get(l)[b * h + i];
                        worst = Math.max(worst, Math.abs(want - got));
                    }
                }
            }
        }
        assertTrue(worst <= tol, "largest difference from the golden values: " + worst);
        loaded.params().close();
    }
}
