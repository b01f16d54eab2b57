package cn.clinicaltext.workbench.data;

import java.util.List;
import java.util.stream.Collectors;

/** A corpus file that cannot be read as {@code text<TAB>label} lines; lists every problem found. */
public final class CorpusFormatException extends Exception {
    private final List<CorpusProblem> problems;

    public CorpusFormatException(List<CorpusProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<CorpusProblem> problems() {
        return problems;
    }

    private static String describe(List<CorpusProblem> problems) {
        String head = problems.size() == 1 ? "1 problem in corpus file" : problems.size() + " problems in corpus file";
        return head + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
