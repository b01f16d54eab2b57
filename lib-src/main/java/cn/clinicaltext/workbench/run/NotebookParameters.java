package cn.clinicaltext.workbench.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Papermill's convention for the Java notebooks: a notebook's first code cell, tagged {@value #TAG}, holds the
 * values a launcher may replace; the launcher inserts a cell tagged {@value #INJECTED_TAG} right after it that
 * assigns the run's values, so the notebook runs unchanged with other settings. Relative {@code %jars} paths are
 * made absolute, since the copy is executed from the run's folder.
 */
public final class NotebookParameters {
    public static final String TAG = "parameters";
    public static final String INJECTED_TAG = "injected-parameters";
    /** The parameter every notebook has: the run file it reads its settings from. */
    public static final String RUN_SPEC = "runSpec";

    private NotebookParameters() {
    }

    /**
     * A copy of the notebook (nbformat 4 JSON) with a cell assigning each value (a Java string literal) after the
     * parameters cell; a notebook without one is refused, naming it.
     */
    public static String inject(String notebookJson, String name, Map<String, String> values, Path projectRoot) {
        JsonObject nb = JsonParser.parseString(notebookJson).getAsJsonObject();
        JsonArray cells = nb.getAsJsonArray("cells");
        int at = -1;
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            if (at < 0 && "code".equals(cell.get("cell_type").getAsString()) && tags(cell).contains(TAG)) {
                at = i;
            }
            if (tags(cell).contains(INJECTED_TAG)) {
                throw new IllegalArgumentException(name + " already holds injected parameters");
            }
            if ("code".equals(cell.get("cell_type").getAsString())) {
                cell.add("source", lines(absoluteJars(source(cell), projectRoot)));
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException(name + " has no code cell tagged '" + TAG + "' to override");
        }
        StringBuilder src = new StringBuilder("// Injected by ./workbench run: this run's values\n");
        values.forEach((k, v) -> src.append(k).append(" = ").append(javaString(v)).append(";\n"));
        JsonObject cell = new JsonObject();
        cell.addProperty("cell_type", "code");
        cell.add("execution_count", JsonNull.INSTANCE);
        cell.addProperty("id", "injected-parameters");
        JsonObject meta = new JsonObject();
        JsonArray tags = new JsonArray();
        tags.add(INJECTED_TAG);
        meta.add("tags", tags);
        cell.add("metadata", meta);
        cell.add("outputs", new JsonArray());
        cell.add("source", lines(src.toString().stripTrailing()));
        List<JsonElement> all = new ArrayList<>();
        cells.forEach(all::add);
        all.add(at + 1, cell);
        JsonArray out = new JsonArray();
        all.forEach(out::add);
        nb.add("cells", out);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(nb) + "\n";
    }

    /** Writes a parameterised copy of every numbered notebook of {@code notebooksDir} into the run. */
    public static List<Path> prepare(Path notebooksDir, RunFolder run, Path projectRoot) throws IOException {
        Files.createDirectories(run.notebookInputsDir());
        List<Path> written = new ArrayList<>();
        try (var files = Files.list(notebooksDir)) {
            for (Path nb : files.filter(f -> f.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList()) {
                String copy = inject(Files.readString(nb, StandardCharsets.UTF_8), nb.toString(),
                        Map.of(RUN_SPEC, run.specFile().toAbsolutePath().toString()), projectRoot);
                Path target = run.notebookInputsDir().resolve(nb.getFileName());
                Files.writeString(target, copy, StandardCharsets.UTF_8);
                written.add(target);
            }
        }
        return written;
    }

    /** {@code %jars} lines with every {@code ../target/} (relative to notebooks/) made absolute. */
    static String absoluteJars(String source, Path projectRoot) {
        String target = projectRoot.resolve("target").toAbsolutePath().normalize() + "/";
        StringBuilder out = new StringBuilder();
        for (String line : source.split("(?<=\n)")) {
            out.append(line.startsWith("%jars") ? line.replace("../target/", target) : line);
        }
        return out.toString();
    }

    /** A Java string literal. */
    static String javaString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static List<String> tags(JsonObject cell) {
        List<String> out = new ArrayList<>();
        JsonObject meta = cell.has("metadata") ? cell.getAsJsonObject("metadata") : null;
        if (meta != null && meta.has("tags")) {
            meta.getAsJsonArray("tags").forEach(t -> out.add(t.getAsString()));
        }
        return out;
    }

    private static String source(JsonObject cell) {
        JsonElement s = cell.get("source");
        if (s.isJsonArray()) {
            StringBuilder b = new StringBuilder();
            s.getAsJsonArray().forEach(l -> b.append(l.getAsString()));
            return b.toString();
        }
        return s.getAsString();
    }

    private static JsonArray lines(String text) {
        JsonArray a = new JsonArray();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            a.add(text.substring(start, end));
            start = end;
        }
        return a;
    }
}
