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
        long files = problems.stream().map(CorpusProblem::file).distinct().count();
        String what = files == 1 ? " in " + problems.get(0).file() : " in " + files + " files";
        String head = (problems.size() == 1 ? "1 problem" : problems.size() + " problems") + what;
        return head + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
