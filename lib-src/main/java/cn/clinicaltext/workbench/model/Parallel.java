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

    public static int threads() {
        return threads;
    }

    /** Runs body over [0, n) in contiguous chunks, one per thread; {@code cost} is the work of one index. */
    public static void forRange(int n, long cost, RangeBody body) {
        int t = threads;
        if (t == 1 || n < 2 || n * Math.max(1, cost) < MIN_WORK || SEQUENTIAL.get()) {
            body.run(0, n);
            return;
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] parts = new RecursiveAction[t];
                for (int i = 0; i < t; i++) {
                    int start = (int) ((long) n * i / t);
                    int end = (int) ((long) n * (i + 1) / t);
                    parts[i] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(start, end);
                        }
                    };
                }
                invokeAll(parts);
            }
        });
    }
}
