package io.gradus.kernels.gemm;

/**
 * The reference micro-kernel, in plain Java: the fallback when the Vector API is not available and
 * the oracle the vector micro-kernels are tested against. A 4 x 8 tile keeps the same packing
 * layout as the vector kernels, so the driver and the packing are tested through both.
 */
public final class ScalarSgemmMicroKernel implements SgemmMicroKernel {

    /** The tile: 4 rows by 8 columns ({@code 4x8v} with vectors of one float). */
    public static final SgemmShape SHAPE = new SgemmShape(4, 8);
    private static final int MR = 4;
    private static final int NR = 8;

    /** With the blocking the scalar fallback has always used. */
    public static final ScalarSgemmMicroKernel INSTANCE = new ScalarSgemmMicroKernel(new GemmBlocking(MR, NR, 128, 256, 2048));

    /** The scalar kernels as a family of one shape, for {@code SgemmTuning}. */
    public static final SgemmKernelFamily FAMILY = new SgemmKernelFamily() {
        @Override
        public String description() {
            return "scalar";
        }

        @Override
        public int vectorFloats() {
            return 1;
        }

        @Override
        public java.util.List<SgemmShape> shapes() {
            return java.util.List.of(SHAPE);
        }

        @Override
        public SgemmMicroKernel create(SgemmShape shape, GemmBlocking blocking) {
            if (!shape.equals(SHAPE)) {
                throw new IllegalArgumentException("SGEMM tile " + shape + ": the scalar kernels have [" + SHAPE + "]");
            }
            return new ScalarSgemmMicroKernel(blocking);
        }
    };

    private final GemmBlocking blocking;

    private ScalarSgemmMicroKernel(GemmBlocking blocking) {
        if (blocking.mr() != MR || blocking.nr() != NR) {
            throw new IllegalArgumentException("blocking " + blocking + " does not match the " + MR + " x " + NR + " tile");
        }
        this.blocking = blocking;
    }

    @Override
    public GemmBlocking blocking() {
        return blocking;
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
