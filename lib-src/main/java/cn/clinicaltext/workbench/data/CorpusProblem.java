package cn.clinicaltext.workbench.data;

import java.nio.file.Path;

/** A defect in a corpus file, located by file and 1-based line number (0 for the file as a whole). */
public record CorpusProblem(Path file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
