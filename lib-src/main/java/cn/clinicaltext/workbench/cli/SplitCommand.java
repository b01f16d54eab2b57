package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "split", mixinStandardHelpOptions = true,
        description = "Deduplicates a corpus and writes a stratified, seeded train/val/test split.")
final class SplitCommand implements Callable<Integer> {
    @Option(names = "--corpus", defaultValue = "data/all.txt", description = "corpus file (default ${DEFAULT-VALUE})")
    Path corpusFile;

    @Option(names = "--out", defaultValue = "data", description = "folder for train/val/test.txt (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--num-classes", defaultValue = "3", description = "labels are 0..N-1 (default ${DEFAULT-VALUE})")
    int numClasses;

    @Option(names = "--seed", defaultValue = "42", description = "split seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--ratios", defaultValue = "8,1,1", split = ",", description = "train,val,test (default ${DEFAULT-VALUE})")
    double[] ratios;

    @Override
    public Integer call() throws Exception {
        if (ratios.length != 3) {
            throw new IllegalArgumentException("--ratios needs three numbers: train,val,test");
        }
        Corpus corpus = CorpusReader.read(corpusFile, numClasses);
        Deduplication dedup = Deduplication.of(corpus);
        System.out.println(dedup);
        DataSplit split = DataSplit.stratified(dedup.kept(), new SplitRatios(ratios[0], ratios[1], ratios[2]), seed);
        SplitFiles.write(split, out, corpus);
        System.out.println("wrote " + out.resolve("train.txt") + " (" + split.train().size() + "), val.txt ("
                + split.val().size() + "), test.txt (" + split.test().size() + "), split.json");
        return 0;
    }
}
