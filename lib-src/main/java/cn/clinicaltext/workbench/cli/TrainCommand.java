package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.train.Provenance;
import cn.clinicaltext.workbench.train.Trainer;
import cn.clinicaltext.workbench.train.TrainingConfig;
import cn.clinicaltext.workbench.train.TrainingResult;
import cn.clinicaltext.workbench.train.TrainingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the ALBERT classifier on DIR/train.txt and val.txt (and test.txt if present), printing"
                + " one line per epoch; an interrupted run resumes when started again with the same --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "folder with train.txt, val.txt (test.txt optional)")
    Path dataDir;

    @Option(names = "--num-classes", defaultValue = "3", description = "labels are 0..N-1 (default ${DEFAULT-VALUE})")
    int numClasses;

    @Option(names = "--pretrained", defaultValue = "albert_tiny_google_zh",
            description = "folder of the pretrained checkpoint (default ${DEFAULT-VALUE}); random start if empty")
    Path pretrained;

    @Option(names = "--out", defaultValue = "weights/albert-tiny", description = "run folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--epochs", defaultValue = "200", description = "epoch cap (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--maxlen", defaultValue = "200", description = "max tokens per text (default ${DEFAULT-VALUE})")
    int maxlen;

    @Option(names = "--fgm", defaultValue = "0", description = "FGM epsilon, 0 = off (original option: 0.5)")
    float fgm;

    @Option(names = "--gradient-penalty", defaultValue = "0", description = "gradient penalty epsilon, 0 = off (original option: 1)")
    float gradientPenalty;

    @Option(names = "--tiny", description = "a tiny model instead of ALBERT-tiny (for quick checks, no pretrained weights)")
    boolean tiny;

    @Override
    public Integer call() throws Exception {
        Path test = dataDir.resolve("test.txt");
        DataSplit split;
        if (Files.exists(test)) {
            split = SplitFiles.read(dataDir, numClasses);
        } else {
            var train = cn.clinicaltext.workbench.data.CorpusReader.read(dataDir.resolve("train.txt"), numClasses);
            var val = cn.clinicaltext.workbench.data.CorpusReader.read(dataDir.resolve("val.txt"), numClasses);
            split = new DataSplit(train, val, train.withRecords(java.util.List.of()), -1,
                    cn.clinicaltext.workbench.data.SplitRatios.DEFAULT);
        }
        TrainingConfig config = TrainingConfig.ORIGINAL.withSeed(seed).withEpochs(epochs).withBatchSize(batchSize)
                .withMaxlen(maxlen).withFgm(fgm).withGradientPenalty(gradientPenalty);
        Map<String, Object> data = Provenance.splitFiles(dataDir);
        AlbertConfig model = tiny ? new AlbertConfig(21128, 32, 32, 2, 2, 64, 512, 2, "gelu", 1e-12f, 0.02f, 0f, 0f) : null;
        TrainingSetup setup = new TrainingSetup(out, split, LabelNames.namesFor(numClasses), tiny ? null : pretrained,
                model, config, data, Path.of("").toAbsolutePath());
        TrainingResult result = Trainer.fit(setup);
        System.out.println(result);
        return 0;
    }
}
