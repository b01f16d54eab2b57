package cn.clinicaltext.workbench.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reference material: test vectors committed under {@code lib-src/test/resources/reference} (see PROVENANCE.md
 * there), else {@code ../shared} beside the checkout. Material in neither place is skipped, not failed.
 */
public final class SharedReference {
    private static final Path COMMITTED = Path.of("lib-src/test/resources");

    private SharedReference() {
    }

    public static Path require(String relative) {
        Path committed = COMMITTED.resolve(relative);
        if (Files.exists(committed)) {
            return committed;
        }
        Path root = Path.of(System.getProperty("workbench.shared", "../shared"));
        Path file = root.resolve(relative);
        Assumptions.assumeTrue(Files.exists(file), "reference material absent: " + file);
        return file;
    }
}
