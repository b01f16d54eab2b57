package cn.clinicaltext.workbench.model;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits row loops of the element-wise kernels over a few threads (as many as BLAS uses; the two never run at
 * the same time). Small loops run on the calling thread.
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private static volatile ForkJoinPool pool = new ForkJoinPool(threads);
    /** Below this much work (rows x row length) splitting costs more than it saves. */
    private static final long MIN_WORK = 1 << 15;

    private Parallel() {
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    public static synchronized void setThreads(int n) {
        if (n != threads) {
            ForkJoinPool old = pool;
            threads = Math.max(1, n);
            pool = new ForkJoinPool(threads);
            old.shutdown();
        }
    }

    private static final ThreadLocal<Boolean> SEQUENTIAL = ThreadLocal.withInitial(() -> false);

    /** Runs work on this thread alone: every forRange inside runs inline. */
    public static <T> T sequentially(java.util.function.Supplier<T> work) {
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
        return SEQUENTIAL.get() || java.util.concurrent.ForkJoinTask.inForkJoinPool();
    }

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
     * Matrix products split even inside {@link #sequentially} (only not when already on a pool thread): for one
     * short text, splitting its products pays, splitting its element-wise loops does not.
     */
    static void forPartsOfProduct(int n, PartBody body) {
        forParts(n, MIN_WORK, body, java.util.concurrent.ForkJoinTask.inForkJoinPool());
    }

    private static void forParts(int n, long cost, PartBody body, boolean inline) {
        int t = threads;
        if (t == 1 || n < 2 || n * Math.max(1, cost) < MIN_WORK || inline) {
            body.run(0, 0, n);
            return;
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] tasks = new RecursiveAction[t];
                for (int i = 0; i < t; i++) {
                    int part = i;
                    tasks[i] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(part, (int) ((long) n * part / t), (int) ((long) n * (part + 1) / t));
                        }
                    };
                }
                invokeAll(tasks);
            }
        });
    }

    /** Runs body over [0, n) in contiguous chunks, one per thread; {@code cost} is the work of one index. */
    public static void forRange(int n, long cost, RangeBody body) {
        forParts(n, cost, (part, start, end) -> body.run(start, end));
    }
}
