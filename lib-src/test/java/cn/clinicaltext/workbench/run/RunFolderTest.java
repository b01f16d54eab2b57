package cn.clinicaltext.workbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The new-run rule: a folder belongs to one set of settings. */
class RunFolderTest {
    @Test
    void sameSettingsResumeOtherSettingsMakeANewRun(@TempDir Path runs) throws Exception {
        RunSpec spec = RunSpec.SMOKE.with("data", Path.of("mydata"));
        RunFolder first = RunFolder.open(runs, spec);
        assertFalse(first.resumed());
        assertTrue(first.describe().startsWith("New run"));
        assertEquals(spec.toJson(), Files.readString(first.specFile()));

        RunFolder again = RunFolder.open(runs, RunSpec.read(first.specFile()));
        assertTrue(again.resumed());
        assertEquals(first.dir(), again.dir());
        assertTrue(again.describe().contains("same settings"), again.describe());

        RunFolder changed = RunFolder.open(runs, spec.withSettings(List.of("training.maxlen=32")));
        assertFalse(changed.resumed());
        assertNotEquals(first.dir(), changed.dir(), "an unnamed run with another setting gets its own folder");
    }

    @Test
    void aNamedRunRefusesOtherSettingsAndSaysWhich(@TempDir Path runs) throws Exception {
        RunSpec named = RunSpec.SMOKE.with("name", "trial");
        RunFolder.open(runs, named);
        IOException e = assertThrows(IOException.class,
                () -> RunFolder.open(runs, named.withSettings(List.of("training.patience=5"))));
        assertTrue(e.getMessage().contains("training.loop.patience: 3 → 5"), e.getMessage());
        assertTrue(e.getMessage().contains("--name"), e.getMessage());
    }

    @Test
    void aForeignFolderIsNotTakenOver(@TempDir Path runs) throws Exception {
        RunSpec named = RunSpec.SMOKE.with("name", "taken");
        Files.createDirectories(runs.resolve("taken"));
        Files.writeString(runs.resolve("taken/notes.txt"), "mine");
        IOException e = assertThrows(IOException.class, () -> RunFolder.open(runs, named));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }
}
