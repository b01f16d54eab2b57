package cn.clinicaltext.workbench.train;

import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.model.Blas;

/** Facts recorded with every run so a result can be traced and reproduced months later. */
public final class Provenance {
    private Provenance() {
    }

    /** Code version: the git commit of the project folder (with "-dirty" when files differ), or "unknown". */
    public static String gitCommit(Path projectRoot) {
        try {
            Process p = new ProcessBuilder("git", "-C", projectRoot.toString(), "describe", "--always", "--dirty",
                    "--abbrev=40").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown (git not available)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * The provenance of weights a run writes, in one order for every kind of run: what they are ({@code note}),
     * where they started, the kind's own facts ({@code facts}: data, settings, seed, teacher, corpus), then code
     * version, environment and times.
     */
    public static Map<String, Object> of(String note, Start start, Map<String, Object> facts, Path projectRoot,
                                         String started) {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("note", note);
        prov.put("weights_origin", start.origin());
        // "random", or "pretrained " + the SHA-256 of the start's weights file (.onnx, .safetensors, TF index)
        prov.put("start", start.identity());
        prov.put("vocabulary", start.vocabulary().toString());
        prov.putAll(facts);
        prov.put("code_version", gitCommit(projectRoot));
        prov.put("environment", environment());
        prov.put("started", started);
        prov.put("saved", now());
        return prov;
    }

    public static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java", Runtime.version().toString());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("threads", Blas.threads());
        m.put("workbench_version", Provenance.class.getPackage().getImplementationVersion() == null ? "dev"
                : Provenance.class.getPackage().getImplementationVersion());
        return m;
    }

    /** What a split folder holds: its split.json (when present) and the SHA-256 of train, val and test. */
    public static Map<String, Object> splitFiles(Path dir) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data_dir", dir.toAbsolutePath().normalize().toString());
        Path manifest = dir.resolve("split.json");
        if (Files.exists(manifest)) {
            data.put("split", JsonParser.parseString(Files.readString(manifest)).toString());
        }
        for (String name : new String[]{"train", "val", "test"}) {
            data.put(name + "_sha256", sha256OrNull(dir.resolve(name + ".txt")));
        }
        return data;
    }

    public static String now() {
        return Instant.now().toString();
    }

    public static String sha256OrNull(Path file) {
        try {
            return file != null && Files.exists(file) ? Hashes.sha256(file) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
