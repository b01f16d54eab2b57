package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.io.ProjectRoot;
import cn.clinicaltext.workbench.run.Run;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where the command line finds things. A path a user types is relative to the directory the command runs in
 * (./workbench runs it in the caller's, not its own); the project's own folders ({@code albert_tiny_google_zh/}
 * for the {@code auto} start, {@code weights/} and {@code runs/} as default outputs, {@code notebooks/}) are found
 * from the project folder ({@code WORKBENCH_HOME}, set by ./workbench). Paths inside a run file stay relative to the
 * project folder, as a run file records them.
 */
final class ProjectPaths {
    private static final Set<String> START_NAMES = Set.of(PretrainedStart.NONE, PretrainedStart.AUTO,
            PretrainedStart.BGE_SMALL_ZH);

    private ProjectPaths() {
    }

    /**
     * The project folder: WORKBENCH_HOME, else the project this code was built in (target/classes or
     * target/workbench.jar inside it), else the nearest project above the working directory, else the working
     * directory itself.
     */
    static Path home() {
        if (System.getenv("WORKBENCH_HOME") == null) {
            Path built = builtIn();
            if (built != null) {
                return built;
            }
        }
        try {
            return Run.fromEnvironment().root();
        } catch (IllegalStateException noProject) {
            return Path.of("").toAbsolutePath();
        }
    }

    private static Path builtIn() {
        try {
            return ProjectRoot.above(Path.of(ProjectPaths.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;                                          // no code location to go by
        }
    }

    /** A typed path as a run records it: relative to the project when inside it, else absolute. */
    static Path typed(Path given) {
        Path home = home();
        Path absolute = given.toAbsolutePath().normalize();
        return absolute.startsWith(home) ? home.relativize(absolute) : absolute;
    }

    /** A typed start: a start's name as it is, a folder as {@link #typed(Path)}. */
    static String typedStart(String given) {
        if (given == null || given.isBlank() || START_NAMES.contains(given.strip())) {
            return given;
        }
        return typed(Path.of(given.strip())).toString();
    }

    /** A start given on the command line as a run file records it: null for none (or blank), else as typedStart. */
    static String startSetting(String given) {
        return given.isBlank() || given.strip().equals(PretrainedStart.NONE) ? null : typedStart(given);
    }
}
