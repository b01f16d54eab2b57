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
            all.add(arguments.get(i));
        }
        if (file != null) {
            for (String line : TextLines.read(file)) {
                int tab = line.indexOf('\t');
                String text = tab >= 0 ? line.substring(0, tab) : line;
                if (!text.isBlank()) {
                    all.add(text);
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no texts: give them as arguments or with --file"
                    + (file == null ? "" : " (" + file + " holds only blank lines)"));
        }
        return all;
    }
}
