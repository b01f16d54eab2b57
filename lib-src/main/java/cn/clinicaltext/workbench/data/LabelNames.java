package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Names of the classes. A data folder may hold {@value #FILE} beside its corpus: one name per line, line k naming
 * label k (UTF-8; a byte-order mark and CRLF are accepted). Without it the classes are "class 0".."class N-1",
 * N inferred from the highest label in the corpus files.
 */
public final class LabelNames {
    public static final String FILE = "labels.txt";
    /** The classes of this project's own task (the shipped corpus's labels.txt). */
    public static final List<String> DIGESTIVE_TRACT = List.of("neither", "upper GI", "lower GI");
    /** Highest number of classes inferred from labels alone; more need a labels.txt. */
    public static final int MAX_INFERRED_CLASSES = 1000;

    private LabelNames() {
    }

    /** "class 0".."class N-1". */
    public static List<String> namesFor(int numClasses) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            names.add("class " + i);
        }
        return names;
    }

    /** Reads a labels file: every line a distinct, non-empty name. */
    public static List<String> read(Path file) throws IOException, CorpusFormatException {
        byte[] bytes = InputFiles.readAllBytes(file, "label names file");
        List<String> names = new ArrayList<>();
        List<CorpusProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Utf8Lines.forEach(bytes, (lineNo, line) -> {
            if (line == null) {
                problems.add(new CorpusProblem(file, lineNo, Utf8Lines.NOT_UTF8));
            } else if (line.isBlank()) {
                problems.add(new CorpusProblem(file, lineNo, "empty name: line k names label k-1, so no line may be"
                        + " empty (delete trailing empty lines)"));
            } else if (!seen.add(line.strip())) {
                problems.add(new CorpusProblem(file, lineNo, "the name '" + line.strip() + "' is given twice"));
            } else {
                names.add(line.strip());
            }
            return true;
        });
        // a final newline gives no extra line; only an empty line in the middle or at the end is a problem
        if (names.isEmpty() && problems.isEmpty()) {
            problems.add(new CorpusProblem(file, 0, "empty file: one class name per line expected"));
        }
        if (!problems.isEmpty()) {
            throw new CorpusFormatException(problems);
        }
        return List.copyOf(names);
    }

    /**
     * The names for a data folder: its {@value #FILE} when present (checked against the labels of the files),
     * else "class k" for every label up to the highest one found in the files.
     */
    public static List<String> forData(Path dir, List<Path> corpusFiles) throws IOException, CorpusFormatException {
        Path file = dir.resolve(FILE);
        int highest = -1;
        for (Path f : corpusFiles) {
            Corpus c = CorpusReader.read(f, MAX_INFERRED_CLASSES);
            for (LabeledText r : c.records()) {
                highest = Math.max(highest, r.label());
            }
        }
        if (Files.exists(file)) {
            List<String> names = read(file);
            if (highest >= names.size()) {
                throw new CorpusFormatException(List.of(new CorpusProblem(file, 0, names.size() + " names, but the"
                        + " corpus has label " + highest + "; add a line per class (line k names label k-1)")));
            }
            return names;
        }
        return namesFor(highest + 1);
    }
}
