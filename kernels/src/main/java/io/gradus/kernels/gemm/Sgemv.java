package io.gradus.kernels.gemm;

import io.gradus.kernels.ArrayKernels;

/**
 * Matrix-vector product on a range of y, for {@link GemmEngine#sgemv}. Without transpose each
 * y(i) is one SIMD dot product of a row of A with x; with transpose the range of y is built by
 * SIMD axpy over the rows of A, which reads A row by row, as it is stored. Strided x or y are
 * gathered into a per-thread contiguous buffer first, so the inner loops always run at unit stride.
 */
final class Sgemv {

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private Sgemv() {}

    static void run(boolean trans, int m, int n, int start, int len, float alpha,
                    float[] a, int aOff, int lda, float[] x, int xOff, int incX,
                    float beta, float[] y, int yOff, int incY) {
        ArrayKernels kern = ArrayKernels.get();
        int xLen = trans ? m : n;
        float[][] scratch = SCRATCH.get();
        float[] xs = x;
        int xs0 = xOff;
        if (incX != 1) {
            xs = scratch[0] = grow(scratch[0], xLen);
            xs0 = 0;
            for (int i = 0; i < xLen; i++) xs[i] = x[xOff + i * incX];
        }
        if (!trans) {
            for (int i = start; i < start + len; i++) {
                float s = alpha * kern.dot(a, aOff + i * lda, xs, xs0, n);
                int yi = yOff + i * incY;
                y[yi] = beta == 0f ? s : s + beta * y[yi];
            }
            return;
        }
        float[] ys = y;
        int ys0 = yOff + start;
        if (incY != 1) {
            ys = scratch[1] = grow(scratch[1], len);
            ys0 = 0;
            if (beta != 0f) for (int j = 0; j < len; j++) ys[j] = y[yOff + (start + j) * incY];
        }
        if (beta == 0f) {
            kern.fill(ys, ys0, 0f, len);
        } else if (beta != 1f) {
            kern.scale(beta, ys, ys0, len);
        }
        for (int i = 0; i < m; i++) {
            kern.axpy(alpha * xs[xs0 + i], a, aOff + i * lda + start, ys, ys0, len);
        }
        if (incY != 1) {
            for (int j = 0; j < len; j++) y[yOff + (start + j) * incY] = ys[j];
        }
    }

    private static float[] grow(float[] buf, int size) {
        return buf.length >= size ? buf : new float[size];
    }
}
