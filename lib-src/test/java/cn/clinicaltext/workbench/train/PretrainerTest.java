package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.SyntheticCorpusConfig;
import cn.clinicaltext.workbench.data.SyntheticCorpusGenerator;
import cn.clinicaltext.workbench.data.UnlabeledCorpus;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.testing.WorkbenchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Masked-LM pretraining end to end: it learns, its output is a pretrained folder that fine-tuning reads, it
 * continues from its own output, and a pretraining process killed with SIGKILL and started again ends with exactly
 * the weights of an uninterrupted run.
 */
class PretrainerTest {
    /** The seed of every run here (the presets' first). */
    private static final long SEED = 42;

    private static final int STEPS = 60;

    private static Path corpusFile(Path dir) throws Exception {
        var corpus = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(400)).corpus();
        Path file = dir.resolve("texts.txt");
        Files.write(file, corpus.texts());
        return file;
    }

    private static PretrainingConfig quick() {
        return PretrainingConfig.DEFAULT.with("steps", STEPS, "maxlen", 48, "batchSize", 16, "saveEvery", 20,
                "learningRate", LearningRatePlan.warmupDecay(2e-3f, 0.1, 1.0, 0f));
    }

    @Test
    void learnsAndItsOutputFineTunesAndContinues(@TempDir Path dir) throws Exception {
        UnlabeledCorpus corpus = UnlabeledCorpus.read(List.of(corpusFile(dir)));
        Path out = dir.resolve("pretrained");
        var result = Pretrainer.run(new PretrainSetup(out, corpus, null, AlbertConfig.TINY, quick(), dir));
        List<PretrainHistory.Row> rows = result.history().rows();
        assertEquals(STEPS / 20, rows.size());
        // 60 steps on 400 synthetic texts: training loss falls by about 0.6 and validation loss by about 0.15
        // (measured with the class-neutral openings); learnsFromContext checks learning beyond token frequencies
        assertTrue(rows.get(rows.size() - 1).trainLoss() < rows.get(0).trainLoss() - 0.3, "training MLM loss falls: " + rows);
        assertTrue(rows.get(rows.size() - 1).valLoss() < rows.get(0).valLoss() - 0.1,
                "validation MLM loss falls: " + rows);
        assertTrue(AlbertCheckpoint.isPretrainedDir(out));
        assertEquals(rows.size(), PretrainHistory.readCsv(out.resolve("history.csv")).size(), "history.csv holds every row");

        // fine-tuning reads it: encoder loaded, classifier initialised, masked-LM head ignored
        var labelled = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(200)).corpus();
        DataSplit split = DataSplit.stratified(Deduplication.of(labelled).kept(), SplitRatios.DEFAULT, 1);
        TrainingConfig tc = TrainingConfig.SCRATCH.with("loop.maxEpochs", 1, "data.maxlen", 48, "data.batchSize", 16);
        var trained = Trainer.fit(new TrainingSetup(dir.resolve("run"), split, LabelNames.namesFor(3), PretrainedStart.of(out), null, tc,
                SEED, Map.of(), dir));
        assertTrue(trained.weightsOrigin().startsWith("pretrained: loaded"), trained.weightsOrigin());
        assertTrue(trained.weightsOrigin().contains("cls/predictions/output_bias"), "the MLM head is listed as ignored");
        PretrainHistory.Row last = rows.get(rows.size() - 1);
        assertTrue(trained.weightsOrigin().contains(String.format(Locale.ROOT,
                "stopped after step %d (%.1f passes over its corpus), held-out masked-token accuracy %.3f", last.step(),
                last.epoch(), last.valAccuracy())), "the origin says where the pretraining stopped: " + trained.weightsOrigin());
        assertNull(PretrainHistory.describe(dir), "no pretraining history, no description");
        Files.writeString(dir.resolve("history.csv"), "epoch,loss\n1,0.5\n");
        assertNull(PretrainHistory.describe(dir), "a history of another kind is not taken for a pretraining's");

        // and pretraining continues from it with its masked-LM head
        var more = Pretrainer.run(new PretrainSetup(dir.resolve("more"), corpus, PretrainedStart.of(out), null,
                quick().with("steps", 20), dir));
        assertTrue(more.origin().startsWith("continued from loaded"), more.origin());
        assertFalse(more.origin().contains("initialised"), "head and encoder all loaded: " + more.origin());
    }

    /**
     * Task-agnostic distillation: a student learns a teacher's final hidden states (here the teacher is a tiny
     * masked-LM pretraining of the same corpus), its word embeddings start from the teacher's principal components,
     * and its folder is a start that fine-tuning reads, without the projection.
     */
    @Test
    void distilledStudentLearnsTheTeachersStatesAndIsAStart(@TempDir Path dir) throws Exception {
        UnlabeledCorpus corpus = UnlabeledCorpus.read(List.of(corpusFile(dir)));
        Path teacher = dir.resolve("teacher");
        Pretrainer.run(new PretrainSetup(teacher, corpus, null, AlbertConfig.TINY, quick(), dir));
        Path out = dir.resolve("student");
        // narrower than its teacher (16 against 32), as ALBERT-tiny (312) is against bge-small-zh (512)
        AlbertConfig narrower = new AlbertConfig(21128, 16, 16, 2, 2, 32, 512, 2, "gelu", 1e-12f, 0.02f, 0f, 0f);
        var result = Pretrainer.run(new PretrainSetup(out, corpus, null, narrower, quick(), dir,
                new PretrainSetup.HiddenStateTeacher(PretrainedStart.of(teacher), true)));
        List<PretrainHistory.Row> rows = result.history().rows();
        assertTrue(rows.get(rows.size() - 1).valLoss() < 0.8 * rows.get(0).valLoss(),
                "the held-out distillation loss falls: " + rows);
        assertTrue(result.origin().contains("principal components"), result.origin());
        String provenance = Files.readString(out.resolve("provenance.json"));
        assertTrue(provenance.contains("task-agnostic distillation") && provenance.contains("teacher"), provenance);
        assertTrue(AlbertCheckpoint.isPretrainedDir(out));
        assertEquals(Files.readString(teacher.resolve("vocab.txt")), Files.readString(out.resolve("vocab.txt")),
                "the student reads the teacher's vocabulary");
        assertTrue(PretrainHistory.readCsv(out.resolve("history.csv")).distilled(),
                "the history says it holds cosines");
        assertTrue(PretrainHistory.describe(out).startsWith("task-agnostic distillation stopped after step")
                && PretrainHistory.describe(out).contains("cosine to the teacher"), PretrainHistory.describe(out));
        assertFalse(PretrainHistory.describe(teacher).contains("distillation"), "a masked-LM history stays one");

        var labelled = SyntheticCorpusGenerator.generate(SyntheticCorpusConfig.DEFAULT.withSize(200)).corpus();
        DataSplit split = DataSplit.stratified(Deduplication.of(labelled).kept(), SplitRatios.DEFAULT, 1);
        TrainingConfig tc = TrainingConfig.SCRATCH.with("loop.maxEpochs", 1, "data.maxlen", 48, "data.batchSize", 16);
        var trained = Trainer.fit(new TrainingSetup(dir.resolve("run"), split, LabelNames.namesFor(3),
                PretrainedStart.of(out), null, tc, SEED, Map.of(), dir));
        assertTrue(trained.weightsOrigin().startsWith("pretrained: loaded"), trained.weightsOrigin());
        assertFalse(trained.weightsOrigin().contains("distil/projection"), "the projection is not saved: "
                + trained.weightsOrigin());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new PretrainSetup(out,
                corpus, PretrainedStart.of(teacher), null, quick(), dir,
                new PretrainSetup.HiddenStateTeacher(PretrainedStart.of(teacher), false)));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    /**
     * The masked-LM path learns to use context, not only token frequencies: texts are runs of 10 consecutive
     * symbols of a fixed order, so a masked symbol is fixed by its neighbours while its frequency says about 1 in 10.
     * (From scratch, the loss first sits at that frequency plateau for a few hundred steps.)
     */
    @Test
    void learnsFromContext(@TempDir Path dir) throws Exception {
        String symbols = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉";
        Random random = new Random(1);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int start = random.nextInt(10);
            texts.add(symbols.substring(start, start + 10));
        }
        Path file = dir.resolve("runs.txt");
        Files.write(file, texts);
        PretrainingConfig config = PretrainingConfig.DEFAULT.with("steps", 900, "saveEvery", 300, "maxlen", 32,
                "batchSize", 32, "dropout", 0f, "learningRate", LearningRatePlan.warmupDecay(2e-3f, 0.06, 1.0, 0f));
        var result = Pretrainer.run(new PretrainSetup(dir.resolve("out"), UnlabeledCorpus.read(List.of(file)), null,
                AlbertConfig.TINY, config, dir));
        PretrainHistory.Row last = result.history().rows().get(result.history().size() - 1);
        assertTrue(last.trainAccuracy() > 0.6, "masked symbols predicted from their neighbours: " + result.history().rows());
    }

    @Test
    void killedAndResumedPretrainingEqualsUninterrupted(@TempDir Path dir) throws Exception {
        Path corpus = corpusFile(dir);
        Path straight = dir.resolve("straight");
        assertEquals(0, pretrain(dir, corpus, straight).waitFor(), "uninterrupted run");
        Path resumed = dir.resolve("resumed");
        Process first = pretrain(dir, corpus, resumed);
        Thread.sleep(300);
        first.destroyForcibly().waitFor();
        for (int step : new int[]{20, 40}) {
            Process p = pretrain(dir, corpus, resumed);
            waitForStep(resumed, step, p);
            p.destroyForcibly().waitFor();
        }
        assertEquals(0, pretrain(dir, corpus, resumed).waitFor(), "resumed run finishes");
        assertTrue(Files.readString(dir.resolve("resumed.log")).contains("Resuming " + resumed + " at step"));
        assertArrayEquals(Files.readAllBytes(straight.resolve(AlbertCheckpoint.SAFETENSORS_NAME)),
                Files.readAllBytes(resumed.resolve(AlbertCheckpoint.SAFETENSORS_NAME)), "same weights, byte for byte");
        assertEquals(withoutSeconds(Files.readAllLines(straight.resolve("history.csv"))),
                withoutSeconds(Files.readAllLines(resumed.resolve("history.csv"))));
    }

    private static List<String> withoutSeconds(List<String> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.substring(0, r.lastIndexOf(','))));
        return out;
    }

    private static void waitForStep(Path runDir, long step, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            TrainingState.Meta<PretrainHistory.Row> meta = TrainingState.readMeta(runDir, PretrainHistory.Row.class);
            if (meta != null && meta.step() >= step) {
                return;
            }
            Thread.sleep(20);
        }
        fail("step " + step + " was not reached");
    }

    private static Process pretrain(Path work, Path corpus, Path out) throws Exception {
        return WorkbenchProcess.start(work, out.getFileName().toString(), "pretrain", "--corpus", corpus.toString(), "--out",
                out.toString(), "--tiny", "--steps", String.valueOf(STEPS), "--save-every", "20", "--maxlen", "48",
                "--batch-size", "16", "--seed", "7");
    }
}
