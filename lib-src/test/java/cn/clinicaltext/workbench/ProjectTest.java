package cn.clinicaltext.workbench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ProjectTest {
    @Test
    void findsTheRootFromANotebookFolderAndSeparatesSmokeOutputs(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        Project normal = Project.fromEnvironment(Map.of(), root.resolve("notebooks"));
        assertEquals(root, normal.root());
        assertFalse(normal.smoke());
        assertEquals(root.resolve("figures/01-x"), normal.figure("01-x"));
        Project smoke = Project.fromEnvironment(Map.of("WORKBENCH_HOME", root.toString(), "WORKBENCH_SMOKE", "1"), Path.of("/"));
        assertTrue(smoke.smoke());
        assertTrue(smoke.figuresDir().startsWith(root.resolve("target/smoke")));
        assertTrue(smoke.splitDir().startsWith(root.resolve("target/smoke")));
    }

    @Test
    void saysHowToFixAMissingRoot(@TempDir Path elsewhere) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Project.fromEnvironment(Map.of(), elsewhere));
        assertTrue(e.getMessage().contains("WORKBENCH_HOME"));
    }
}
