package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SafeTensors;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.io.FolderLock;
import cn.clinicaltext.workbench.testing.TinyModels;
import cn.clinicaltext.workbench.testing.WorkbenchProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bad-input catalogue: each case runs a command on one bad input and checks the exit status, that the message
 * names the file (and line or tensor) and the reason in plain words, with no stack trace, and that nothing was
 * written.
 */
class BadInputCatalogueTest {
    /** Cases run, counted across the class and printed at the end (the issue asks for the count). */
    private static final AtomicInteger CASES = new AtomicInteger();

    @AfterAll
    static void count() {
        System.out.println("bad-input catalogue: " + CASES.get() + " cases");
    }

    private static String fails(String... args) {
        return fails(null, args);
    }

    private static String fails(byte[] stdin, String... args) {
        return fails(1, stdin, args);
    }

    /** A mistake on the command line itself (an option's value that cannot be converted): exit status 2. */
    private static String failsUsage(String... args) {
        return fails(2, null, args);
    }

    private static String fails(int status, byte[] stdin, String... args) {
        CASES.incrementAndGet();
        StringWriter err = new StringWriter();
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        InputStream old = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            assertEquals(status, cli.execute(args), "exit status of " + List.of(args) + ": " + err);
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

    /** A case in which a command must succeed (an edge input handled); its standard output. */
    private static String succeeds(String... args) {
        CASES.incrementAndGet();
        return runs(args);
    }

    private static String runs(String... args) {
        StringWriter err = new StringWriter();
        StringWriter said = new StringWriter();                 // what picocli prints (help, version)
        var cli = WorkbenchCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(said, true));
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, cli.execute(args), "exit status of " + List.of(args) + ": " + err);
        } finally {
            System.setOut(old);
        }
        return said + out.toString(StandardCharsets.UTF_8);
    }

    private static Path csv(Path dir, String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private static String importCsv(Path file, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "--csv", file.toString(), "--text-column",
                "text", "--label-column", "label", "--out", out.toString()));
        args.addAll(List.of(more));
        return fails(args.toArray(String[]::new));
    }

    /** A CSV header and 30 good rows (lines 2..31) for the import cases to add a bad row to. */
    private static String thirtyRows() {
        StringBuilder rows = new StringBuilder("text,label\n");
        for (int i = 0; i < 30; i++) {
            rows.append("胃镜").append(i).append(",").append(i % 2).append('\n');
        }
        return rows.toString();
    }

    @Test
    void importsAreStrictAndExplained(@TempDir Path dir) throws Exception {
        String rows = thirtyRows();
        Path out = dir.resolve("out");
        // invalid UTF-8: refused with the line, not turned into U+FFFD
        Path gbk = dir.resolve("gbk.csv");
        Files.write(gbk, concat(rows.getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xC4, (byte) 0xE3,
                ',', '1', '\n'}));
        says(importCsv(gbk, out), gbk + ":32", "UTF-8");
        // an unbalanced quote would swallow the rows up to the next quote
        Path quote = csv(dir, "quote.csv", rows + "\"胃镜：未闭合的引号,1\n肠镜：下一行,0\n肠镜：\"又一行\",1\n");
        says(importCsv(quote, out), quote + ":32", "quote", "line 33");
        // 1, 01 and 1.0 are one class written three ways
        Path spellings = csv(dir, "spell.csv", rows + "胃镜a,01\n胃镜b,1.0\n");
        says(importCsv(spellings, out), spellings.toString(), "'1'", "'01'", "'1.0'", "one way");
        // a file that is not a workbook
        Path fake = csv(dir, "fake.xlsx", rows.toString());
        says(fails("import", "--xlsx", fake.toString(), "--text-column", "text", "--label-column", "label", "--out",
                out.toString()), fake.toString(), "not an Excel workbook", "--csv");
        // a duplicate policy that does not exist lists the ones that do
        says(failsUsage("import", "--csv", quote.toString(), "--text-column", "text", "--label-column", "label",
                "--out", out.toString(), "--duplicates", "newest"), "newest", "drop-all", "majority", "keep-first");
        assertFalse(Files.exists(out), "nothing written by any refused import");

        // a long cell (reports can be long) and a short row: imported, the short row dropped and listed
        Path good = csv(dir, "good.csv", rows + "胃".repeat(5000) + ",1\n只有一个单元格\n");
        succeeds("import", "--csv", good.toString(), "--text-column", "text", "--label-column", "label", "--out",
                out.toString());
        assertTrue(Files.readString(out.resolve("all.txt")).contains("胃".repeat(5000)), "no 4,096-character limit");
        String droppedReport = Files.readString(out.resolve("import-dropped.tsv"));
        assertTrue(droppedReport.contains("只有一个单元格") && droppedReport.contains("1 cells where the header has 2"),
                droppedReport);
        // --no-split into the folder that holds that split: its train/val/test.txt would go stale
        String before = Files.readString(out.resolve("train.txt"));
        says(fails("import", "--csv", good.toString(), "--text-column", "text", "--label-column", "label", "--out",
                out.toString(), "--no-split"), "train.txt", "earlier split", "Nothing was written");
        assertEquals(before, Files.readString(out.resolve("train.txt")));
    }

    @Test
    void settingsNameTheSettingTheFileAndTheValue(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train.txt"), "胃镜\t0\n肠镜\t1\n胃炎\t0\n肠炎\t1\n");
        Files.writeString(data.resolve("val.txt"), "胃\t0\n肠\t1\n");
        Path spec = dir.resolve("run.json");
        Files.writeString(spec, "{\"preset\": \"smoke\", \"training\": {\"batchSize\": 3.7}}");
        says(fails("train", "--spec", spec.toString(), "--data-dir", data.toString()), spec.toString(),
                "training.batchSize", "3.7", "whole number");
        Files.writeString(spec, "{\"preset\": \"smoke\", \"training\": {\"maxEpochs\": \"abc\"}}");
        says(fails("train", "--spec", spec.toString(), "--data-dir", data.toString()), spec.toString(),
                "training.maxEpochs", "'abc'", "not a number");
        Files.writeString(spec, "{\"preset\": \"smoke\", \"training\": {\"maxlen\": 64,}");
        String malformed = fails("train", "--spec", spec.toString(), "--data-dir", data.toString());
        says(malformed, spec.toString(), "not valid JSON");
        assertFalse(malformed.contains("http"), "no parser help link: " + malformed);
        says(fails("train", "--data-dir", data.toString(), "--tiny", "--set", "seeds=abc"), "seeds", "a list is needed");
        says(fails("train", "--spec", dir.toString(), "--data-dir", data.toString()), dir.toString(), "run.json");
        says(fails("train", "--data-dir", data.toString(), "--tiny", "--maxlen", "100000", "--out",
                dir.resolve("m").toString()), "training.data.maxlen 100000", "512 positions");
        assertFalse(Files.exists(dir.resolve("m")), "refused before anything is written");
        says(fails("pretrain", "--corpus", data.resolve("train.txt").toString(), "--out", dir.resolve("p").toString(),
                "--tiny", "--steps", "0"), "steps must be at least 1");
        says(fails("train", "--data-dir", data.toString(), "--pretrained", dir.resolve("typo").toString()), "typo",
                "no folder");
        // one class in the training data
        Path one = Files.createDirectories(dir.resolve("one"));
        Files.writeString(one.resolve("train.txt"), "胃镜\t0\n胃炎\t0\n");
        Files.writeString(one.resolve("val.txt"), "胃\t0\n");
        says(fails("train", "--data-dir", one.toString(), "--tiny", "--out", dir.resolve("o").toString()), "one class",
                "at least two");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void outputsAreCheckedBeforeTheWorkAndFoldersHaveOneWriter(@TempDir Path dir) throws Exception {
        Path run = model(dir);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        says(fails("predict", "--model", run.toString(), "--out", file.resolve("out.tsv").toString(), "胃镜"),
                file.toString(), "not a folder");
        says(fails("explain", "--model", run.toString(), "--out", dir.toString(), "胃镜"), dir.toString(), "folder");
        says(fails("explain", "--model", run.toString(), "--steps", "1000000000", "胃镜"), "1000000000", "1024");
        says(fails("predict", "--model", run.resolve(SavedModel.WEIGHTS).toString(), "胃镜"), "give its folder");
        // predict --out writes the whole table or nothing
        Path tsv = dir.resolve("out.tsv");
        succeeds("predict", "--model", run.toString(), "--out", tsv.toString(), "胃镜", "肠镜");
        assertEquals(3, Files.readAllLines(tsv).size(), "a header and two rows");

        // a second writer of a folder is refused, and the first's folder is left as it was
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train.txt"), "胃镜\t0\n肠镜\t1\n");
        Files.writeString(data.resolve("val.txt"), "胃\t0\n肠\t1\n");
        Path busy = dir.resolve("busy");
        try (FolderLock first = FolderLock.acquire(busy, "training, seed 42")) {
            says(fails("train", "--data-dir", data.toString(), "--tiny", "--out", busy.toString()), busy.toString(),
                    "being written by another process", "seed 42");
        }
        try (var left = Files.list(busy)) {
            assertEquals(List.of(FolderLock.FILE), left.map(p -> p.getFileName().toString()).toList());
        }

        // diagnose with a permuted-label model of other classes; compare given a run twice or a model folder
        Path three = TinyModels.saved(dir.resolve("three"), List.of("a", "b", "c"));
        Path test = Files.writeString(dir.resolve("test.txt"), "胃镜\t0\n肠镜\t1\n");
        says(fails("diagnose", "--model", run.toString(), "--data", test.toString(), "--prefix", "检查如下：",
                "--permuted-model", three.toString()), "--permuted-model", "[a, b, c]");
        says(fails("compare", run.toString(), run.toString()), run.toString(), "is a model folder", "evaluate",
                "--versus");
        Path runs = Files.createDirectories(dir.resolve("runs/r1"));
        Files.writeString(runs.resolve("run.json"), "{\"preset\": \"smoke\"}");
        says(fails("compare", runs.toString(), runs.toString()), "given twice");
    }

    @Test
    void versionAndHelpOfEveryCommand(@TempDir Path dir) throws Exception {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            for (String command : WorkbenchCli.commandLine().getSubcommands().keySet()) {
                runs(command, "--help");
            }
        } finally {
            System.setErr(oldErr);
        }
        assertFalse(warnings.toString(StandardCharsets.UTF_8).contains("Could not format"), warnings.toString());
        // -V of a command, as a user runs it (its own JVM: picocli prints the version to the process's stdout)
        for (String command : List.of("train", "predict", "import")) {
            Process p = WorkbenchProcess.start(dir, command, command, "-V");
            assertEquals(0, p.waitFor());
            assertTrue(Files.readString(dir.resolve(command + ".log")).startsWith("workbench "), command + " -V");
        }
        CASES.addAndGet(2);                               // -V, and --help without format warnings
    }

    /** A case in which a command succeeds and says something on standard error; its standard output and error. */
    private static String[] succeedsSaying(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String out;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            out = succeeds(args);
        } finally {
            System.setErr(oldErr);
        }
        return new String[]{out, err.toString(StandardCharsets.UTF_8)};
    }

    /** Round three: imports (quotes, duplicate columns, encodings, the split's message). */
    @Test
    void importsRoundThree(@TempDir Path dir) throws Exception {
        String rows = thirtyRows();
        Path out = dir.resolve("out");
        // an unbalanced quote closed by the next row's opening quote: two rows would become one text
        Path quote = csv(dir, "quote2.csv", rows + "\"胃镜：未闭合的引号,1\n\"肠镜：下一行\",0\n肠镜：又一行,1\n");
        says(importCsv(quote, out), quote + ":32", "quote", "line 32");
        // a legitimate quoted report with a line break is still read
        Path paragraphs = csv(dir, "paragraphs.csv", rows + "\"胃镜：第一段\n第二段\",1\n");
        succeeds("import", "--csv", paragraphs.toString(), "--text-column", "text", "--label-column", "label",
                "--out", dir.resolve("p").toString());
        assertTrue(Files.readString(dir.resolve("p/all.txt")).contains("胃镜：第一段 第二段"));
        // two columns of one name: which is meant cannot be told
        Path twice = csv(dir, "twice.csv", "text,label,label\n胃镜,0,1\n肠镜,1,0\n");
        says(importCsv(twice, out), twice.toString(), "two columns 'label'", "columns 2 and 3");
        Path twiceText = csv(dir, "twice-text.csv", "text,label,text\n胃镜,0,肠镜\n");
        says(importCsv(twiceText, out), "two columns 'text'", "columns 1 and 3");
        // GBK (Excel on a Chinese Windows): refused as UTF-8 with the way out said once; read with --encoding
        String gbkRows = rows.replace("胃镜", "胃镜检查");
        Path gbk = dir.resolve("excel-gbk.csv");
        Files.write(gbk, gbkRows.getBytes(java.nio.charset.Charset.forName("GBK")));
        String refused = importCsv(gbk, out);
        says(refused, gbk + ":2", "not valid UTF-8", "--encoding GB18030");
        assertEquals(1, refused.split("--encoding", -1).length - 1, "the way out said once: " + refused);
        succeeds("import", "--csv", gbk.toString(), "--text-column", "text", "--label-column", "label", "--out",
                dir.resolve("g").toString(), "--encoding", "gb18030");
        assertTrue(Files.readString(dir.resolve("g/all.txt")).contains("胃镜检查7\t1"), "decoded, not replaced");
        says(importCsv(gbk, out, "--encoding", "klingon"), "--encoding klingon", "GB18030");
        // too few texts to split: the problem first, not a success summary after "error:"
        Path two = csv(dir, "two.csv", "text,label\n" + "胃".repeat(100_000) + ",0\n肠镜,1\n");
        String split = importCsv(two, out);
        assertTrue(split.startsWith("error: the split"), split.substring(0, Math.min(200, split.length())));
        assertFalse(Files.exists(out), "nothing written by any refused import");
    }

    /** Round three: texts on the command line and the model folders they are given to. */
    @Test
    void textsAndModelFoldersRoundThree(@TempDir Path dir) throws Exception {
        Path run = model(dir);
        // bytes that were not UTF-8 reach Java as U+FFFD: refused, not classified as another text
        says(fails("predict", "--model", run.toString(), "\uFFFD\uFFFD"), "text 1", "U+FFFD", "UTF-8");
        says(fails("explain", "--model", run.toString(), "胃镜", "胃\uFFFD"), "text 2", "U+FFFD");
        // ... and the launcher refuses them where the bytes still exist (before Java or a build is started)
        Path launcher = Path.of(System.getProperty("user.dir"), "workbench");
        if (Files.isRegularFile(launcher)) {
            Process p = new ProcessBuilder("bash", "-c", "\"$0\" predict --model M $'\\xff\\xfe' 2>&1", launcher.toString())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.waitFor(), said);
            says(said, "argument 4", "not valid UTF-8", "ff fe");
            CASES.incrementAndGet();
        }
        // a model whose training was stopped: used, with a warning naming its state
        Path stopped = dir.resolve("stopped");
        Files.createDirectories(stopped.resolve("state"));
        try (var files = Files.list(run)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("session.json")) {      // the session has not ended
                    Files.copy(f, stopped.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(stopped.resolve("state/state.json"), "{\"epoch\": 2, \"step\": 20, \"bestScore\": 0.5,"
                + " \"bestEpoch\": 1, \"badEpochs\": 1, \"fingerprint\": \"x\", \"history\": [], \"tag\": \"e2\"}");
        for (String command : List.of("predict", "explain")) {
            String warned = succeedsSaying(command, "--model", stopped.toString(), "胃镜")[1];
            says(warned, "warning", stopped.toString(), "has not finished", "after epoch 2", "(epoch 1)");
        }
        Files.writeString(stopped.resolve("run.json"), "{\"stop_reason\": \"early stopping\"}");
        assertFalse(succeedsSaying("predict", "--model", stopped.toString(), "胃镜")[1].contains("warning"),
                "a finished training says nothing (its session record under the name used before 2026-12-08)");
        Files.move(stopped.resolve("run.json"), stopped.resolve("session.json"));
        assertFalse(succeedsSaying("predict", "--model", stopped.toString(), "胃镜")[1].contains("warning"),
                "a finished training says nothing (session.json)");
        // texts longer than the model reads: how many were cut, and to what
        String note = succeedsSaying("predict", "--model", run.toString(), "胃镜", "胃".repeat(40), "肠".repeat(50))[1];
        says(note, "2 of 3 texts", "maxlen of 32 tokens", "first 30 tokens");
        says(succeedsSaying("explain", "--model", run.toString(), "胃".repeat(40))[1], "1 of 1 texts");
    }

    /** Round three: run files, pretrained folders, distillation, check-corpus. */
    @Test
    void settingsStartsAndDistillationRoundThree(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train.txt"), "胃镜\t0\n肠镜\t1\n胃炎\t0\n肠炎\t1\n胃病\t2\n");
        Files.writeString(data.resolve("val.txt"), "胃\t0\n肠\t1\n病\t2\n");
        // train --spec: the run file's data is used, not asked for again
        Path spec = dir.resolve("run.json");
        Files.writeString(spec, "{\"preset\": \"smoke\", \"data\": \"" + data.toString().replace("\\", "/")
                + "\", \"seeds\": [42], \"training\": {\"loop\": {\"maxEpochs\": 1}}}");
        succeeds("train", "--spec", spec.toString(), "--out", dir.resolve("m").toString());
        assertTrue(Files.exists(dir.resolve("m/model.safetensors")));
        // a run file's labels that disagree with the data name the setting
        Files.writeString(spec, "{\"preset\": \"smoke\", \"labels\": [\"a\", \"b\"]}");
        says(fails("train", "--spec", spec.toString(), "--data-dir", data.toString(), "--out",
                dir.resolve("o").toString()), "setting 'labels'", "2 classes", "out of range");
        Files.writeString(data.resolve("labels.txt"), "x\ny\nz\n");
        says(fails("train", "--spec", spec.toString(), "--data-dir", data.toString(), "--out",
                dir.resolve("o").toString()), "setting 'labels'", "labels.txt", "3");
        assertFalse(Files.exists(dir.resolve("o")));
        // an empty seed list is said to be empty, also beside an older file's training.seed
        Files.writeString(spec, "{\"preset\": \"smoke\", \"seeds\": []}");
        says(fails("train", "--spec", spec.toString(), "--data-dir", data.toString()), "seeds is an empty list");
        Files.writeString(spec, "{\"preset\": \"smoke\", \"seeds\": [], \"training\": {\"seed\": 42}}");
        String empty = fails("train", "--spec", spec.toString(), "--data-dir", data.toString());
        says(empty, "seeds is an empty list");
        assertFalse(empty.contains("differs"), empty);

        // Hugging Face folders: a config that is not JSON, the workbench's own names, a wrong vocab_size
        Path hf = Files.createDirectories(dir.resolve("hf"));
        Path tiny = model(dir);
        Files.copy(tiny.resolve("vocab.txt"), hf.resolve("vocab.txt"));
        Files.copy(tiny.resolve(SavedModel.WEIGHTS), hf.resolve("model.safetensors"));
        Files.writeString(hf.resolve("config.json"), "{\"model_type\": \"bert\",");
        String notJson = fails("train", "--data-dir", data.toString(), "--pretrained", hf.toString());
        says(notJson, hf.resolve("config.json").toString(), "not a valid JSON object", "ends too early");
        assertFalse(notJson.contains("EOFException"), notJson);
        int vocab = Files.readAllLines(hf.resolve("vocab.txt")).size();
        Files.writeString(hf.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": " + vocab
                + ", \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
                + " \"intermediate_size\": 16, \"hidden_act\": \"gelu\", \"max_position_embeddings\": 32}");
        says(fails("train", "--data-dir", data.toString(), "--pretrained", hf.toString()), "workbench's own tensor"
                + " names", "not a Hugging Face export");
        try (var t = cn.clinicaltext.workbench.model.Tensor.zeros(vocab, 8)) {
            SafeTensors.write(hf.resolve("model.safetensors"), java.util.Map.of("bert.embeddings.word_embeddings.weight",
                    t), java.util.Map.of());
        }
        Files.writeString(hf.resolve("config.json"), Files.readString(hf.resolve("config.json"))
                .replace("\"vocab_size\": " + vocab, "\"vocab_size\": " + (vocab + 7)));
        String wrongSize = fails("train", "--data-dir", data.toString(), "--pretrained", hf.toString());
        says(wrongSize, "vocab_size " + (vocab + 7), vocab + " rows", "config's vocab_size is wrong");

        // distil: the teacher's folder as --out, an empty --unlabeled file, nothing said before the checks
        Files.delete(data.resolve("labels.txt"));
        Path teacher = TinyModels.saved(dir.resolve("teacher"), List.of("class 0", "class 1", "class 2"));
        byte[] teacherWeights = Files.readAllBytes(teacher.resolve(SavedModel.WEIGHTS));
        says(fails("distil", "--teacher", teacher.toString(), "--data-dir", data.toString(), "--out",
                teacher.toString(), "--preset", "smoke"), "teacher's folder", "Nothing was written");
        assertFalse(Files.exists(teacher.resolve("teacher-targets.tsv")), "nothing written into the teacher's folder");
        assertArrayEquals(teacherWeights, Files.readAllBytes(teacher.resolve(SavedModel.WEIGHTS)));
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n  \n");
        says(fails("distil", "--teacher", teacher.toString(), "--data-dir", data.toString(), "--out",
                dir.resolve("s").toString(), "--unlabeled", blank.toString()), blank.toString(), "no texts",
                "--unlabeled");
        Path other = TinyModels.saved(dir.resolve("other-teacher"), List.of("a", "b"));
        PrintStream oldOut = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
            says(fails("distil", "--teacher", other.toString(), "--data-dir", data.toString(), "--out",
                    dir.resolve("s").toString(), "--preset", "smoke"), "the teacher", "has the classes");
        } finally {
            System.setOut(oldOut);
        }
        assertFalse(said.toString(StandardCharsets.UTF_8).contains("class probabilities"), said.toString());

        // check-corpus with no class count: the labels used, not a thousand-entry list
        String checked = succeeds("check-corpus", data.resolve("train.txt").toString());
        says(checked, "labels 0..2 used", "[2, 2, 1]");
        assertTrue(checked.length() < 400, checked);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] withHeader(String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + json.length + 4];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        System.arraycopy(json, 0, out, 8, json.length);
        return out;
    }
}
