package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SafeTensors;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bad-input catalogue: each case runs a command on one bad input and checks the exit status, that the message
 * names the file (and line or tensor) and the reason in plain words, with no stack trace, and that nothing was
 * written.
 */
class BadInputCatalogueTest {
    private static String fails(String... args) {
        return fails(null, args);
    }

    private static String fails(byte[] stdin, String... args) {
        StringWriter err = new StringWriter();
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        InputStream old = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            assertEquals(1, cli.execute(args), "exit status of " + List.of(args) + ": " + err);
        } finally {
            System.setIn(old);
        }
        String message = err.toString();
        assertTrue(message.startsWith("error: "), message);
        assertFalse(message.contains("\tat ") || message.contains("Exception"), "no stack trace or class name: " + message);
        return message;
    }

    private static void says(String message, String... words) {
        for (String w : words) {
            assertTrue(message.contains(w), "says '" + w + "': " + message);
        }
    }

    private static Path model(Path dir) throws Exception {
        return TinyModels.saved(dir);
    }

    @Test
    void corpusFiles(@TempDir Path dir) throws Exception {
        String[][] cases = {
                {"胃镜\t１\n", "is not an integer"},
                {"胃镜\t+2\n", "is not an integer"},
                {"胃镜\t٢\n", "is not an integer"},
                {"胃\u0000镜\t1\n", "NUL"},
                {"胃镜\t1\n   \n", ":2:", "only whitespace"},
                {"胃镜\t7\n", "out of range"},
                {"\t1\n", "empty text"},
                {"胃镜\t1\t2\n", "tabs"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("c" + Math.abs(c[0].hashCode()) + ".txt");
            Files.writeString(f, c[0], StandardCharsets.UTF_8);
            String m = fails("check-corpus", "--num-classes", "3", f.toString());
            says(m, f.toString());
            for (int i = 1; i < c.length; i++) {
                says(m, c[i]);
            }
        }
        // every file is checked, not just up to the first bad one
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        Files.writeString(a, "胃镜 1\n");
        Files.writeString(b, "肠镜\tx\n");
        says(fails("check-corpus", a.toString(), b.toString()), a + ":1", b + ":1", "2 files");
        says(fails("check-corpus", dir.toString()), dir.toString());
    }

    @Test
    void splitRefusesBadRatiosBeforeWriting(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("all.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            b.append("文本").append(i).append('\t').append(i % 3).append('\n');
        }
        Files.writeString(corpus, b);
        Path out = dir.resolve("out");
        says(fails("split", "--corpus", corpus.toString(), "--out", out.toString(), "--ratios", "NaN,1,1"), "ratios");
        says(fails("split", "--corpus", corpus.toString(), "--out", out.toString(), "--ratios", "8,Infinity,1"), "ratios");
        says(fails("split", "--corpus", corpus.toString(), "--out", out.toString(), "--ratios", "1,0,0"), "empty",
                "Nothing was written");
        assertFalse(Files.exists(out.resolve("train.txt")), "nothing written");
    }

    @Test
    void predictAndTokenizeInputs(@TempDir Path dir) throws Exception {
        Path run = model(dir);
        Path gbk = dir.resolve("gbk.txt");
        Files.write(gbk, new byte[]{'o', 'k', '\n', (byte) 0xC4, (byte) 0xE3, '\n'});
        says(fails("predict", "--model", run.toString(), "--file", gbk.toString()), gbk + ":2", "UTF-8");
        says(fails("predict", "--model", run.toString(), ""), "empty");
        says(fails("predict", "--model", run.toString(), "--file", dir.toString()), dir.toString(), "directory");
        Path vocab = run.resolve("vocab.txt");
        says(fails("tokenize", "--vocab", vocab.toString(), "--maxlen", "-5"), "--maxlen");
        says(fails(new byte[]{'a', '\n', (byte) 0xFF, '\n'}, "tokenize", "--vocab", vocab.toString()),
                "standard input:2", "UTF-8");
        // TSV output: a text cannot break the table or send terminal escapes
        assertEquals("a\\tb\\nc\\u001b[31m\\\\", PredictCommand.tsvCell("a\tb\nc\u001b[31m\\"));
    }

    @Test
    void damagedModels(@TempDir Path dir) throws Exception {
        Path run = model(dir);
        Path weights = run.resolve(SavedModel.WEIGHTS);
        byte[] good = Files.readAllBytes(weights);
        byte[] flipped = good.clone();
        for (int i = flipped.length - 64; i < flipped.length; i++) {
            flipped[i] ^= 0x5A;
        }
        Files.write(weights, flipped);
        says(fails("predict", "--model", run.toString(), "胃镜"), weights.toString(), "SHA-256");
        Files.write(weights, good);

        Path json = run.resolve("model.json");
        String model = Files.readString(json);
        Files.writeString(json, model.replaceFirst("\"format_version\": 1,", ""));
        says(fails("predict", "--model", run.toString(), "胃镜"), json.toString(), "format_version");
        Files.writeString(json, model.replaceFirst("\"num_classes\": 2", "\"num_classes\": \"two\""));
        says(fails("predict", "--model", run.toString(), "胃镜"), json.toString(), "num_classes");
        Files.writeString(json, model.replaceFirst("\"num_classes\": 2", "\"num_classes\": 3"));
        says(fails("predict", "--model", run.toString(), "胃镜"), run.toString(), "label names");
        Files.writeString(json, model);

        // a hand-made header entry with a missing dtype or non-numeric offsets
        Files.write(weights, withHeader("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}"));
        says(fails("predict", "--model", run.toString(), "胃镜"), weights.toString(), "tensor a", "dtype");
        Files.write(weights, withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"zero\",4]}}"));
        says(fails("predict", "--model", run.toString(), "胃镜"), weights.toString(), "not valid");
        assertNotNull(SafeTensors.DATA_SHA256);
    }

    @Test
    void damagedCheckpointIndex(@TempDir Path dir) throws Exception {
        // a TF index whose footer (magic number right) points past the end of the file
        byte[] index = new byte[64];
        long magic = 0xdb4775248b80fb57L;
        for (int i = 0; i < 8; i++) {
            index[index.length - 8 + i] = (byte) (magic >>> (8 * i));
        }
        int at = index.length - 48;
        index[at++] = 0;
        index[at++] = 0;
        index[at++] = (byte) 0xFF;                       // index block offset: a varint far beyond the file
        index[at++] = (byte) 0xFF;
        index[at++] = 0x7F;
        index[at] = 10;
        Path prefix = dir.resolve("albert_model.ckpt");
        Files.write(Path.of(prefix + ".index"), index);
        Files.writeString(dir.resolve("albert_config.json"), "{}");
        says(fails("encode", "--checkpoint", prefix.toString(), "--ids", "101 102"), prefix + ".index");
    }

    @Test
    void missingFilesFoldersAndBadOptions(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "胃镜\t1\n");
        says(fails("train", "--data-dir", dir.resolve("nodata").toString()), "train.txt", "not found");
        Files.createDirectories(dir.resolve("d/train.txt"));
        says(fails("train", "--data-dir", dir.resolve("d").toString()), "train.txt", "directory");
        says(fails("evaluate", "--model", dir.toString(), "--data", one.toString()), dir.toString(), "not a saved model");
        says(fails("predict", "--model", model(dir).toString(), "--format", "xml", "x"), "--format");
        says(fails("pretrain", "--corpus", dir.resolve("none.txt").toString(), "--out", dir.resolve("o").toString()),
                "none.txt", "not found");
        says(fails("pretrain", "--corpus", one.toString(), "--from", dir.toString(), "--out", dir.resolve("o").toString()),
                dir.toString(), "no pretrained model");
        says(fails("tokenize", "--vocab", dir.toString()), dir.toString(), "directory");
        says(fails("split", "--corpus", one.toString(), "--out", dir.resolve("s").toString(), "--ratios", "1,2"), "three numbers");
        says(fails("train", "--data-dir", dir.toString(), "--dropout", "1.5"), "dropout");
    }

    private static byte[] withHeader(String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + json.length + 4];
        java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        System.arraycopy(json, 0, out, 8, json.length);
        return out;
    }
}
