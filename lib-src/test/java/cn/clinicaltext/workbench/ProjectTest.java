package cn.clinicaltext.workbench;

import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.eval.StartComparison;
import cn.clinicaltext.workbench.run.RunFolder;
import cn.clinicaltext.workbench.run.RunSpec;
import cn.clinicaltext.workbench.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ProjectTest {
    @Test
    void findsTheRootFromANotebookFolderAndSeparatesSmokeOutputs(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        Project normal = Project.fromEnvironment(Map.of(), root.resolve("notebooks"));
        assertEquals(root, normal.root());
        assertFalse(normal.smoke());
        assertEquals(root.resolve("figures/01-x"), normal.figure("01-x"));
        Project smoke = Project.fromEnvironment(Map.of("WORKBENCH_HOME", root.toString(), "WORKBENCH_SMOKE", "1"), Path.of("/"));
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
        RunFolder run = RunFolder.open(root.resolve("runs"), RunSpec.SMOKE.toBuilder().data(Path.of("reviews")).build());
        Project p = Project.of(root, run);
        assertTrue(p.hasGivenSplit(), "no all.txt: the folder's own split");
        assertEquals(List.of("negative", "positive"), p.labels());
        assertEquals(7, p.corpus().size());
        DataSplit split = p.split(p.deduplicate(p.corpus()));
        assertEquals(List.of("差", "很好"), split.train().texts(), "a given split is deduplicated too: 好 has two labels");
        assertEquals(List.of("negative", "positive"), split.test().labelNames());
        assertTrue(p.splitDir().startsWith(run.dir()) && p.figuresDir().startsWith(run.dir())
                && p.weightsDir().startsWith(run.dir()), "outputs inside the run folder");
        assertEquals(List.of("太差"), p.exampleTexts(split), "no examples.txt: the first test texts");
        IllegalArgumentException reset = assertThrows(IllegalArgumentException.class, () -> Project.open(null));
        assertTrue(reset.getMessage().contains("var runSpec"), reset.getMessage());
    }

    @Test
    void comparisonEpochsGiveEveryStartTheSameBudgetAndReuseTheRunsOwnModels(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        RunSpec spec = RunSpec.DEFAULT.toBuilder().pretrained("bge-small-zh-v1.5")
                .training(TrainingConfig.FINE_TUNING.toBuilder().maxEpochs(2).build()).comparisonEpochs(2).build();
        Project p = Project.of(root, RunFolder.open(root.resolve("runs"), spec));
        List<StartComparison.Start> starts = p.comparisonStarts(root.resolve("own"));
        assertEquals(3, starts.size(), starts.toString());
        for (StartComparison.Start s : starts) {
            assertEquals(2, s.training().maxEpochs(), s.name());
        }
        assertEquals(TrainingConfig.DEFAULT.learningRate(), starts.get(0).training().learningRate(),
                "a random start keeps the from-scratch optimisation");
        assertEquals(p.trainingConfig(), starts.get(2).training(), "bge's arm is the run's own models");

        Project own = Project.of(root, RunFolder.open(root.resolve("runs"), spec.toBuilder().comparisonEpochs(0).build()));
        assertEquals(TrainingConfig.DEFAULT.maxEpochs(), own.comparisonStarts(root.resolve("own")).get(0).training()
                .maxEpochs(), "0: each start's own epoch cap");
    }

    @Test
    void saysHowToFixAMissingRoot(@TempDir Path elsewhere) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Project.fromEnvironment(Map.of(), elsewhere));
        assertTrue(e.getMessage().contains("WORKBENCH_HOME"));
    }
}
