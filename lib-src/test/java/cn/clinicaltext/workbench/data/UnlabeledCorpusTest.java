package cn.clinicaltext.workbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class UnlabeledCorpusTest {
    @Test
    void plainAndLabelledFilesGiveTheirTexts(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "\uFEFF胃镜：慢性胃炎\r\n\n  \n结肠息肉\t病理待查\n", StandardCharsets.UTF_8);
        Path labelled = dir.resolve("train.txt");
        Files.writeString(labelled, "食管炎\t1\n直肠癌\t2\n", StandardCharsets.UTF_8);
        UnlabeledCorpus c = UnlabeledCorpus.read(List.of(plain, labelled));
        assertEquals(List.of("胃镜：慢性胃炎", "结肠息肉\t病理待查", "食管炎", "直肠癌"), c.texts(),
                "a tab inside a plain text is kept; a labelled file gives its texts only");
        Map<String, Object> p = c.sources().get(plain.toString());
        assertEquals(2, p.get("blank_lines_skipped"));
        assertEquals(false, p.get("labels_dropped"));
        assertEquals(true, c.sources().get(labelled.toString()).get("labels_dropped"));
    }

    @Test
    void badInputNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("gbk.txt");
        Files.write(bad, new byte[]{'o', 'k', '\n', (byte) 0xC4, (byte) 0xE3, '\n'});
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> UnlabeledCorpus.read(List.of(bad)));
        assertTrue(e.getMessage().contains(bad + ":2") && e.getMessage().contains("UTF-8"), e.getMessage());
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        CorpusFormatException none = assertThrows(CorpusFormatException.class, () -> UnlabeledCorpus.read(List.of(empty)));
        assertTrue(none.getMessage().contains("no text"), none.getMessage());
        assertThrows(NoSuchFileException.class, () -> UnlabeledCorpus.read(List.of(dir.resolve("absent.txt"))));
    }
}
