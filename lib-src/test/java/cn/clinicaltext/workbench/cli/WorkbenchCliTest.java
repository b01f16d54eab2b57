package cn.clinicaltext.workbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class WorkbenchCliTest {
    @Test
    void tokenizePrintsOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n胃\n镜\n");
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("胃镜\n肠\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, WorkbenchCli.commandLine().execute("tokenize", "--vocab", vocab.toString(), "--maxlen", "8"));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("{\"token_ids\":[2,5,6,3],\"tokens\":[\"[CLS]\",\"胃\",\"镜\",\"[SEP]\"]}", lines[0]);
        assertEquals("{\"token_ids\":[2,1,3],\"tokens\":[\"[CLS]\",\"[UNK]\",\"[SEP]\"]}", lines[1]);
    }

    @Test
    void badCorpusIsAClearErrorNotAStackTrace(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "胃镜 1\n");
        StringWriter err = new StringWriter();
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("check-corpus", bad.toString()));
        assertTrue(err.toString().contains(bad + ":1: missing tab"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void missingVocabularyNamesTheFile() {
        StringWriter err = new StringWriter();
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("tokenize", "--vocab", "/no/such/vocab.txt"));
        assertTrue(err.toString().contains("/no/such/vocab.txt"), err.toString());
    }
}
