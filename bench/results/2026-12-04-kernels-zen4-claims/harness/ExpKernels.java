package io.gradus.kernels.vector;
import io.gradus.kernels.gemm.GemmBlocking;
import io.gradus.kernels.gemm.SgemmMicroKernel;
public final class ExpKernels {
    public static SgemmMicroKernel k12x1v(int mc, int kc, int nc) { return new Sgemm12x1v(new GemmBlocking(12, Sgemm12x1v.NR, mc, kc, nc)); }
}
