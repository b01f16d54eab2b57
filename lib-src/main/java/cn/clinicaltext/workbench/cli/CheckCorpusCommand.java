package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.CorpusReader;
import cn.clinicaltext.workbench.data.Deduplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
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
        for (Path file : files) {
            Corpus corpus = CorpusReader.read(file, numClasses,
                    firstError ? CorpusReader.Mode.FIRST_ERROR : CorpusReader.Mode.ALL_ERRORS);
            System.out.println(file + ": " + corpus.size() + " texts, classes " + Arrays.toString(corpus.classCounts())
                    + ", sha256 " + corpus.sha256());
            System.out.println("  " + Deduplication.of(corpus));
        }
        return 0;
    }
}
