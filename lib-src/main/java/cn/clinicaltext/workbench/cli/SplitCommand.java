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
import cn.clinicaltext.workbench.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    SplitOptions split;

    @Override
    public Integer call() throws Exception {
        SplitSettings settings = split.settings();
        AtomicFiles.checkWritableFolder(out);
        Path dir = corpusFile.toAbsolutePath().getParent();
        Corpus corpus = CorpusReader.read(corpusFile, LabelNames.forData(dir, List.of(corpusFile)));
        Deduplication dedup = Deduplication.of(corpus, settings.duplicates());
        System.out.println(dedup);
        DataSplit parts = settings.split(dedup);
        SplitFiles.write(parts, out, corpus);
        System.out.println("wrote " + out.resolve("train.txt") + " (" + parts.train().size() + "), val.txt ("
                + parts.val().size() + "), test.txt (" + parts.test().size() + "), split.json");
        return 0;
    }
}
