package io.gradus.kernels.gemm;

/** The plain-Java {@link FewRowsKernel}: the fallback and the oracle of the vector one. */
public final class ScalarFewRowsKernel implements FewRowsKernel {

    public static final ScalarFewRowsKernel INSTANCE = new ScalarFewRowsKernel();

    private ScalarFewRowsKernel() {}

    @Override
    public int columns() {
        return 64;
    }

    @Override
    public void compute(int k, int cols, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, int j0, boolean accumulate) {
        for (int i = 0; i < ROWS; i++) {
            for (int j = j0; j < j0 + cols; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], s);
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + alpha * s : alpha * s;
            }
        }
    }
}
