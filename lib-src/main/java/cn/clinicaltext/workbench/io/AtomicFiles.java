package cn.clinicaltext.workbench.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the same folder
 * ({@code .<name>.<pid>.<random>.tmp}, created with the process's umask like any other file, so 0644 typically),
 * is flushed to disk, renamed over the target in one step, and the folder is flushed so the rename survives a
 * crash. A file system that cannot rename atomically is an error, not a silent copy. Temporary files left by a
 * killed process (its pid no longer alive) are removed the next time the same target is written.
 */
public final class AtomicFiles {
    /** Bytes of the target's name kept in the temporary name, so that it stays under the usual 255-byte limit. */
    private static final int NAME_BYTES = 160;

    /**
     * Fault-injection seam for tests: called with the target before each rename; throwing there simulates a crash
     * between writing a file and putting it in place. Null (the default) in normal use.
     */
    public static volatile RenameHook beforeRename;

    /** See {@link #beforeRename}. */
    @FunctionalInterface
    public interface RenameHook {
        void check(Path target) throws IOException;
    }

    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path tmp = temporaryFor(target, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            } catch (FileSystemException e) {
                throw describe(e, target);
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks, before the work that produces it, that {@code target} can be written here: it is not a folder, and the
     * nearest existing folder above it is a folder this process may write in (missing folders below it are made
     * when the file is written). A command calls it first, so a typo in an output path costs nothing.
     */
    public static void checkWritable(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a folder; give a file name");
        }
        checkFolderWritable(target.toAbsolutePath().getParent(), target);
    }

    /** As {@link #checkWritable} for an output folder: the folder, or where it would be made, can be written. */
    public static void checkWritableFolder(Path folder) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IOException("cannot write into " + folder + ": it is a file, not a folder");
        }
        checkFolderWritable(folder.toAbsolutePath(), folder);
    }

    private static void checkFolderWritable(Path dir, Path target) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("cannot write " + target + ": none of the folders above it exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new IOException("cannot write " + target + ": " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new IOException("cannot write " + target + ": permission denied in " + existing);
        }
    }

    /**
     * A new empty temporary file beside {@code target} whose name ends in {@code suffix} (for writers that add an
     * extension themselves), created with the umask's permissions; stale temporaries of the same target are removed.
     */
    public static Path temporaryFor(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw describe(e, target);
        }
        String prefix = "." + shortName(target.getFileName().toString()) + ".";
        removeStale(dir, prefix, suffix);
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(prefix + pid + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + suffix);
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            } catch (FileSystemException e) {
                throw describe(e, target);
            }
        }
    }

    /** Renames a finished temporary file (made by the caller in the target's folder) over the target, atomically. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        RenameHook hook = beforeRename;
        if (hook != null) {
            hook.check(target);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot write " + target + " safely: its file system cannot replace a file in one"
                    + " step (atomic rename); write to a local disk instead", e);
        } catch (FileSystemException e) {
            throw describe(e, target);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Flushes a folder's entries (the rename) to disk; file systems that cannot open a folder skip it. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms (Windows) cannot open a directory; the rename itself is still atomic there
        }
    }

    /** A message naming the file and the reason, for the errors a user can do something about. */
    static IOException describe(FileSystemException e, Path target) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        String where = e.getFile() != null && !e.getFile().equals(target.toString())
                && !Path.of(e.getFile()).getFileName().toString().startsWith(".") ? " (" + e.getFile() + ")" : "";
        return new IOException("cannot write " + target + ": " + reason + where, e);
    }

    private static String shortName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= NAME_BYTES) {
            return name;
        }
        int cut = 0;
        int used = 0;
        while (cut < name.length()) {
            int cp = name.codePointAt(cut);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > NAME_BYTES) {
                break;
            }
            used += len;
            cut += Character.charCount(cp);
        }
        return name.substring(0, cut);
    }

    /** Deletes {@code prefix<pid>.<random><suffix>} files whose process is gone (a kill during a write). */
    private static void removeStale(Path dir, String prefix, String suffix) {
        try (var files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(suffix);
        })) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring(prefix.length());
                int dot = rest.indexOf('.');
                try {
                    long pid = Long.parseLong(rest.substring(0, Math.max(0, dot)));
                    if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(f);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not one of ours, or already gone
                }
            }
        } catch (IOException e) {
            // listing failed: nothing to clean, the write itself will report real problems
        }
    }
}
