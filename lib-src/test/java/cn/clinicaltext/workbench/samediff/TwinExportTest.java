package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.testing.TinyModels;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export round trip: the graph loaded with SameDiff.load in a fresh JVM gives the engine's probabilities to 1e-5. */
class TwinExportTest {
    @Test
    void exportedGraphGivesTheEnginesProbabilitiesInAFreshJvm(@TempDir Path dir) throws Exception {
        Path model = TinyModels.saved(dir);
        Path graph = dir.resolve("export/albert.fb");
        TwinExport.Written written = TwinExport.export(model, graph);
        assertTrue(Files.size(graph) > 0);
        JsonObject description = JsonParser.parseString(Files.readString(written.description())).getAsJsonObject();
        assertEquals("[\"a\",\"b\"]", description.get("labels").toString());
        assertEquals(Files.readAllLines(model.resolve("vocab.txt")), Files.readAllLines(written.vocabulary()));

        TextClassifier engine = SavedModel.classifier(model);
        List<String> texts = List.of("胃镜：慢性浅表性胃炎", "结肠息肉");
        float[][] want = engine.probabilities(texts, 8);
        int len = 0;
        List<int[]> ids = new ArrayList<>();
        for (String t : texts) {
            int[] e = engine.encode(t).tokenIds();
            ids.add(e);
            len = Math.max(len, e.length);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), ExportedGraphProbe.class.getName(),
                graph.toString(), String.valueOf(texts.size())));
        for (int[] row : ids) {
            StringBuilder b = new StringBuilder();
            for (int t = 0; t < len; t++) {
                b.append(t == 0 ? "" : ",").append(t < row.length ? row[t] : 0);
            }
            cmd.add(b.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        List<String> rows = output.lines().filter(l -> l.startsWith("probabilities ")).toList();
        assertEquals(texts.size(), rows.size(), output);
        for (int b = 0; b < texts.size(); b++) {
            String[] v = rows.get(b).substring("probabilities ".length()).split(" ");
            for (int c = 0; c < want[b].length; c++) {
                assertEquals(want[b][c], Float.parseFloat(v[c]), 1e-5, "text " + b + " class " + c);
            }
        }
    }
}
