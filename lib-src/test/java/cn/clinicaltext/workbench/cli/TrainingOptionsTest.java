package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.DuplicatePolicy;
import cn.clinicaltext.workbench.model.ModelSize;
import cn.clinicaltext.workbench.model.Pooling;
import cn.clinicaltext.workbench.run.RunSpec;
import cn.clinicaltext.workbench.train.PretrainingConfig;
import cn.clinicaltext.workbench.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Command-line options start from a preset and change exactly the fields given. */
class TrainingOptionsTest {
    private static TrainCommand train(String... args) {
        TrainCommand c = new TrainCommand();
        CommandLine cli = new CommandLine(c);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.parseArgs(args);
        return c;
    }

    @Test
    void noOptionsIsThePreset() throws Exception {
        assertEquals(RunSpec.DEFAULT.training(), train("--data-dir", "d").spec().training());
        assertEquals(TrainingConfig.FINE_TUNING, RunSpec.DEFAULT.training(), "the everyday preset fine-tunes a pretrained start");
        assertEquals(TrainingConfig.ORIGINAL, train("--data-dir", "d", "--preset", "original").spec().training());
    }

    @Test
    void eachOptionChangesItsField() throws Exception {
        RunSpec spec = train("--data-dir", "d", "--preset", "original", "--lr", "3e-4", "--warmup", "0.2",
                "--dropout", "0.2", "--attention-dropout", "0", "--weight-decay", "0.05", "--clip-norm", "2",
                "--label-smoothing", "0.1", "--class-weights", "balanced", "--monitor", "val_accuracy",
                "--pooling", "mean", "--patience", "5", "--threads", "1", "--seed", "9", "--lazy-adam").spec();
        TrainingConfig c = spec.training();
        assertEquals(List.of(9L), spec.seeds(), "--seed: one model with that seed");
        assertEquals(3e-4f, c.learningRate().peak());
        assertEquals(0.2, c.learningRate().warmup());
        assertEquals(TrainingConfig.ORIGINAL.learningRate().decayEnd(), c.learningRate().decayEnd(), "kept from the preset");
        assertEquals(0.2f, c.regularisation().hiddenDropout());
        assertEquals(0.2f, c.regularisation().classifierDropout());
        assertEquals(0f, c.regularisation().attentionDropout(), "a specific rate wins over --dropout");
        assertEquals(0.05f, c.optimiser().weightDecay());
        assertEquals(2f, c.optimiser().clipNorm());
        assertEquals(0.1f, c.regularisation().labelSmoothing());
        assertEquals(TrainingConfig.ClassWeights.BALANCED, c.regularisation().classWeights());
        assertEquals(TrainingConfig.Monitor.VAL_ACCURACY, c.loop().monitor());
        assertEquals(Pooling.MEAN, c.pooling());
        assertEquals(5, c.loop().patience());
        assertEquals(1, c.loop().threads());
        assertTrue(c.optimiser().lazyAdam());
        assertFalse(TrainingConfig.SCRATCH.optimiser().lazyAdam(), "plain Adam unless asked");
        assertEquals(TrainingConfig.ORIGINAL.data().maxlen(), c.data().maxlen(), "kept from the preset");
    }

    @Test
    void runSettingsComeFromTheSpecAndItsOverrides() throws Exception {
        RunSpec spec = train("--data-dir", "d", "--set", "training.maxlen=64", "--set", "split.duplicates=majority",
                "--tiny", "--seeds", "5,6").spec();
        assertEquals(64, spec.training().data().maxlen());
        assertEquals(DuplicatePolicy.MAJORITY, spec.split().duplicates());
        assertEquals(ModelSize.TINY, spec.model());
        assertNull(spec.pretrained(), "--tiny starts at random");
        assertEquals(List.of(5L, 6L), spec.seeds());
        assertNull(train("--data-dir", "d", "--pretrained", "none").spec().pretrained());
        assertEquals(RunSpec.DEFAULT.pretrained(), train("--data-dir", "d").spec().pretrained());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train("--data-dir", "d", "--set", "training.lr=1").spec());
        assertTrue(e.getMessage().contains("training.lr"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train("--data-dir", "d", "--dropout", "1.5").spec().training());
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }

    @Test
    void pretrainOptions() {
        PretrainCommand c = new PretrainCommand();
        new CommandLine(c).parseArgs("--corpus", "a.txt", "--corpus", "b.txt", "--out", "o", "--steps", "300",
                "--whole-word", "--mask-rate", "0.2");
        PretrainingConfig p = c.config();
        assertEquals(2, c.options.corpus.size());
        assertEquals(300, p.steps());
        assertTrue(p.wholeWord());
        assertEquals(0.2f, p.maskRate());
        assertEquals(PretrainingConfig.DEFAULT.maxlen(), p.maxlen());
        DistilPretrainCommand d = new DistilPretrainCommand();
        new CommandLine(d).parseArgs("--corpus", "a.txt", "--out", "o", "--teacher", "bge-small-zh-v1.5",
                "--steps", "300");
        assertEquals(300L, d.options.settings().get("steps"), "the shared options, one parser");
        assertTrue(d.pcaEmbeddings, "the teacher's embeddings unless --no-pca-embeddings");
        new CommandLine(d = new DistilPretrainCommand()).parseArgs("--corpus", "a.txt", "--out", "o", "--teacher",
                "bge-small-zh-v1.5", "--no-pca-embeddings");
        assertFalse(d.pcaEmbeddings);
    }

    @Test
    void optionHelpTakesDefaultsFromThePresetsAndStatesNoneAsText() {
        CommandLine cli = WorkbenchCli.commandLine();
        String trainHelp = cli.getSubcommands().get("train").getUsageMessage();
        assertNull(TrainingConfig.FINE_TUNING.loop().maxEpochs(), "the everyday preset's epochs follow the data");
        assertTrue(trainHelp.replaceAll("\\s+", " ").contains("presets: follows the data, see --min-steps"
                + " (default); " + TrainingConfig.ORIGINAL.loop().maxEpochs() + " (original); "
                + TrainingConfig.SCRATCH.loop().maxEpochs() + " (scratch)"), "--epochs names each preset's value: " + trainHelp);
        assertTrue(cli.getSubcommands().get("explain").getUsageMessage().replaceAll("\\s+", " ")
                .contains("presets: pad (default); zero (original)"));
        for (CommandLine.Model.OptionSpec o : cli.getSubcommands().get("train").getCommandSpec().options()) {
            if (o.descriptionKey() != null && o.descriptionKey().startsWith("training.")) {
                assertTrue(String.join(" ", o.description()).matches("(?s).*\\((presets|every preset): .*\\)"),
                        o.longestName() + " names a setting of the presets: " + o.descriptionKey());
            }
        }
        // no option of any command writes a default as a number of its own (picocli's ${DEFAULT-VALUE} reads the
        // option's one default; preset values are appended by PresetHelp from the presets)
        List<String> restated = new ArrayList<>();
        for (CommandLine sub : cli.getSubcommands().values()) {
            for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
                String own = String.join(" ", o.description()).replaceAll("\\((presets|every preset|default) [^)]*\\)$", "");
                if (own.matches("(?s).*\\bdefault:? ?[0-9].*")) {
                    restated.add(sub.getCommandName() + " " + o.longestName() + ": " + own);
                }
            }
        }
        assertEquals(List.of(), restated);
    }
}
