package io.gradus.kernels.gemm;

import io.gradus.kernels.Parallel;
import io.gradus.kernels.internal.SimdSupport;

/**
 * BLAS-style single-precision matrix products on row-major {@code float[]} matrices, built like
 * BLIS: packing into micro-panels, MC/KC/NC cache blocking and one register-tiled micro-kernel
 * (the Vector API one when available, else the scalar reference). See {@link GemmEngine#sgemm}
 * for the exact contract.
 *
 * <pre>{@code
 * // C (m x n) = A (m x k) * B (k x n), all dense row-major, on the shared pool:
 * Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
 * // the same on a pool of 3 threads:
 * try (Parallel pool = Parallel.ofThreads(3)) {
 *     Gemm.with(pool).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
 * }
 * }</pre>
 */
public final class Gemm {

    private static final class DefaultHolder {
        static final GemmEngine ENGINE = new GemmEngine(Parallel.common(), SimdSupport.sgemmMicroKernel(), GemmEngine.DIRECT_MAX_VOLUME);
    }

    private Gemm() {}

    /** An engine on the given pool with the micro-kernel chosen at start-up. */
    public static GemmEngine with(Parallel pool) {
        return new GemmEngine(pool, SimdSupport.sgemmMicroKernel(), GemmEngine.DIRECT_MAX_VOLUME);
    }

    /** An engine on the given pool and micro-kernel (tests and benchmarks compare kernels). */
    public static GemmEngine with(Parallel pool, SgemmMicroKernel kernel) {
        return new GemmEngine(pool, kernel, GemmEngine.DIRECT_MAX_VOLUME);
    }

    /** The engine the static methods use: shared pool, start-up micro-kernel. */
    public static GemmEngine defaultEngine() {
        return DefaultHolder.ENGINE;
    }

    /** {@link GemmEngine#sgemm} on the shared pool. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        DefaultHolder.ENGINE.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link GemmEngine#sgemv} on the shared pool. */
    public static void sgemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                             float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
        DefaultHolder.ENGINE.sgemv(trans, m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
    }
}
