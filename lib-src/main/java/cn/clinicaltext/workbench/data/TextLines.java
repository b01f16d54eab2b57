package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of text (UTF-8 unless told otherwise) for the commands that read texts (predict --file, tokenize, import):
 * a line not valid in the encoding is an error naming the source and line, not a silently dropped or replaced
 * character.
 */
public final class TextLines {
    private TextLines() {
    }

    /** Every line of the file (blank ones included), or every UTF-8 problem with its line. */
    public static List<String> read(Path file) throws IOException, CorpusFormatException {
        return read(file, StandardCharsets.UTF_8);
    }

    /**
     * Every line of a file in the given encoding (an export from Excel on a Chinese Windows is GB18030, which covers
     * GBK); a line that is not valid in it is an error naming the line, as for UTF-8.
     */
    public static List<String> read(Path file, Charset charset) throws IOException, CorpusFormatException {
        if (!Utf8Lines.splitsOnLineFeed(charset)) {
            throw new IllegalArgumentException("the encoding " + charset.name() + " cannot be read line by line (each"
                    + " character in it is two or four bytes); save the file as UTF-8 or GB18030");
        }
        return lines(InputFiles.readAllBytes(file, "text file"), file, charset);
    }

    /** Every line of a stream, problems reported under {@code name} (e.g. "standard input"). */
    public static List<String> read(InputStream in, String name) throws IOException, CorpusFormatException {
        return lines(in.readAllBytes(), Path.of(name), StandardCharsets.UTF_8);
    }

    private static List<String> lines(byte[] bytes, Path source, Charset charset) throws CorpusFormatException {
        List<String> lines = new ArrayList<>();
        List<CorpusProblem> problems = new ArrayList<>();
        String invalid = charset.equals(StandardCharsets.UTF_8) ? Utf8Lines.NOT_UTF8 : "not valid " + charset.name();
        Utf8Lines.forEach(bytes, charset, (lineNo, line) -> {
            if (line == null) {
                problems.add(new CorpusProblem(source, lineNo, invalid));
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
