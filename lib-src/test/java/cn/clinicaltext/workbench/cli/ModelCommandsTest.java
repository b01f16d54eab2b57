package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.testing.SharedReference;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ModelCommandsTest {
    @Test
    void encodePrintsTheGoldenHiddenStatesOfTheMiniCheckpoint() throws Exception {
        Path dir = SharedReference.require("reference/albert-mini-tf");
        JsonObject golden = JsonParser.parseString(Files.readString(dir.resolve("golden.json"))).getAsJsonObject();
        var ids = golden.getAsJsonArray("token_ids").get(1).getAsJsonArray();
        var segs = golden.getAsJsonArray("segment_ids").get(1).getAsJsonArray();
        StringBuilder idArg = new StringBuilder();
        StringBuilder segArg = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            idArg.append(ids.get(i).getAsInt()).append(' ');
            segArg.append(segs.get(i).getAsInt()).append(' ');
        }
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, WorkbenchCli.commandLine().execute("encode", "--checkpoint",
                    dir.resolve("albert_model.ckpt").toString(), "--ids", idArg.toString(), "--segments", segArg.toString()));
        } finally {
            System.setOut(old);
        }
        JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        var want = golden.getAsJsonArray("final_hidden").get(1).getAsJsonArray();
        var got = json.getAsJsonArray("final_hidden");
        for (int t = 0; t < want.size(); t++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(want.get(t).getAsJsonArray().get(i).getAsDouble(),
                        got.get(t).getAsJsonArray().get(i).getAsDouble(), 1e-4);
            }
        }
        assertEquals(5, json.getAsJsonArray("cls_per_layer").size());
    }

    @Test
    void predictWithABadModelFolderIsAClearError() {
        StringWriter err = new StringWriter();
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("predict", "--model", "/no/such/run", "胃镜"));
        assertTrue(err.toString().contains("/no/such/run"), err.toString());
        assertFalse(err.toString().contains("\tat "));
    }
}
