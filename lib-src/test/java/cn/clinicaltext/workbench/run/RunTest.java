package cn.clinicaltext.workbench.run;

import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.eval.StartComparison;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.train.TrainingSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RunTest {
    @Test
    void findsTheRootFromANotebookFolderAndSeparatesSmokeOutputs(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        Run normal = Run.fromEnvironment(Map.of(), root.resolve("notebooks"));
        assertEquals(root, normal.root());
        assertFalse(normal.smoke());
        assertEquals(root.resolve("figures/01-x"), normal.figure("01-x"));
        Run smoke = Run.fromEnvironment(Map.of("WORKBENCH_HOME", root.toString(), "WORKBENCH_SMOKE", "1"), Path.of("/"));
        assertTrue(smoke.smoke());
        assertTrue(smoke.figuresDir().startsWith(root.resolve("target/smoke")));
        assertTrue(smoke.splitDir().startsWith(root.resolve("target/smoke")));
    }

    @Test
    void aRunReadsItsDataFolderAndWritesOnlyIntoItsOwnFolder(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        Path data = Files.createDirectories(root.resolve("reviews"));
        Files.writeString(data.resolve("train.txt"), "好\t1\n差\t0\n很好\t1\n好\t0\n很好\t1\n");
        Files.writeString(data.resolve("val.txt"), "不错\t1\n");
        Files.writeString(data.resolve("test.txt"), "太差\t0\n");
        Files.writeString(data.resolve("labels.txt"), "negative\npositive\n");
        RunFolder run = RunFolder.open(root.resolve("runs"), RunSpec.SMOKE.with("data", Path.of("reviews")));
        Run p = Run.of(root, run);
        assertTrue(p.hasGivenSplit(), "no all.txt: the folder's own split");
        assertEquals(List.of("negative", "positive"), p.labels());
        assertEquals(7, p.corpus().size());
        DataSplit split = p.split(p.deduplicate(p.corpus()));
        assertEquals(List.of("差", "很好"), split.train().texts(), "a given split is deduplicated too: 好 has two labels");
        assertEquals(List.of("negative", "positive"), split.test().labelNames());
        assertTrue(p.splitDir().startsWith(run.dir()) && p.figuresDir().startsWith(run.dir())
                && p.weightsDir().startsWith(run.dir()), "outputs inside the run folder");
        assertEquals(List.of("太差"), p.exampleTexts(split), "no examples.txt: the first test texts");
        IllegalArgumentException reset = assertThrows(IllegalArgumentException.class, () -> Run.open(null));
        assertTrue(reset.getMessage().contains("var runSpec"), reset.getMessage());
    }

    @Test
    void aCommandsRunReadsTheFolderAsItIsAndNamesItsModelsFromOut(@TempDir Path root) throws Exception {
        Path data = Files.createDirectories(root.resolve("reviews"));
        Files.writeString(data.resolve("train.txt"), "好\t1\n差\t0\n很好\t1\n");
        Files.writeString(data.resolve("val.txt"), "不错\t1\n");
        Files.writeString(data.resolve("labels.txt"), "negative\npositive\n");
        RunSpec one = RunSpec.SMOKE.with("data", data, "seeds", List.of(7L));
        Run train = Run.forCommand(root, one, root.resolve("out/m"));
        assertEquals(List.of("negative", "positive"), train.labels(), "labels.txt beside train and val");
        DataSplit split = train.readSplit();
        assertEquals(3, split.train().size());
        assertEquals(0, split.test().size(), "no test.txt: an empty test part, not an error");
        List<TrainingSetup> setups = train.modelSetups(split);
        assertEquals(1, setups.size());
        assertEquals(root.resolve("out/m"), setups.get(0).runDir(), "one seed: the folder given");
        assertEquals(7, setups.get(0).seed(), "the seed comes from the run's seeds, its one home");
        assertEquals(data.toAbsolutePath().normalize().toString(), setups.get(0).dataProvenance().get("data_dir"),
                "the data recorded is the folder read");
        Run several = Run.forCommand(root, one.with("seeds", List.of(7L, 8L)), root.resolve("out/m"));
        assertEquals(List.of(root.resolve("out/m-seed7"), root.resolve("out/m-seed8")),
                several.modelSetups(split).stream().map(TrainingSetup::runDir).toList(), "several: OUT-seedS each");
        assertEquals(List.of(7L, 8L), several.modelSetups(split).stream().map(TrainingSetup::seed).toList());
        assertEquals(root.resolve("weights").resolve(one.resolvedName()), Run.forCommand(root, one, null).modelDir(),
                "no --out: the project's weights/ and the run's name");
    }

    @Test
    void comparisonEpochsGiveEveryStartTheSameBudgetAndReuseTheRunsOwnModels(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        RunSpec spec = RunSpec.DEFAULT.with("pretrained", "bge-small-zh-v1.5",
                "training", TrainingConfig.FINE_TUNING.with("loop.maxEpochs", 2), "comparisonEpochs", 2);
        Run p = Run.of(root, RunFolder.open(root.resolve("runs"), spec));
        List<StartComparison.Start> starts = p.comparisonStarts(root.resolve("own"));
        assertEquals(3, starts.size(), starts.toString());
        for (StartComparison.Start s : starts) {
            assertEquals(2, s.training().loop().maxEpochs(), s.name());
        }
        assertEquals(TrainingConfig.SCRATCH.learningRate(), starts.get(0).training().learningRate(),
                "a random start keeps the from-scratch optimisation");
        assertEquals(p.trainingConfig(), starts.get(2).training(), "bge's arm is the run's own models");

        Run own = Run.of(root, RunFolder.open(root.resolve("runs"), spec.with("comparisonEpochs", 0)));
        assertEquals(TrainingConfig.SCRATCH.loop().maxEpochs(), own.comparisonStarts(root.resolve("own")).get(0).training()
                .loop().maxEpochs(), "0: each start's own epoch cap");
    }

    @Test
    void saysHowToFixAMissingRoot(@TempDir Path elsewhere) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Run.fromEnvironment(Map.of(), elsewhere));
        assertTrue(e.getMessage().contains("WORKBENCH_HOME"));
    }
}
