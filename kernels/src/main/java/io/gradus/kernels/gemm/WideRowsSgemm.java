package io.gradus.kernels.gemm;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.Parallel;

/**
 * {@code C = alpha A B + beta C} for a few rows ({@code m <= 8}) and many columns, A and B not
 * transposed: a convolution's forward product {@code Y = W cols} with 6 filters and 200,000
 * columns. Packing B would copy all of it to feed a mostly empty register tile; here the columns
 * are cut into chunks whose {@code k x chunk} slice of B stays in L2, and each row of C's chunk is
 * built by SIMD axpy straight from B. Chunks go to the pool's threads; each element of C is
 * computed by the same operations whatever the thread count.
 */
final class WideRowsSgemm {
    private WideRowsSgemm() {}

    /** Columns per chunk: a 150 x 1024 slice of B is 600 KiB, well inside the 2 MiB L2. */
    static final int CHUNK = 1024;

    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        return !transA && !transB && m <= 8 && n >= 4 * CHUNK && k <= 512;
    }

    static void run(Parallel pool, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        pool.forEach(chunks, t -> {
            ArrayKernels kern = ArrayKernels.get();
            int j0 = t * CHUNK, len = Math.min(CHUNK, n - j0);
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * ldc + j0;
                if (beta == 0f) {
                    kern.fill(c, cRow, 0f, len);
                } else if (beta != 1f) {
                    kern.scale(beta, c, cRow, len);
                }
                for (int p = 0; p < k; p++) {
                    kern.axpy(alpha * a[aOff + i * lda + p], b, bOff + p * ldb + j0, c, cRow, len);
                }
            }
        });
    }
}
