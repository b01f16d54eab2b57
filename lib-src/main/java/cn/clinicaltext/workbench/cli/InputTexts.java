package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.CorpusFormatException;
import cn.clinicaltext.workbench.data.TextLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The texts a command works on: its arguments, then the lines of {@code --file} (a trailing TAB and label ignored). */
final class InputTexts {
    private InputTexts() {
    }

    /**
     * @param purpose what is done to them, for messages ("classify", "explain")
     */
    static List<String> gather(List<String> arguments, Path file, String purpose)
            throws IOException, CorpusFormatException {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i).isBlank()) {
                throw new IllegalArgumentException("text " + (i + 1) + " of the arguments is empty; there is nothing to "
                        + purpose);
            }
            if (arguments.get(i).indexOf('\uFFFD') >= 0) {
                // Java decodes the command line before main runs, turning bytes that are not UTF-8 into U+FFFD; the
                // launcher refuses such bytes where they still exist, this catches a direct java call
                throw new IllegalArgumentException("text " + (i + 1) + " of the arguments holds U+FFFD, the mark of"
                        + " bytes that are not UTF-8 (a terminal or file in GBK?); give UTF-8 text, or the texts in a"
                        + " UTF-8 file with --file");
            }
            all.add(arguments.get(i));
        }
        if (file != null) {
            all.addAll(fromFile(file));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no texts: give them as arguments or with --file"
                    + (file == null ? "" : " (" + file + " holds only blank lines)"));
        }
        return all;
    }

    /** The texts of a file, one per line: blank lines skipped, a trailing TAB and label ignored. */
    static List<String> fromFile(Path file) throws IOException, CorpusFormatException {
        List<String> texts = new ArrayList<>();
        for (String line : TextLines.read(file)) {
            int tab = line.indexOf('\t');
            String text = tab >= 0 ? line.substring(0, tab) : line;
            if (!text.isBlank()) {
                texts.add(text);
            }
        }
        return texts;
    }
}
