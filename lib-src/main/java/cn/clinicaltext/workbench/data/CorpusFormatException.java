package cn.clinicaltext.workbench.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A corpus file that cannot be read as {@code text<TAB>label} lines; lists every problem found. */
public final class CorpusFormatException extends Exception {
    private final List<CorpusProblem> problems;

    public CorpusFormatException(List<CorpusProblem> problems) {
        this(problems, null);
    }

    /** @param advice said once after the list (what to do about every problem in it); null: none */
    public CorpusFormatException(List<CorpusProblem> problems, String advice) {
        super(describe(problems) + (advice == null ? "" : "\n" + advice));
        this.problems = List.copyOf(problems);
    }

    public List<CorpusProblem> problems() {
        return problems;
    }

    /** Problems shown per distinct message and file; the rest are counted (a wrong class count fails every line). */
    static final int SHOWN_PER_PROBLEM = 3;

    private static String describe(List<CorpusProblem> problems) {
        long files = problems.stream().map(CorpusProblem::file).distinct().count();
        String what = files == 1 ? " in " + problems.get(0).file() : " in " + files + " files";
        String head = (problems.size() == 1 ? "1 problem" : problems.size() + " problems") + what;
        Map<String, List<CorpusProblem>> same = new LinkedHashMap<>();
        for (CorpusProblem p : problems) {
            same.computeIfAbsent(p.file() + "\n" + p.message(), k -> new ArrayList<>()).add(p);
        }
        List<String> lines = new ArrayList<>();
        for (List<CorpusProblem> group : same.values()) {
            group.stream().limit(SHOWN_PER_PROBLEM).forEach(p -> lines.add("  " + p));
            if (group.size() > SHOWN_PER_PROBLEM) {
                lines.add("  ... and " + (group.size() - SHOWN_PER_PROBLEM) + " more lines of " + group.get(0).file()
                        + " with the same problem");
            }
        }
        return head + ":\n" + String.join("\n", lines);
    }
}
