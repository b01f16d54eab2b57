package cn.clinicaltext.workbench.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import cn.clinicaltext.workbench.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExplainCommandTest {
    private static Path model(Path dir) throws Exception {
        return TinyModels.saved(dir);
    }

    private static String stdout(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = WorkbenchCli.commandLine();
            cli.setErr(new PrintWriter(err));
            assertEquals(0, cli.execute(args), err.toString());
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonlHasOneSignedScorePerTokenInInputOrder(@TempDir Path dir) throws Exception {
        Path run = model(dir);
        Path file = dir.resolve("texts.txt");
        Files.writeString(file, "结肠息肉，长的一段文字\n胃炎\t1\n");
        String out = stdout("explain", "--model", run.toString(), "--file", file.toString(), "--steps", "8");
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        JsonObject first = JsonParser.parseString(lines[0]).getAsJsonObject();
        JsonObject second = JsonParser.parseString(lines[1]).getAsJsonObject();
        assertEquals("结肠息肉，长的一段文字", first.get("text").getAsString(), "input order kept");
        assertEquals("胃炎", second.get("text").getAsString());
        assertEquals(first.getAsJsonArray("tokens").size(), first.getAsJsonArray("scores").size());
        assertEquals(8, first.get("steps").getAsInt());
        assertEquals("ig", first.get("method").getAsString());
        assertEquals("pad", first.get("baseline").getAsString());
        assertEquals(2, first.getAsJsonArray("probabilities").size());
        double sum = 0;
        for (var s : first.getAsJsonArray("scores")) {
            sum += s.getAsDouble();
        }
        assertTrue(first.has("completeness_gap"));
        boolean anyNegative = false;
        for (String line : lines) {
            for (var s : JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("scores")) {
                anyNegative |= s.getAsDouble() < 0;
            }
        }
        assertTrue(anyNegative || sum > 0, "signed scores");

        String occ = stdout("explain", "--model", run.toString(), "--method", "occlusion", "--window", "2",
                "--magnitude", "--target", "1", "胃镜");
        JsonObject o = JsonParser.parseString(occ.trim()).getAsJsonObject();
        assertEquals(1, o.get("target").getAsInt());
        assertFalse(o.has("completeness_gap"), "occlusion has no completeness gap");
        for (var s : o.getAsJsonArray("scores")) {
            assertTrue(s.getAsDouble() >= 0, "magnitudes");
        }

        Path html = dir.resolve("out.html");
        stdout("explain", "--model", run.toString(), "--format", "html", "--out", html.toString(), "胃镜");
        assertTrue(Files.readString(html).contains("<span"), "heatmap spans");
    }

    @Test
    void badOptionsAreClearErrors(@TempDir Path dir) throws Exception {
        Path run = model(dir);
        for (String[] bad : new String[][]{{"--baseline", "noise"}, {"--method", "lime"}, {"--target", "7"},
                {"--target", "x"}, {"--window", "9", "--method", "occlusion"}, {"--format", "csv"}}) {
            StringWriter err = new StringWriter();
            var cli = WorkbenchCli.commandLine();
            cli.setErr(new PrintWriter(err));
            String[] args = new String[bad.length + 4];
            args[0] = "explain";
            args[1] = "--model";
            args[2] = run.toString();
            System.arraycopy(bad, 0, args, 3, bad.length);
            args[args.length - 1] = "胃镜";
            assertEquals(1, cli.execute(args), List.of(bad) + ": " + err);
            assertTrue(err.toString().startsWith("error: "), err.toString());
            assertFalse(err.toString().contains("\tat "), err.toString());
        }
    }
}
