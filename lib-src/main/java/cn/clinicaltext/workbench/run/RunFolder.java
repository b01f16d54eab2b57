package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's own folder, {@code runs/NAME/}: its settings ({@value #SPEC_FILE}) and everything it writes
 * ({@code data/}, {@code figures/}, {@code weights/}, {@code notebooks/}).
 * <p>
 * The new-run rule: a run folder belongs to one set of settings. Opening a spec whose folder exists resumes it only
 * when the folder's {@value #SPEC_FILE} holds the same settings, and says so; otherwise it is refused with the
 * settings that differ. An unnamed spec is named from a hash of its settings, so changing a setting and running
 * again makes a new run by itself.
 *
 * @param dir     the run folder
 * @param spec    its settings
 * @param resumed whether the folder existed with these settings
 */
public record RunFolder(Path dir, RunSpec spec, boolean resumed) {
    public static final String SPEC_FILE = "run.json";
    /** Where runs are made, relative to the project folder. */
    public static final String RUNS = "runs";

    /** Creates the run's folder under {@code runsDir}, or reopens it when it holds the same settings. */
    public static RunFolder open(Path runsDir, RunSpec spec) throws IOException {
        Path dir = runsDir.resolve(spec.resolvedName());
        Path file = dir.resolve(SPEC_FILE);
        if (Files.exists(file)) {
            RunSpec existing;
            try {
                existing = RunSpec.read(file);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is not a valid run file (" + e.getMessage() + "); delete " + dir
                        + " or give another --name", e);
            }
            if (!existing.sameSettings(spec)) {
                throw new IOException("run " + dir + " exists with other settings:\n  "
                        + String.join("\n  ", existing.differences(spec))
                        + "\nGive the run another --name (or none: unnamed runs are named from their settings),"
                        + " or delete " + dir + " to start it again.");
            }
            return new RunFolder(dir, existing, true);
        }
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(dir + " exists, is not empty and has no " + SPEC_FILE
                            + "; give the run another --name or move the folder away");
                }
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(file, spec.toJson());
        return new RunFolder(dir, spec, false);
    }

    /** Reads an existing run folder (or its run.json). */
    public static RunFolder read(Path dirOrFile) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(SPEC_FILE) : dirOrFile;
        return new RunFolder(file.toAbsolutePath().normalize().getParent(), RunSpec.read(file), true);
    }

    public Path specFile() {
        return dir.resolve(SPEC_FILE);
    }

    /** Executed notebooks of the run. */
    public Path notebooksDir() {
        return dir.resolve("notebooks");
    }

    /** The run's parameterised copies of the project's notebooks, the launcher's input. */
    public Path notebookInputsDir() {
        return dir.resolve(".notebooks");
    }

    /** What opening the folder did, for the launcher to print. */
    public String describe() {
        return (resumed ? "Resuming run " + dir + ": its " + SPEC_FILE + " holds the same settings"
                : "New run " + dir) + " (settings hash " + spec.settingsHash().substring(0, 8) + ")";
    }

    /** The run folders under {@code runsDir}, by name. */
    public static List<Path> list(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        try (var dirs = Files.list(runsDir)) {
            return dirs.filter(d -> Files.exists(d.resolve(SPEC_FILE))).sorted().toList();
        }
    }
}
