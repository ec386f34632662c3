package io.gradus.kernels.gemm;

import io.gradus.kernels.ArrayKernels;

/**
 * The unpacked path for small products, where copying A and B into panels costs more than it
 * saves. Rows of C are updated with SIMD axpy (op(B) not transposed: C(i,:) += alpha A(i,p) B(p,:))
 * or filled with SIMD dot products (op(B) transposed: C(i,j) = alpha A(i,:) . B(j,:)).
 * The size below which this path wins was measured; see {@link GemmEngine#DIRECT_MAX_VOLUME}.
 */
final class DirectSgemm {
    private DirectSgemm() {}

    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
        ArrayKernels kern = ArrayKernels.get();
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (!transB) {
                if (beta == 0f) {
                    kern.fill(c, cRow, 0f, n);
                } else if (beta != 1f) {
                    kern.scale(beta, c, cRow, n);
                }
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    kern.axpy(alpha * aip, b, bOff + p * ldb, c, cRow, n);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    float s = transA
                            ? kern.dot(a, aOff + i, lda, b, bOff + j * ldb, 1, k)
                            : kern.dot(a, aOff + i * lda, b, bOff + j * ldb, k);
                    c[cRow + j] = beta == 0f ? alpha * s : alpha * s + beta * c[cRow + j];
                }
            }
        }
    }
}
