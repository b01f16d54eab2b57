package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.DuplicatePolicy;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.SplitSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "split", mixinStandardHelpOptions = true,
        description = "Deduplicates a corpus and writes a stratified, seeded train/val/test split.")
final class SplitCommand implements Callable<Integer> {
    @Option(names = "--corpus", defaultValue = "data/all.txt", description = "corpus file (default ${DEFAULT-VALUE})")
    Path corpusFile;

    @Option(names = "--out", defaultValue = "data", description = "folder for train/val/test.txt (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", description = "split seed (default 42)")
    Long seed;

    @Option(names = "--ratios", split = ",", description = "train,val,test (default 8,1,1)")
    double[] ratios;

    @Option(names = "--duplicates", description = "texts repeated with different labels: drop-all (default), majority"
            + " or keep-first")
    DuplicatePolicy duplicates;

    @Override
    public Integer call() throws Exception {
        if (ratios != null && ratios.length != 3) {
            throw new IllegalArgumentException("--ratios needs three numbers: train,val,test");
        }
        SplitSettings d = SplitSettings.DEFAULT;
        SplitSettings settings = new SplitSettings(seed != null ? seed : d.seed(),
                ratios != null ? new SplitRatios(ratios[0], ratios[1], ratios[2]) : d.ratios(),
                duplicates != null ? duplicates : d.duplicates());
        Path dir = corpusFile.toAbsolutePath().getParent();
        Corpus corpus = CorpusReader.read(corpusFile, LabelNames.forData(dir, List.of(corpusFile)));
        Deduplication dedup = Deduplication.of(corpus, settings.duplicates());
        System.out.println(dedup);
        DataSplit split = settings.split(dedup);
        SplitFiles.write(split, out, corpus);
        System.out.println("wrote " + out.resolve("train.txt") + " (" + split.train().size() + "), val.txt ("
                + split.val().size() + "), test.txt (" + split.test().size() + "), split.json");
        return 0;
    }
}
