package cn.clinicaltext.workbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a notebook or command finds its files, and whether it runs in smoke mode.
 * <p>
 * The root is WORKBENCH_HOME, else the nearest folder upwards holding {@code pom.xml} and {@code notebooks/}.
 * Smoke mode (WORKBENCH_SMOKE=1, set by {@code ./workbench test}) uses a tiny model and few steps and writes
 * under {@code target/smoke/} so that tests never touch the committed data, figures or weights.
 */
public record Project(Path root, boolean smoke) {
    /** The original experiment's maximum sequence length, [CLS] and [SEP] included. */
    public static final int MAXLEN = 200;
    public static final int NUM_CLASSES = 3;

    public static Project fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of("").toAbsolutePath());
    }

    static Project fromEnvironment(Map<String, String> env, Path workingDir) {
        String home = env.get("WORKBENCH_HOME");
        Path root = home != null && !home.isBlank() ? Path.of(home).toAbsolutePath().normalize() : findRoot(workingDir);
        String smoke = env.getOrDefault("WORKBENCH_SMOKE", "0").trim();
        return new Project(root, smoke.equals("1") || smoke.equalsIgnoreCase("true"));
    }

    private static Path findRoot(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("notebooks"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project folder from " + start
                + "; set WORKBENCH_HOME to the folder holding pom.xml and notebooks/");
    }

    /** The committed corpus, all records before deduplication and splitting. */
    public Path corpusFile() {
        return root.resolve("data").resolve("all.txt");
    }

    /** Where train.txt, val.txt and test.txt are written and read. */
    public Path splitDir() {
        return smoke ? root.resolve("target/smoke/data") : root.resolve("data");
    }

    public Path figuresDir() {
        return smoke ? root.resolve("target/smoke/figures") : root.resolve("figures");
    }

    /** Base path of a figure; {@code .png} and {@code .svg} are added when saved. */
    public Path figure(String name) {
        return figuresDir().resolve(name);
    }

    public Path weightsDir() {
        return smoke ? root.resolve("target/smoke/weights") : root.resolve("weights");
    }

    /** Folder of the downloaded albert_tiny_google_zh checkpoint (vocab.txt, albert_config.json, ckpt files). */
    public Path pretrainedDir() {
        return root.resolve("albert_tiny_google_zh");
    }

    @Override
    public String toString() {
        return "Project " + root + (smoke ? " [SMOKE MODE: tiny model, few steps, outputs under target/smoke]" : "")
                + "\n  corpus:     " + corpusFile()
                + "\n  splits:     " + splitDir()
                + "\n  figures:    " + figuresDir()
                + "\n  pretrained: " + pretrainedDir()
                + (Files.exists(pretrainedDir().resolve("vocab.txt")) ? "" : " (absent)");
    }
}
