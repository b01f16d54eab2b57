package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabelNames;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.train.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A data folder as train and distil read it: train.txt and val.txt (and test.txt when present, checked as a split),
 * the class names from the run's labels, else labels.txt, else "class k"; and what the data is, for provenance.
 */
record DataFolder(List<String> labels, DataSplit split, Map<String, Object> provenance) {
    static DataFolder read(Path dir, List<String> givenLabels) throws IOException, CorpusFormatException {
        Path test = dir.resolve("test.txt");
        List<Path> files = new ArrayList<>(List.of(dir.resolve("train.txt"), dir.resolve("val.txt")));
        if (Files.exists(test)) {
            files.add(test);
        }
        List<String> labels = givenLabels.isEmpty() ? LabelNames.forData(dir, files) : givenLabels;
        DataSplit split;
        if (Files.exists(test)) {
            split = SplitFiles.read(dir, labels);
        } else {
            var train = CorpusReader.read(files.get(0), labels);
            var val = CorpusReader.read(files.get(1), labels);
            split = new DataSplit(train, val, train.withRecords(List.of()), DataSplit.NO_SEED, SplitRatios.DEFAULT);
        }
        return new DataFolder(labels, split, Provenance.splitFiles(dir));
    }
}
