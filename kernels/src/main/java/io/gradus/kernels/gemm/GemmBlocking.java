package io.gradus.kernels.gemm;

/**
 * The block sizes of one SGEMM micro-kernel, BLIS style (see KERNELS.md):
 * <ul>
 *   <li>{@code mr x nr}: the register tile the micro-kernel computes;</li>
 *   <li>{@code kc}: the depth of one rank-kc update; a {@code kc x nr} micro-panel of B should stay
 *       in the L1 cache while the micro-kernel sweeps the A panels;</li>
 *   <li>{@code mc}: rows of A packed at once; the {@code mc x kc} block of A should stay in L2;</li>
 *   <li>{@code nc}: columns of B packed at once; the {@code kc x nc} block of B lives in L3.</li>
 * </ul>
 * Invariants are checked here, once, when the record is built.
 */
public record GemmBlocking(int mr, int nr, int mc, int kc, int nc) {

    public GemmBlocking {
        if (mr < 1 || nr < 1 || mc < 1 || kc < 1 || nc < 1) {
            throw new IllegalArgumentException("block sizes must be >= 1: " + this);
        }
        if (mc % mr != 0) {
            throw new IllegalArgumentException("mc = " + mc + " must be a multiple of mr = " + mr);
        }
        if (nc % nr != 0) {
            throw new IllegalArgumentException("nc = " + nc + " must be a multiple of nr = " + nr);
        }
    }

    /** Floats in one packed block of A ({@code mc x kc}). */
    public int packedASize() {
        return mc * kc;
    }

    /** Floats in one packed block of B ({@code kc x nc}). */
    public int packedBSize() {
        return kc * nc;
    }
}
