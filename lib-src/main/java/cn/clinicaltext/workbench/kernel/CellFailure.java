package cn.clinicaltext.workbench.kernel;

import java.util.List;

/**
 * A cell that did not compile, threw, or was stopped. Its traceback is plain text (no ANSI colours), so it reads
 * well in nbconvert's error output and in saved notebooks.
 */
public final class CellFailure extends Exception {
    private final String kind;
    private final List<String> traceback;

    CellFailure(String kind, String message, List<String> traceback) {
        // no Java stack trace: the kernel's own frames say nothing about the user's cell
        super(message, null, false, false);
        this.kind = kind;
        this.traceback = List.copyOf(traceback);
    }

    /**
     * The whole plain-text traceback: the protocol library puts this into the execute reply, which is what
     * nbconvert prints when a notebook fails, so the reason shows there too.
     */
    @Override
    public String getLocalizedMessage() {
        return String.join("\n", traceback);
    }

    /** What went wrong, shown as the error name: CompilationError, an exception class name, or Timeout. */
    public String kind() {
        return kind;
    }

    public List<String> traceback() {
        return traceback;
    }
}
