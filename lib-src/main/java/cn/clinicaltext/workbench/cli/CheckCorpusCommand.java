package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.CorpusProblem;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.Deduplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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

    @Option(names = "--num-classes", defaultValue = "3", description = "labels are 0..N-1 (default ${DEFAULT-VALUE})")
    int numClasses;

    @Option(names = "--first-error", description = "stop at the first problem of each file")
    boolean firstError;

    @Override
    public Integer call() throws Exception {
        List<CorpusProblem> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                Corpus corpus = CorpusReader.read(file, numClasses,
                        firstError ? CorpusReader.Mode.FIRST_ERROR : CorpusReader.Mode.ALL_ERRORS);
                System.out.println(file + ": " + corpus.size() + " texts, classes " + Arrays.toString(corpus.classCounts())
                        + ", sha256 " + corpus.sha256());
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
