package cn.clinicaltext.workbench.run;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** docs/settings.md holds the reference the settings records make, as they make it now. */
class SettingsReferenceTest {
    @Test
    void theDocumentedReferenceIsTheOneTheRecordsMake() throws Exception {
        String doc = Files.readString(Path.of("docs/settings.md"), StandardCharsets.UTF_8);
        int begin = doc.indexOf(SettingsReference.BEGIN);
        int end = doc.indexOf(SettingsReference.END);
        assertTrue(begin >= 0 && end > begin, "docs/settings.md has the reference's marker lines");
        String documented = doc.substring(begin + SettingsReference.BEGIN.length() + 1, end);
        assertEquals(SettingsReference.markdown(), documented,
                "docs/settings.md is behind the settings records: run ./workbench settings --update docs/settings.md");
    }

    @Test
    void everySettingOfEveryPresetIsInTheReference() {
        String reference = SettingsReference.markdown();
        for (String path : RunSpec.DEFAULT.flatSettings().keySet()) {
            String row = path.startsWith("training.learningRate.fixed") ? "training.learningRate.fixed" : path;
            assertTrue(reference.contains("| `" + row + "` |"), "the reference lists " + row);
        }
    }
}
