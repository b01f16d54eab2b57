package cn.clinicaltext.workbench.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Matrix products through OpenBLAS's {@code cblas_sgemm} on native memory, with offsets and leading dimensions so
 * one attention head (a column block of Q, K or V) is multiplied in place without copies.
 * <p>
 * OpenBLAS itself runs single-threaded; large products are split into row (or column) blocks over the
 * {@link Parallel} threads instead. With OpenBLAS's own threads, its workers kept spinning after each product
 * while the Java kernels ran, and the two sets of threads fought over the cores (measured: products inside the
 * model ran 4x slower than alone).
 */
public final class Blas {
    /** Products smaller than this many multiply-adds run on the calling thread. */
    private static final long SPLIT_WORK = 1L << 21;

    static {
        keepOpenBlasSingleThreaded();
    }

    /**
     * Sets OpenBLAS's own thread count back to 1. ND4J sets it to the core count when it starts (it shares this
     * OpenBLAS library): call this after anything that starts ND4J, or the engine runs 4x slower (measured
     * 2026-11-26, 2 cores: inference b64 x 128 0.69 s before ND4J started, 3.1 s after, 0.75 s after this).
     */
    public static void keepOpenBlasSingleThreaded() {
        openblas_nolapack.blas_set_num_threads(1);
    }

    private Blas() {
    }

    /** Number of threads for products and for the element-wise kernels ({@link Parallel}). */
    public static void setThreads(int n) {
        Parallel.setThreads(n);
    }

    public static int threads() {
        return Parallel.threads();
    }

    /**
     * C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, row-major, each matrix given by tensor, element offset
     * and leading dimension (row stride).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Tensor a, long aOffset, int lda, Tensor b, long bOffset, int ldb,
                            float beta, Tensor c, long cOffset, int ldc) {
        long work = (long) m * n * k;
        int parts = Parallel.threads();
        if (parts > 1 && work >= SPLIT_WORK) {
            if (m >= n) {
                Parallel.forPartsOfProduct(m, (part, start, end) -> sgemm(transA, transB, end - start, n, k,
                        alpha, a, aOffset + (transA ? start : (long) start * lda), lda, b, bOffset, ldb,
                        beta, c, cOffset + (long) start * ldc, ldc));
            } else {
                Parallel.forPartsOfProduct(n, (part, start, end) -> sgemm(transA, transB, m, end - start, k,
                        alpha, a, aOffset, lda, b, bOffset + (transB ? (long) start * ldb : start), ldb,
                        beta, c, cOffset + start, ldc));
            }
            return;
        }
        sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    private static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              Tensor a, long aOffset, int lda, Tensor b, long bOffset, int ldb,
                              float beta, Tensor c, long cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, view(a, aOffset), lda, view(b, bOffset), ldb, beta, view(c, cOffset), ldc);
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
