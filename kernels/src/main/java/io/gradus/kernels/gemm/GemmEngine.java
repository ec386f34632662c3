package io.gradus.kernels.gemm;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.internal.Checks;
import io.gradus.kernels.Parallel;

/**
 * SGEMM and SGEMV bound to a thread pool and a micro-kernel. Get one from {@link Gemm#with}; the
 * static methods of {@link Gemm} use the shared pool and the micro-kernel chosen at start-up.
 *
 * <p>Threading: the pool's threads run the blocked algorithm as one team ({@code BlockedSgemm}):
 * they pack each block of B together into a shared buffer, and each member packs and computes its
 * own rows of A (BLIS's ic-loop parallelism across cores: its A block stays in its own L2), or, for
 * products with too few rows, the members share one packed A block and split its tiles. Packing
 * is never duplicated, and the result does not depend on the number of threads: every element of
 * C is computed by the same sequence of operations whatever the split (tested for equality).
 *
 * <p>Threads: an engine may be used from several threads at once. Each call packs into buffers of
 * its calling thread, and the pool runs one job at a time (callers queue on its lock), so
 * concurrent calls are correct; they do not run in parallel with each other on one pool.
 *
 * <p>Machines. Each element of C is a sum over k whose grouping follows the micro-kernel and the
 * block size {@code kc} chosen for the machine ({@code SgemmTuning}): a product computed on an
 * AVX-512 machine, an AVX2 machine and the scalar fallback agrees to float rounding
 * ({@code GemmContract} bounds the error against a double-precision product at every width), not
 * bit for bit.
 */
public final class GemmEngine {

    /**
     * Products with {@code m * n * k} at most this take the unpacked {@link DirectSgemm} path.
     * Measured with {@code GemmCrossoverBench} (bench/results/2026-11-29-foundation/): square
     * products of n = 8 run as fast either way, n = 16 slightly faster unpacked, and from n = 24
     * packing wins (2-3x at n = 32..96), so the crossover is 16^3.
     */
    public static final long DIRECT_MAX_VOLUME = 16L * 16 * 16;

    /**
     * Below this volume a product runs on one thread: at n = 128 two threads were slower than one
     * (48.5 vs 54.8 GFLOPS), at n = 256 faster (126 vs 86); bench/results/2026-11-29-foundation.
     */
    static final long PARALLEL_MIN_VOLUME = 160L * 160 * 160;

    private final Parallel pool;
    private final SgemmMicroKernel kernel;
    private final long directMaxVolume;

    GemmEngine(Parallel pool, SgemmMicroKernel kernel, long directMaxVolume) {
        if (pool == null) throw new IllegalArgumentException("pool = null: expected a Parallel pool");
        if (kernel == null) throw new IllegalArgumentException("kernel = null: expected a micro-kernel");
        if (directMaxVolume < 0) {
            throw new IllegalArgumentException("directMaxVolume = " + directMaxVolume + ": expected >= 0");
        }
        this.pool = pool;
        this.kernel = kernel;
        this.directMaxVolume = directMaxVolume;
    }

    /**
     * The same engine with another crossover: products with {@code m*n*k <= directMaxVolume} take
     * the unpacked path. 0 forces packing for everything, {@link Long#MAX_VALUE} never packs; tests
     * use both to exercise each path on every shape, and the crossover benchmark to find the default.
     */
    public GemmEngine withDirectMaxVolume(long directMaxVolume) {
        return new GemmEngine(pool, kernel, directMaxVolume);
    }

    public Parallel pool() {
        return pool;
    }

    public SgemmMicroKernel microKernel() {
        return kernel;
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, row-major, where {@code op(X)} is X or its
     * transpose; op(A) is m x k, op(B) is k x n, C is m x n. Stored matrices have leading dimensions
     * (row strides) {@code lda}, {@code ldb}, {@code ldc} of at least their stored row length.
     * When {@code beta == 0} C is not read, so NaN or garbage in C does not leak into the result.
     * C must not overlap A or B (the blocked algorithm writes C while it still reads them): the
     * same array with intersecting extents is refused.
     *
     * @throws IllegalArgumentException on a negative size, a leading dimension smaller than the
     *                                  stored row, an array too short for offset + extent, or C
     *                                  overlapping A or B
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.nonNegative("k", k);
        Checks.matrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        Checks.matrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("C", c, cOff, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        disjoint("A", a, aOff, transA ? k : m, transA ? m : k, lda, c, cOff, m, n, ldc);
        disjoint("B", b, bOff, transB ? n : k, transB ? k : n, ldb, c, cOff, m, n, ldc);
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        long volume = (long) m * n * k;
        if (volume <= directMaxVolume) {
            DirectSgemm.run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (WideRowsSgemm.suits(transA, transB, m, n, k)) {
            WideRowsSgemm.run(pool, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (LongDotSgemm.suits(transA, transB, m, n, k)) {
            LongDotSgemm.run(pool, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        GemmBlocking blk = kernel.blocking();
        // A team splits the rows (or, for few rows, the tiles) of a packed block: with fewer than a few
        // tiles per thread (a 6 x 25 weight gradient with k = 200,000, say) the others would only
        // wait at the barriers.
        long tilesPerBlock = (long) ceilDiv(Math.min(m, blk.mc()), blk.mr()) * ceilDiv(Math.min(n, blk.nc()), blk.nr());
        if (volume < PARALLEL_MIN_VOLUME || pool.threads() == 1 || tilesPerBlock < 4L * pool.threads()) {
            BlockedSgemm.Workspace alone = BlockedSgemm.workspace(blk, 1);
            BlockedSgemm.run(Parallel.Team.alone(), alone, kernel, transA, transB, m, n, k, alpha,
                    a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        BlockedSgemm.Workspace shared = BlockedSgemm.workspace(blk, pool.threads());
        pool.team(team -> BlockedSgemm.run(team, shared, kernel, transA, transB, m, n, k, alpha,
                a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
    }

    /**
     * {@code y = alpha * op(A) * x + beta * y}, A row-major m x n with leading dimension lda;
     * x has {@code trans ? m : n} elements with stride incX, y has {@code trans ? n : m} with stride
     * incY. When {@code beta == 0} y is not read.
     */
    public void sgemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                      float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("A", a, aOff, m, n, lda);
        int xLen = trans ? m : n;
        int yLen = trans ? n : m;
        Checks.strided("x", x, xOff, xLen, incX);
        Checks.strided("y", y, yOff, yLen, incY);
        if (yLen == 0) {
            return;
        }
        int threads = (long) m * n < 64L * 1024 ? 1 : pool.threads();
        int chunk = ceilTo(ceilDiv(yLen, threads), 16);
        int tasks = ceilDiv(yLen, chunk);
        pool.forEach(tasks, t -> {
            int start = t * chunk;
            int len = Math.min(chunk, yLen - start);
            Sgemv.run(trans, m, n, start, len, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
        });
    }

    /** Refuses C sharing storage with an input: the same array and intersecting element extents. */
    private static void disjoint(String name, float[] x, int xOff, int rows, int cols, int ld,
                                 float[] c, int cOff, int m, int n, int ldc) {
        if (x != c || rows == 0 || cols == 0) return;
        long xEnd = xOff + (long) (rows - 1) * ld + cols, cEnd = cOff + (long) (m - 1) * ldc + n;
        if (xOff < cEnd && cOff < xEnd) {
            throw new IllegalArgumentException("C [" + cOff + ", " + cEnd + ") overlaps " + name + " [" + xOff + ", " + xEnd
                    + ") in the same array: expected C apart from A and B (write into a separate array)");
        }
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        ArrayKernels kern = ArrayKernels.get();
        for (int i = 0; i < m; i++) {
            if (beta == 0f) {
                kern.fill(c, cOff + i * ldc, 0f, n);
            } else if (beta != 1f) {
                kern.scale(beta, c, cOff + i * ldc, n);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int ceilTo(int a, int unit) {
        return ceilDiv(a, unit) * unit;
    }

    @Override
    public String toString() {
        return "GemmEngine[" + kernel.name() + ", " + pool + "]";
    }
}
