package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of UTF-8 text for the commands that read texts (predict --file, tokenize): invalid UTF-8 is an error naming
 * the source and line, not a silently dropped or replaced character.
 */
public final class TextLines {
    private TextLines() {
    }

    /** Every line of the file (blank ones included), or every UTF-8 problem with its line. */
    public static List<String> read(Path file) throws IOException, CorpusFormatException {
        return lines(InputFiles.readAllBytes(file, "text file"), file);
    }

    /** Every line of a stream, problems reported under {@code name} (e.g. "standard input"). */
    public static List<String> read(InputStream in, String name) throws IOException, CorpusFormatException {
        return lines(in.readAllBytes(), Path.of(name));
    }

    private static List<String> lines(byte[] bytes, Path source) throws CorpusFormatException {
        List<String> lines = new ArrayList<>();
        List<CorpusProblem> problems = new ArrayList<>();
        Utf8Lines.forEach(bytes, (lineNo, line) -> {
            if (line == null) {
                problems.add(new CorpusProblem(source, lineNo, Utf8Lines.NOT_UTF8));
            } else {
                lines.add(line);
            }
            return true;
        });
        if (!problems.isEmpty()) {
            throw new CorpusFormatException(problems);
        }
        return lines;
    }
}
