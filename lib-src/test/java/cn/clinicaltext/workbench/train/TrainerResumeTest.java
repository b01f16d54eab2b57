package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.SyntheticCorpusConfig;
import cn.clinicaltext.workbench.data.SyntheticCorpusGenerator;
import cn.clinicaltext.workbench.testing.WorkbenchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A training process killed with SIGKILL at several points and started again ends with exactly the weights and
 * history of a run that was never interrupted.
 */
class TrainerResumeTest {
    private static final int EPOCHS = 5;

    @Test
    void killedAndResumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        var corpus = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(600)).corpus();
        SplitFiles.write(DataSplit.stratified(Deduplication.of(corpus).kept(), SplitRatios.DEFAULT, 1), data, corpus);

        Path straight = dir.resolve("straight");
        assertEquals(0, train(dir, data, straight).waitFor(), "uninterrupted run");

        Path resumed = dir.resolve("resumed");
        Process first = train(dir, data, resumed);
        Thread.sleep(300);
        first.destroyForcibly().waitFor();                       // killed early, maybe before any epoch ended
        for (int epoch : new int[]{1, 3}) {
            Process p = train(dir, data, resumed);
            waitForEpoch(resumed, epoch, p);
            p.destroyForcibly().waitFor();                       // SIGKILL right after an epoch's state was saved
        }
        TrainingState.Meta<EpochStats> beforeLast = TrainingState.readMeta(resumed, EpochStats.class);
        assertTrue(beforeLast.points() < EPOCHS, "the kills must leave an unfinished run, got epoch " + beforeLast.points());
        Process last = train(dir, data, resumed);
        assertEquals(0, last.waitFor(), "resumed run finishes");
        String log = Files.readString(dir.resolve("resumed.log"));
        assertTrue(log.contains("Resuming " + resumed + " after epoch " + beforeLast.points()), log);

        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")), "same best weights");
        List<String> a = withoutSeconds(Files.readAllLines(straight.resolve("history.csv")));
        List<String> b = withoutSeconds(Files.readAllLines(resumed.resolve("history.csv")));
        assertEquals(a, b, "same history");
        assertEquals(EPOCHS + 1, a.size());
    }

    private static List<String> withoutSeconds(List<String> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.substring(0, r.lastIndexOf(','))));
        return out;
    }

    private static void waitForEpoch(Path runDir, int epoch, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            TrainingState.Meta<EpochStats> meta = TrainingState.readMeta(runDir, EpochStats.class);
            if (meta != null && meta.points() >= epoch) {
                return;
            }
            Thread.sleep(20);
        }
        fail("epoch " + epoch + " was not reached");
    }

    private static Process train(Path work, Path data, Path out) throws Exception {
        return WorkbenchProcess.start(work, out.getFileName().toString(), "train", "--data-dir", data.toString(), "--out",
                out.toString(), "--tiny", "--epochs", String.valueOf(EPOCHS), "--batch-size", "16", "--maxlen", "48",
                "--seed", "7", "--patience", "10");
    }
}
