package io.gradus.kernels.gemm;

/**
 * A register tile for products with few rows and unpacked operands: it computes
 * {@code C[0:4, j0:j0+cols) = alpha * A[0:4, 0:k) B[0:k, j0:j0+cols) (+ C if accumulate)}
 * straight from row-major A and B. Used by {@link WideRowsSgemm} for a convolution's forward
 * product, where packing the im2col matrix would cost more than the arithmetic.
 */
public interface FewRowsKernel {

    /** Rows of C computed per call. */
    int ROWS = 4;

    /** Columns per call that the implementation handles fastest (a multiple of its vector width). */
    int columns();

    /**
     * Four rows of C over columns {@code [j0, j0 + cols)}, {@code cols <= columns()}.
     *
     * @param accumulate add to C instead of overwriting it (C is not read otherwise)
     */
    void compute(int k, int cols, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float[] c, int cOff, int ldc, int j0, boolean accumulate);
}
