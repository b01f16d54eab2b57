package cn.clinicaltext.workbench.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class FolderLockTest {
    /** A second process: takes the lock on args[0], says so, and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            FolderLock lock = FolderLock.acquire(Path.of(args[0]), "holding it for a test");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(600_000);
            lock.close();
        }
    }

    @Test
    void aSecondWriterInTheSameProcessIsRefusedUntilTheFirstCloses(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        try (FolderLock first = FolderLock.acquire(run, "training, seed 42")) {
            IOException e = assertThrows(IOException.class, () -> FolderLock.acquire(run, "training, seed 43"));
            assertTrue(e.getMessage().contains(run.toString()) && e.getMessage().contains("training, seed 42")
                    && e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        try (FolderLock again = FolderLock.acquire(run, "training, seed 43")) {
            assertTrue(Files.readString(run.resolve(FolderLock.FILE)).contains("seed 43"));
        }
        assertEquals("", Files.readString(run.resolve(FolderLock.FILE)), "emptied on release");
    }

    @Test
    void anotherLiveProcessHoldsItAndItsLockEndsWithItsKill(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), run.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", said.readLine());
            IOException e = assertThrows(IOException.class, () -> FolderLock.acquire(run, "training"));
            assertTrue(e.getMessage().contains("pid " + other.pid()) && e.getMessage().contains("holding it for a test"),
                    e.getMessage());
        } finally {
            other.destroyForcibly();                       // kill -9: no shutdown hook, the lock file stays
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.readString(run.resolve(FolderLock.FILE)).isEmpty(), "the killed holder left its note");
        try (FolderLock mine = FolderLock.acquire(run, "training after a crash")) {
            assertTrue(Files.readString(run.resolve(FolderLock.FILE)).contains("after a crash"));
        }
    }
}
