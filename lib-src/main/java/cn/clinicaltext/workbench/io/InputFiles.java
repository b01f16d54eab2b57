package cn.clinicaltext.workbench.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading a whole input file with errors that name it and say why: absent, a directory, or not readable. */
public final class InputFiles {
    private InputFiles() {
    }

    /** @param what what the file is, for the message ("corpus file", "vocabulary", ...) */
    public static byte[] readAllBytes(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("cannot read " + file + ": it is a directory, not a " + what);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied", e);
        }
    }
}
