package cn.clinicaltext.workbench.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Matrix products through OpenBLAS's {@code cblas_sgemm} on native memory, with offsets and leading dimensions so
 * one attention head (a column block of Q, K or V) is multiplied in place without copies.
 */
public final class Blas {
    private Blas() {
    }

    private static volatile int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    static {
        openblas_nolapack.blas_set_num_threads(threads);
    }

    /** Number of threads for one product, and for the element-wise kernels ({@link Parallel}). */
    public static synchronized void setThreads(int n) {
        threads = Math.max(1, n);
        openblas_nolapack.blas_set_num_threads(threads);
        Parallel.setThreads(threads);
    }

    public static int threads() {
        return threads;
    }

    private static int singleThreadedDepth;

    /**
     * Runs work with OpenBLAS itself single-threaded: many small products from parallel Java threads, or a job too
     * small to gain from threads (waking BLAS threads for one short text doubled its latency, measured).
     */
    static synchronized void singleThreaded(Runnable work) {
        if (threads == 1) {
            work.run();
            return;
        }
        if (singleThreadedDepth++ == 0) {
            openblas_nolapack.blas_set_num_threads(1);
        }
        try {
            work.run();
        } finally {
            if (--singleThreadedDepth == 0) {
                openblas_nolapack.blas_set_num_threads(threads);
            }
        }
    }

    /**
     * C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, row-major, each matrix given by tensor, element offset
     * and leading dimension (row stride).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Tensor a, long aOffset, int lda, Tensor b, long bOffset, int ldb,
                            float beta, Tensor c, long cOffset, int ldc) {
        FloatPointer pa = view(a, aOffset);
        FloatPointer pb = view(b, bOffset);
        FloatPointer pc = view(c, cOffset);
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /** C = op(A) * op(B) (+ C when accumulate) for whole matrices: rows x cols seen as [rows(), cols()]. */
    public static void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, boolean accumulate) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("matmul shapes: " + a + (transA ? "^T" : "") + " x " + b
                    + (transB ? "^T" : "") + " -> " + c);
        }
        gemm(transA, transB, m, n, k, 1f, a, 0, a.cols(), b, 0, b.cols(), accumulate ? 1f : 0f, c, 0, c.cols());
    }

    private static FloatPointer view(Tensor t, long offset) {
        FloatPointer p = t.pointer();
        return offset == 0 ? p : new FloatPointer(p).position(offset);
    }
}
