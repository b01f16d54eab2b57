package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.run.Run;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.eval.RunComparison;
import cn.clinicaltext.workbench.run.RunFolder;
import cn.clinicaltext.workbench.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A new user's loop without editing Java: import a CSV with class names, open a run on it, change one setting
 * (a new run), train both, compare them with a paired test.
 */
class YourDataWorkflowTest {
    @Test
    void importRunChangeOneSettingAndCompare(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("id,report,dx\n");
        String[][] classes = {{"gastric", "胃窦黏膜充血水肿"}, {"colonic", "结肠黏膜光滑血管纹理清"}, {"other", "肝胆胰未见异常"}};
        for (int i = 0; i < 40; i++) {
            for (String[] c : classes) {
                csv.append(i).append(',').append(c[1]).append("，病例").append(i).append(',').append(c[0]).append('\n');
            }
        }
        csv.append("999,,gastric\n");                                          // dropped: empty text
        Path export = dir.resolve("export.csv");
        Files.writeString(export, csv);
        Path data = dir.resolve("mydata");
        String imported = CliRun.ok("import", "--csv", export.toString(), "--text-column", "report", "--label-column", "dx",
                "--labels", "gastric,colonic,other", "--out", data.toString());
        assertTrue(imported.contains("Imported 120 texts of 121 rows"), imported);
        assertTrue(imported.contains("empty text"), imported);
        assertEquals(List.of("gastric", "colonic", "other"), LabelNames.read(data.resolve("labels.txt")));

        Path runs = dir.resolve("runs");
        String[] base = {"prepare-run", "--data-dir", data.toString(), "--preset", "smoke", "--seeds", "1,2",
                "--runs-dir", runs.toString()};
        Path a = Path.of(CliRun.ok(base).strip());
        assertEquals(a, Path.of(CliRun.ok(base).strip()), "the same settings: the same run, resumed");
        String[] changed = Stream.concat(Arrays.stream(base),
                Stream.of("--set", "training.maxlen=32")).toArray(String[]::new);
        Path b = Path.of(CliRun.ok(changed).strip());
        assertNotEquals(a, b, "one setting changed: a new run");
        assertTrue(Files.exists(a.resolve(".notebooks/03-train.ipynb")), "parameterised notebooks written");

        Path root = Path.of("").toAbsolutePath();
        for (Path run : List.of(a, b)) {
            Run p = Run.of(root, RunFolder.read(run));
            assertEquals(List.of("gastric", "colonic", "other"), p.labels(), "names from labels.txt");
            var corpus = p.corpus();
            SplitFiles.write(p.split(p.deduplicate(corpus)), p.splitDir(), corpus);
            Trainer.fitAll(p.modelSetups(p.readSplit()));
            assertEquals(List.of(1L, 2L), p.trainedSeeds());
        }
        String compared = CliRun.ok("compare", a.toString(), b.toString(), "--figure", dir.resolve("cmp").toString());
        assertTrue(compared.contains("training.data.maxlen"), compared);
        assertTrue(compared.contains("McNemar"), compared);
        assertFalse(compared.contains("not paired"), "same data and split seed: the same test texts\n" + compared);
        assertTrue(Files.size(dir.resolve("cmp.png")) > 0);
        RunComparison fromNotebook = Run.of(root, RunFolder.read(a)).compareWith(List.of(b.resolve("run.json").toString()));
        assertEquals(List.of(a.getFileName().toString(), b.getFileName().toString()), fromNotebook.names());
        assertEquals(List.of(2, 2), fromNotebook.runs().stream().map(r -> r.models().size()).toList(), "both seeds");
        assertNotNull(fromNotebook.pairs().get(0).test(), "paired on the same test texts");
    }

    @Test
    void aRunOnMissingDataIsRefusedBeforeAnyFolderIsMade(@TempDir Path dir) {
        Path runs = dir.resolve("runs");
        var cli = WorkbenchCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("prepare-run", "--data-dir", dir.resolve("nothing").toString(), "--runs-dir",
                runs.toString()));
        assertTrue(err.toString().contains("neither all.txt nor train.txt"), err.toString());
        assertFalse(Files.exists(runs), "no run folder left behind");
    }
}
