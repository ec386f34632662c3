package io.gradus.kernels.gemm;

/**
 * The reference micro-kernel, in plain Java: the fallback when the Vector API is not available and
 * the oracle the vector micro-kernels are tested against. A 4 x 8 tile keeps the same packing
 * layout as the vector kernels, so the driver and the packing are tested through both.
 */
public final class ScalarSgemmMicroKernel implements SgemmMicroKernel {

    public static final ScalarSgemmMicroKernel INSTANCE = new ScalarSgemmMicroKernel();

    private static final int MR = 4;
    private static final int NR = 8;
    private static final GemmBlocking BLOCKING = new GemmBlocking(MR, NR, 128, 256, 2048);

    private ScalarSgemmMicroKernel() {}

    @Override
    public GemmBlocking blocking() {
        return BLOCKING;
    }

    @Override
    public String name() {
        return "Sgemm4x8 (scalar reference)";
    }

    @Override
    public void compute(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
        for (int i = 0; i < MR; i++) {
            for (int j = 0; j < NR; j++) {
                float s = 0f;
                for (int p = 0; p < kc; p++) {
                    s = Math.fma(a[aOff + p * MR + i], b[bOff + p * NR + j], s);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? s : Math.fma(beta, c[ci], s);
            }
        }
    }
}
