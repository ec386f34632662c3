package io.gradus.kernels.gemm;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.internal.SimdSupport;

/**
 * {@code C = alpha A B + beta C} for a few rows ({@code m <= 16}) and many columns, A and B not
 * transposed: a convolution's forward product {@code Y = W cols} with 6 or 16 filters and
 * 25,000-200,000 columns. Packing B would copy the whole im2col matrix to feed a mostly empty
 * register tile. Here the columns are cut into chunks; within a chunk, blocks of four rows are
 * computed by a {@link FewRowsKernel} register tile that reads B in place, and the remaining
 * rows by SIMD axpy. Chunks go to the pool's threads; each element of C is computed by the same
 * operations whatever the thread count.
 */
final class WideRowsSgemm {
    private WideRowsSgemm() {}

    /** Columns per task. */
    static final int CHUNK = 1024;

    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        return !transA && !transB && m <= 16 && n >= 4 * CHUNK && k <= 512;
    }

    static void run(Parallel pool, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        FewRowsKernel tile = SimdSupport.fewRowsKernel();
        int width = tile.columns();
        int chunks = (n + CHUNK - 1) / CHUNK;
        int blockedRows = m / FewRowsKernel.ROWS * FewRowsKernel.ROWS;
        pool.forEach(chunks, t -> {
            ArrayKernels kern = ArrayKernels.get();
            int j0 = t * CHUNK, len = Math.min(CHUNK, n - j0);
            // beta first, so that the tile and the axpy rows can both accumulate (or not) into C.
            boolean accumulate = beta != 0f;
            if (accumulate && beta != 1f) {
                for (int i = 0; i < m; i++) kern.scale(beta, c, cOff + i * ldc + j0, len);
            }
            for (int i = 0; i < blockedRows; i += FewRowsKernel.ROWS) {
                for (int j = j0; j < j0 + len; j += width) {
                    tile.compute(k, Math.min(width, j0 + len - j), alpha, a, aOff + i * lda, lda, b, bOff, ldb,
                            c, cOff + i * ldc, ldc, j, accumulate);
                }
            }
            for (int i = blockedRows; i < m; i++) {
                int cRow = cOff + i * ldc + j0;
                if (!accumulate) kern.fill(c, cRow, 0f, len);
                for (int p = 0; p < k; p++) {
                    kern.axpy(alpha * a[aOff + i * lda + p], b, bOff + p * ldb + j0, c, cRow, len);
                }
            }
        });
    }
}
