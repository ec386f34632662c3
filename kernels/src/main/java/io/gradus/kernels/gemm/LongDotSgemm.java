package io.gradus.kernels.gemm;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.Parallel;

/**
 * {@code C = alpha A B^T + beta C} for a small {@code m x n} result with a long {@code k}, A and B
 * both row-major with k contiguous (transA = false, transB = true): a convolution's weight
 * gradient, {@code dW = dY cols^T} with k = batch x pixels in the hundreds of thousands.
 *
 * <p>Packing would copy all of A and B to compute a handful of outputs. Here k is cut into chunks
 * small enough that the chunk's m + n rows stay in L2; each output is a SIMD dot product over the
 * chunk (register-blocked: {@link ArrayKernels#dots}), and the chunks are shared between the pool's threads, each summing its partial products
 * into its own m x n buffer, added up at the end in a fixed order (so the result does not depend
 * on which thread took which chunk).
 */
final class LongDotSgemm {
    private LongDotSgemm() {}

    /** Floats of k per chunk. */
    static final int CHUNK = 2048;

    /** Whether this path suits the product (measured on LeNet's weight gradients). */
    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        return !transA && transB && (long) m * n <= 64L * 64 && k >= 8 * CHUNK;
    }

    static void run(Parallel pool, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int chunks = (k + CHUNK - 1) / CHUNK;
        float[][] partial = new float[chunks][];
        pool.forEach(chunks, t -> {
            ArrayKernels kern = ArrayKernels.get();
            int p0 = t * CHUNK, len = Math.min(CHUNK, k - p0);
            float[] sums = new float[m * n];
            kern.dots(m, n, len, a, aOff + p0, lda, b, bOff + p0, ldb, sums, 0);
            partial[t] = sums;
        });
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (float[] sums : partial) s += sums[i * n + j];
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }
}
