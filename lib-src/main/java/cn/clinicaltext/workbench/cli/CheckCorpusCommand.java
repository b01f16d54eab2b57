package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.CorpusProblem;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.Deduplication;
import cn.clinicaltext.workbench.data.LabelNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check-corpus", mixinStandardHelpOptions = true,
        description = "Checks corpus files (text<TAB>label) and lists every problem with its line.")
final class CheckCorpusCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "corpus files")
    Path[] files;

    @Option(names = "--num-classes", description = "labels are 0..N-1 (default: as many as the names in labels.txt"
            + " beside the file, else any label up to " + LabelNames.MAX_INFERRED_CLASSES + ")")
    Integer numClasses;

    @Option(names = "--first-error", description = "stop at the first problem of each file")
    boolean firstError;

    @Override
    public Integer call() throws Exception {
        List<CorpusProblem> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                Path names = file.toAbsolutePath().resolveSibling(LabelNames.FILE);
                boolean inferred = numClasses == null && !Files.exists(names);     // no class count given
                int n = numClasses != null ? numClasses
                        : inferred ? LabelNames.MAX_INFERRED_CLASSES : LabelNames.read(names).size();
                Corpus corpus = CorpusReader.read(file, n,
                        firstError ? CorpusReader.Mode.FIRST_ERROR : CorpusReader.Mode.ALL_ERRORS);
                long[] counts = corpus.classCounts();
                String classes;
                if (inferred) {
                    // the counts up to the largest label used, not one per possible label
                    int largest = Arrays.stream(corpus.labels()).max().orElse(0);
                    classes = "labels 0.." + largest + " used (no " + LabelNames.FILE + " beside it and no"
                            + " --num-classes), counts " + Arrays.toString(Arrays.copyOf(counts, largest + 1));
                } else {
                    classes = "classes " + Arrays.toString(counts);
                }
                System.out.println(file + ": " + corpus.size() + " texts, " + classes + ", sha256 " + corpus.sha256());
                System.out.println("  " + Deduplication.of(corpus));
            } catch (CorpusFormatException e) {
                problems.addAll(e.problems());
            } catch (IOException e) {
                problems.add(new CorpusProblem(file, 0, WorkbenchCli.describe(e)));
            }
        }
        if (!problems.isEmpty()) {
            throw new CorpusFormatException(problems);
        }
        return 0;
    }
}
