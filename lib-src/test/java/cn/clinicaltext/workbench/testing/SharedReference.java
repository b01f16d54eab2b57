package cn.clinicaltext.workbench.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reference material in {@code ../shared} beside the checkout (test vectors that the project must not copy).
 * A fresh clone has none: tests using it are skipped, not failed.
 */
public final class SharedReference {
    private SharedReference() {
    }

    public static Path require(String relative) {
        Path root = Path.of(System.getProperty("workbench.shared", "../shared"));
        Path file = root.resolve(relative);
        Assumptions.assumeTrue(Files.exists(file), "reference material absent: " + file);
        return file;
    }
}
