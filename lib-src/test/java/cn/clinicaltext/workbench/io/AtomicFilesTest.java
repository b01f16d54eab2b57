package cn.clinicaltext.workbench.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @Test
    void replacesTheFileWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/report.json");
        AtomicFiles.writeString(file, "first");
        AtomicFiles.writeString(file, "second");
        assertEquals("second", Files.readString(file));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("split.txt");
        AtomicFiles.writeString(file, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void filesGetTheUmasksModeNotOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        AtomicFiles.writeString(file, "{}");
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file),
                "the same mode as any file this process creates (0644 with the usual umask 022)");
    }

    @Test
    void longNamesDirectoriesAndStaleTemporaries(@TempDir Path dir) throws Exception {
        String longName = "长".repeat(80) + ".json";                  // 240 bytes: a temporary name must stay under 255
        AtomicFiles.writeString(dir.resolve(longName), "ok");
        assertEquals("ok", Files.readString(dir.resolve(longName)));

        Files.createDirectories(dir.resolve("val.txt"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("val.txt"), "x"));
        assertTrue(e.getMessage().contains("val.txt") && e.getMessage().contains("directory"), e.getMessage());

        // a temporary left by a killed process (a pid that is not running) goes at the next write of that file
        long deadPid = ProcessHandle.current().pid() + 1_000_000;
        Path stale = dir.resolve(".split.json." + deadPid + ".abc.tmp");
        Files.writeString(stale, "half");
        Path foreign = dir.resolve(".other.json." + deadPid + ".abc.tmp");
        Files.writeString(foreign, "half");
        AtomicFiles.writeString(dir.resolve("split.json"), "{}");
        assertFalse(Files.exists(stale), "stale temporary of the same file removed");
        assertTrue(Files.exists(foreign), "other files' temporaries are left to their own writes");
    }
}
