package io.gradus.kernels.vector;

import io.gradus.kernels.gemm.GemmBlocking;
import io.gradus.kernels.gemm.SgemmMicroKernel;

/**
 * The Vector API SGEMM micro-kernels and the blocking each is tuned with. {@link #INSTANCE} is the
 * one {@link io.gradus.kernels.SimdSupport} picks; the others stay available to benchmarks.
 */
public final class VectorSgemmMicroKernels {
    private VectorSgemmMicroKernels() {}

    /** The tile width: two vectors of the preferred species. */
    public static final int NR = Sgemm8x2v.NR;

    public static SgemmMicroKernel sgemm6x2v(int mc, int kc, int nc) {
        return new Sgemm6x2v(new GemmBlocking(Sgemm6x2v.MR, NR, mc, kc, nc));
    }

    public static SgemmMicroKernel sgemm8x2v(int mc, int kc, int nc) {
        return new Sgemm8x2v(new GemmBlocking(Sgemm8x2v.MR, NR, mc, kc, nc));
    }

    public static SgemmMicroKernel sgemm12x2v(int mc, int kc, int nc) {
        return new Sgemm12x2v(new GemmBlocking(Sgemm12x2v.MR, NR, mc, kc, nc));
    }

    public static SgemmMicroKernel sgemm14x2v(int mc, int kc, int nc) {
        return new Sgemm14x2v(new GemmBlocking(Sgemm14x2v.MR, NR, mc, kc, nc));
    }

    /**
     * The kernel chosen for this JVM. 12 x 32 uses 24 of the 32 vector registers for C and was
     * the fastest of 6, 8, 12 and 14 rows at n = 1024 on this machine's AVX-512 core (14 rows spill).
     * KC = 256 keeps a 256 x 32 B micro-panel (32 KiB) in the 48 KiB L1; MC = 192 keeps the
     * 192 x 256 A block (192 KiB) well inside the 2 MiB L2.
     */
    public static final SgemmMicroKernel INSTANCE = sgemm12x2v(192, 256, 4096);
}
