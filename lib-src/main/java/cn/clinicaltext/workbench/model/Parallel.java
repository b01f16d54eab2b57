package cn.clinicaltext.workbench.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;


/**
 * Splits loops (element-wise kernels, the row blocks of matrix products, attention heads) over a small team of
 * threads, like OpenMP does for PyTorch: the calling thread runs the first part, helper threads the others. Helpers
 * spin briefly between parallel regions before sleeping, because a model step runs hundreds of short regions back
 * to back and waking a sleeping thread for each cost more than the region itself (measured with a ForkJoinPool).
 * Small loops run on the calling thread.
 */
public final class Parallel {
    /**
     * The default: every core the JVM may use (availableProcessors() is container-aware: a CPU quota or cpuset
     * counts). A run's {@code threads} setting (CLI {@code --threads}, run.json {@code training.loop.threads}) overrides it.
     */
    public static final int DEFAULT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile int threads = DEFAULT_THREADS;
    private static volatile Team team = new Team(threads);
    /** Below this much work (rows x row length) splitting costs more than it saves. */
    private static final long MIN_WORK = 1 << 15;
    /** How long a helper keeps spinning for the next region before it sleeps. */
    private static final long SPIN_NANOS = 100_000;

    private Parallel() {
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    public static synchronized void setThreads(int n) {
        if (n != threads) {
            Team old = team;
            threads = Math.max(1, n);
            team = new Team(threads);
            old.shutdown();
        }
    }

    private static final ThreadLocal<Boolean> SEQUENTIAL = ThreadLocal.withInitial(() -> false);

    /** Runs work on this thread alone: every forRange inside runs inline. */
    public static <T> T sequentially(Supplier<T> work) {
        boolean before = SEQUENTIAL.get();
        SEQUENTIAL.set(true);
        try {
            return work.get();
        } finally {
            SEQUENTIAL.set(before);
        }
    }

    /** True on a thread already running part of a parallel loop (nested loops then run inline). */
    public static boolean inParallelSection() {
        return SEQUENTIAL.get() || inTeam();
    }

    private static boolean inTeam() {
        return Thread.currentThread() instanceof Helper || IN_REGION.get();
    }

    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> false);

    public static int threads() {
        return threads;
    }

    @FunctionalInterface
    public interface PartBody {
        void run(int part, int start, int end);
    }

    /**
     * Like {@link #forRange}, telling the body which part (0..threads()-1) it runs, so partial results can be
     * kept per part and combined in a fixed order: sums then do not depend on thread timing.
     */
    public static void forParts(int n, long cost, PartBody body) {
        forParts(n, cost, body, inParallelSection());
    }

    /**
     * Matrix products split even inside {@link #sequentially} (only not when already inside a parallel region): for
     * one short text, splitting its products pays, splitting its element-wise loops does not.
     */
    static void forPartsOfProduct(int n, PartBody body) {
        forParts(n, MIN_WORK, body, inTeam());
    }

    private static void forParts(int n, long cost, PartBody body, boolean inline) {
        int t = threads;
        if (t == 1 || n < 2 || n * Math.max(1, cost) < MIN_WORK || inline) {
            body.run(0, 0, n);
            return;
        }
        team.run(n, body);
    }

    /** Runs body over [0, n) in contiguous chunks, one per thread; {@code cost} is the work of one index. */
    public static void forRange(int n, long cost, RangeBody body) {
        forParts(n, cost, (part, start, end) -> body.run(start, end));
    }

    private static final class Helper extends Thread {
        Helper(Runnable r, int i) {
            super(r, "workbench-parallel-" + i);
            setDaemon(true);
        }
    }

    /** The calling thread and threads - 1 helpers; one region at a time. */
    private static final class Team {
        private final int size;
        private final Helper[] helpers;
        private final AtomicInteger generation = new AtomicInteger();
        private final AtomicInteger remaining = new AtomicInteger();
        private volatile PartBody body;
        private volatile int n;
        private volatile Throwable failure;
        private volatile boolean stopped;

        Team(int size) {
            this.size = size;
            this.helpers = new Helper[size - 1];
            for (int i = 0; i < helpers.length; i++) {
                int part = i + 1;
                helpers[i] = new Helper(() -> work(part), part);
                helpers[i].start();
            }
        }

        synchronized void run(int count, PartBody work) {
            body = work;
            n = count;
            failure = null;
            remaining.set(helpers.length);
            generation.incrementAndGet();
            for (Helper h : helpers) {
                LockSupport.unpark(h);
            }
            IN_REGION.set(true);
            try {
                work.run(0, 0, (int) ((long) count / size));
            } finally {
                IN_REGION.set(false);
                while (remaining.get() > 0) {
                    Thread.onSpinWait();
                }
            }
            Throwable f = failure;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        private void work(int part) {
            int seen = 0;
            while (!stopped) {
                long spinStart = System.nanoTime();
                int g;
                while ((g = generation.get()) == seen && !stopped) {
                    if (System.nanoTime() - spinStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                if (stopped) {
                    return;
                }
                seen = g;
                try {
                    int count = n;
                    body.run(part, (int) ((long) count * part / size), (int) ((long) count * (part + 1) / size));
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    remaining.decrementAndGet();
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Helper h : helpers) {
                LockSupport.unpark(h);
            }
        }
    }
}
