package cn.clinicaltext.workbench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The corpus error catalogue: every defect is named with file and line, never a stack trace. */
class CorpusReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private Path write(String name, String text) throws Exception {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private List<CorpusProblem> problems(Path file) {
        return assertThrows(CorpusFormatException.class, () -> CorpusReader.read(file, 3)).problems();
    }

    @Test
    void readsTextsLabelsAndLineNumbers() throws Exception {
        Corpus corpus = CorpusReader.read(write("ok.txt", "慢性胃炎\t1\n\n结肠息肉\t2\n"), 3);
        assertEquals(2, corpus.size());
        assertEquals(new LabeledText("结肠息肉", 2, 3), corpus.records().get(1));
        assertEquals(64, corpus.sha256().length());
    }

    @Test
    void toleratesByteOrderMarkAndCrlf() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "胃镜\t1\r\n肠镜\t2\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        Corpus corpus = CorpusReader.read(write("bom.txt", all), 3);
        assertEquals(List.of("胃镜", "肠镜"), corpus.texts());
        assertArrayEquals(new int[]{1, 2}, corpus.labels());
    }

    @Test
    void missingTab() throws Exception {
        Path file = write("a.txt", "胃镜\t1\n没有标签\n");
        List<CorpusProblem> p = problems(file);
        assertEquals(1, p.size());
        assertEquals(2, p.get(0).line());
        assertTrue(p.get(0).toString().startsWith(file + ":2: missing tab"), p.get(0).toString());
    }

    @Test
    void extraTabs() throws Exception {
        assertTrue(problems(write("a.txt", "胃\t镜\t1\n")).get(0).message().contains("2 tabs"));
    }

    @Test
    void nonIntegerLabel() throws Exception {
        assertTrue(problems(write("a.txt", "胃镜\tupper\n")).get(0).message().contains("'upper' is not an integer"));
    }

    @Test
    void labelOutOfRange() throws Exception {
        assertTrue(problems(write("a.txt", "胃镜\t3\n")).get(0).message().contains("out of range 0..2"));
        assertTrue(problems(write("b.txt", "胃镜\t-1\n")).get(0).message().contains("out of range"));
    }

    @Test
    void emptyText() throws Exception {
        assertEquals("empty text", problems(write("a.txt", "  \t1\n")).get(0).message());
    }

    @Test
    void invalidUtf8NamesTheLine() throws Exception {
        byte[] gbk = "胃镜\t1\n".getBytes("GBK");
        byte[] good = "肠镜\t2\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[good.length + gbk.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(gbk, 0, all, good.length, gbk.length);
        CorpusProblem p = problems(write("gbk.txt", all)).get(0);
        assertEquals(2, p.line());
        assertTrue(p.message().contains("not valid UTF-8"));
    }

    @Test
    void emptyFile() throws Exception {
        CorpusProblem p = problems(write("empty.txt", "\n\n")).get(0);
        assertEquals(0, p.line());
        assertTrue(p.message().contains("empty file"));
    }

    @Test
    void collectsAllProblemsOrStopsAtTheFirst() throws Exception {
        Path file = write("many.txt", "a\t9\nb\nc\tx\nd\t1\n");
        assertEquals(3, problems(file).size());
        CorpusFormatException first = assertThrows(CorpusFormatException.class,
                () -> CorpusReader.read(file, 3, CorpusReader.Mode.FIRST_ERROR));
        assertEquals(1, first.problems().size());
        assertTrue(first.getMessage().contains(file + ":1: label 9 out of range"), first.getMessage());
    }

    @Test
    void anyNumberOfClasses() throws Exception {
        Corpus corpus = CorpusReader.read(write("five.txt", "a\t4\nb\t0\n"), 5);
        assertArrayEquals(new long[]{1, 0, 0, 0, 1}, corpus.classCounts());
    }
}
