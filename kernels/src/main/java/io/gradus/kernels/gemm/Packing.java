package io.gradus.kernels.gemm;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the contiguous micro-panels the micro-kernel
 * streams through (layout in KERNELS.md). Rows or columns past the edge of the matrix are filled
 * with zeros, so partial tiles need no special case in the micro-kernel: this is the one place
 * they are handled on the input side.
 *
 * <p>Every copy fills one panel at a time. Panels lie {@code kc * mr} or {@code kc * nr} floats
 * apart, often a multiple of 4 KiB, so they share cache sets: B used to be written across all
 * panels row by row, which made its stores conflict misses in L1 and L2 (1.3-2.4 ns per element on
 * a Zen 4 core, 0.4-0.9 panel by panel). B is copied {@link #CHUNK} values of p at a time, so a
 * wide, short B (an im2col matrix with ldb = 200,000) is still read a few rows at a time.
 */
final class Packing {
    /** Values of p (the k index) copied per pass over one panel. */
    static final int CHUNK = 32;

    private Packing() {}

    /**
     * Packs {@code alpha * op(A)[ic .. ic+mc, pc .. pc+kc)} into {@code ceil(mc/mr)} panels, panel
     * {@code r} at {@code dst[dstOff + r * kc * mr]}, element {@code (i, p)} of a panel at {@code p*mr + i}.
     * Folding alpha in here costs nothing extra and leaves the micro-kernel a pure update.
     * Only panels {@code firstPanel, firstPanel + panelStep, ...} below {@code endPanel} are
     * written, so the members of a team can pack one block together (alternate panels) or each its
     * own rows (a range).
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                      float alpha, float[] dst, int dstOff, int mr, int firstPanel, int endPanel, int panelStep) {
        int panels = Math.min(endPanel, (mc + mr - 1) / mr);
        for (int r = firstPanel; r < panels; r += panelStep) {
            int base = dstOff + r * kc * mr;
            int rows = Math.min(mr, mc - r * mr);
            int row0 = ic + r * mr;
            if (transA) {
                // op(A)(row, p) = A[p][row]: each panel row p is a contiguous run of a stored row.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + row0;
                    int d = base + p * mr;
                    for (int i = 0; i < rows; i++) {
                        dst[d + i] = alpha * a[src + i];
                    }
                }
            } else {
                // Two source rows at a time, each read front to back; the stores at stride mr stay
                // within the panel. (One row at a time: 0.7-1.2 ns per element; p outer with mr
                // streams: 1.1; two rows: 0.6, on a Zen 4 core.)
                int i = 0;
                for (; i + 1 < rows; i += 2) {
                    int src0 = aOff + (row0 + i) * lda + pc, src1 = src0 + lda;
                    int d = base + i;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * mr] = alpha * a[src0 + p];
                        dst[d + p * mr + 1] = alpha * a[src1 + p];
                    }
                }
                if (i < rows) {
                    int src = aOff + (row0 + i) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[base + i + p * mr] = alpha * a[src + p];
                    }
                }
            }
            if (rows < mr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(dst, base + p * mr + rows, base + (p + 1) * mr, 0f);
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc .. pc+kc, jc .. jc+nc)} into {@code ceil(nc/nr)} panels, panel {@code q}
     * at {@code dst[q * kc * nr]}, element {@code (p, j)} of a panel at {@code p*nr + j}; only
     * panels {@code firstPanel, firstPanel + panelStep, ...}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                      float[] dst, int nr, int firstPanel, int panelStep) {
        int panels = (nc + nr - 1) / nr;
        for (int q = firstPanel; q < panels; q += panelStep) {
            int base = q * kc * nr;
            int cols = Math.min(nr, nc - q * nr);
            int col0 = jc + q * nr;
            for (int p0 = 0; p0 < kc; p0 += CHUNK) {
                int p1 = Math.min(kc, p0 + CHUNK);
                if (!transB) {
                    // A run of cols floats of each stored row: CHUNK rows of B are read at once, so
                    // even a wide, short B (an im2col matrix with ldb = 200,000) touches few pages.
                    for (int p = p0; p < p1; p++) {
                        System.arraycopy(b, bOff + (pc + p) * ldb + col0, dst, base + p * nr, cols);
                    }
                } else {
                    // op(B)(p, col) = B[col][p]: each stored row of B fills one column of the panel.
                    for (int j = 0; j < cols; j++) {
                        int src = bOff + (col0 + j) * ldb + pc;
                        for (int p = p0; p < p1; p++) {
                            dst[base + p * nr + j] = b[src + p];
                        }
                    }
                }
                if (cols < nr) {
                    for (int p = p0; p < p1; p++) {
                        Arrays.fill(dst, base + p * nr + cols, base + (p + 1) * nr, 0f);
                    }
                }
            }
        }
    }
}
