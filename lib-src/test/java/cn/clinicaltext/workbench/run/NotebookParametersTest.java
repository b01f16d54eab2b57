package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.kernel.JavaKernel;
import cn.clinicaltext.workbench.kernel.KernelConfig;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every notebook can be pointed at a run: its first code cell is the parameters cell the launcher overrides. */
class NotebookParametersTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final int KERNEL_TIMEOUT_MS = 30_000;

    private static List<Path> notebooks() throws Exception {
        try (var files = Files.list(ROOT.resolve("notebooks"))) {
            return files.filter(f -> f.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
        }
    }

    private static List<JsonObject> codeCells(String json) {
        List<JsonObject> out = new ArrayList<>();
        for (var c : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("cells")) {
            if (c.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
                out.add(c.getAsJsonObject());
            }
        }
        return out;
    }

    private static String source(JsonObject cell) {
        StringBuilder b = new StringBuilder();
        cell.getAsJsonArray("source").forEach(l -> b.append(l.getAsString()));
        return b.toString();
    }

    private static List<String> tags(JsonObject cell) {
        List<String> out = new ArrayList<>();
        JsonObject meta = cell.getAsJsonObject("metadata");
        if (meta.has("tags")) {
            meta.getAsJsonArray("tags").forEach(t -> out.add(t.getAsString()));
        }
        return out;
    }

    @Test
    void everyNotebookStartsWithAParametersCellAndTheInjectedValueWins() throws Exception {
        List<Path> nbs = notebooks();
        assertTrue(nbs.size() >= 7, "the numbered notebooks: " + nbs);
        String runFile = "/tmp/runs/my \"data\"-1a2b3c4d/run.json";
        for (Path nb : nbs) {
            String original = Files.readString(nb);
            List<JsonObject> cells = codeCells(original);
            assertTrue(tags(cells.get(0)).contains(NotebookParameters.TAG), nb + ": first code cell is not tagged");
            String copy = NotebookParameters.inject(original, nb.toString(), Map.of(NotebookParameters.RUN_SPEC, runFile),
                    ROOT);
            List<JsonObject> injected = codeCells(copy);
            assertEquals(cells.size() + 1, injected.size());
            assertTrue(tags(injected.get(1)).contains(NotebookParameters.INJECTED_TAG), nb + ": right after it");
            assertTrue(source(injected.get(2)).contains("%jars " + ROOT.resolve("target") + "/"),
                    nb + ": jars made absolute for a copy run elsewhere");
            assertFalse(copy.contains("../target"), nb + ": no relative jar path left");
            assertTrue(source(injected.get(2)).contains("Run.open(" + NotebookParameters.RUN_SPEC + ")"),
                    nb + ": the setup cell reads the parameter");
            // the cells as this project's kernel runs them: the injected assignment is what the setup cell sees, also
            // after its wildcard imports (JShell resets a variable declared with an explicit type to null then)
            JavaKernel kernel = new JavaKernel(new KernelConfig(List.of(), List.of(), "", KERNEL_TIMEOUT_MS, List.of()));
            kernel.eval(source(injected.get(0)));
            kernel.eval(source(injected.get(1)));
            kernel.eval(String.join("\n", source(injected.get(2)).lines().filter(l -> l.startsWith("import ")).toList()));
            DisplayData value = kernel.eval("String.valueOf(" + NotebookParameters.RUN_SPEC + ")");
            assertEquals(runFile, value.getData(MIMEType.TEXT_PLAIN), nb + ": the run file after the setup imports");
        }
    }

    @Test
    void aNotebookWithoutParametersIsRefused() {
        JsonObject nb = new JsonObject();
        JsonArray cells = new JsonArray();
        JsonObject cell = new JsonObject();
        cell.addProperty("cell_type", "code");
        cell.add("metadata", new JsonObject());
        cell.add("source", new JsonArray());
        cells.add(cell);
        nb.add("cells", cells);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotebookParameters.inject(nb.toString(), "x.ipynb", Map.of("runSpec", "a"), ROOT));
        assertTrue(e.getMessage().contains("x.ipynb") && e.getMessage().contains("parameters"), e.getMessage());
    }
}
