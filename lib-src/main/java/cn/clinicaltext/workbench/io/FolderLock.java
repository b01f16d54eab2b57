package cn.clinicaltext.workbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per folder: a run or model folder is written by one process at a time. The lock is the operating
 * system's lock on a file {@value #FILE} in the folder (fcntl on Linux), so it ends with its process however that
 * ends, kill -9 included: a lock left by a dead process is no lock, with no pid guessing. While held, the file
 * names the holder (pid, start time, what it does) for the message a second writer gets. The file itself stays
 * (emptied on release): deleting a lock file races with a process that has just opened it.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name. */
    public static final String FILE = ".lock";

    /**
     * Folders this JVM holds, with what it does there. Checked before a second channel is opened on a held lock file:
     * on Linux, closing any descriptor of a file drops every fcntl lock the process holds on it, so a refused second
     * writer in the same JVM (a notebook kernel) must not open and close one.
     */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (made if absent) for this process. {@code purpose} says what the holder does ("training,
     * seed 42"), for the message another writer gets.
     *
     * @throws IOException naming the folder and the holder when another process (or this one) holds it
     */
    public static FolderLock acquire(Path dir, String purpose) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        ProcessHandle self = ProcessHandle.current();
        String mine = "pid " + self.pid() + ", " + purpose + ", since "
                + self.info().startInstant().map(Instant::toString).orElse(Instant.now().toString());
        String held = HELD.putIfAbsent(key, mine);
        if (held != null) {
            throw busy(dir, held);
        }
        Path file = key.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                throw busy(dir, holder.isEmpty() ? "it has not said which" : holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(mine.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new FolderLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    private static IOException busy(Path dir, String holder) {
        return new IOException(dir + " is being written by another process (" + holder + "); wait for it to finish,"
                + " or choose another output folder");
    }

    /** Empties the lock file and releases the lock (closing the channel releases it in any case). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                channel.truncate(0);
            }
        } finally {
            channel.close();
            HELD.remove(key);
        }
    }
}
