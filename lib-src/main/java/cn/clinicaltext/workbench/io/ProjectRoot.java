package cn.clinicaltext.workbench.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** What makes a folder the project's: the one rule the command line and the notebooks find it by. */
public final class ProjectRoot {
    private ProjectRoot() {
    }

    /** Whether {@code dir} is a project folder: it holds {@code pom.xml} and {@code notebooks/}. */
    public static boolean is(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("notebooks"));
    }

    /** The nearest project folder at or above {@code start}, or null. */
    public static Path above(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (is(p)) {
                return p;
            }
        }
        return null;
    }
}
