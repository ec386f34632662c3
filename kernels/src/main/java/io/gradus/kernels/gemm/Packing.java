package io.gradus.kernels.gemm;

/**
 * Copies blocks of A and B into the contiguous micro-panels the micro-kernel
 * streams through (layout in KERNELS.md). Rows or columns past the edge of the matrix are filled
 * with zeros, so partial tiles need no special case in the micro-kernel: this is the one place
 * they are handled on the input side.
 */
final class Packing {
    private Packing() {}

    /**
     * Packs {@code alpha * op(A)[ic .. ic+mc, pc .. pc+kc)} into {@code ceil(mc/mr)} panels, panel
     * {@code r} at {@code dst[r * kc * mr]}, element {@code (i, p)} of a panel at {@code p*mr + i}.
     * Folding alpha in here costs nothing extra and leaves the micro-kernel a pure update.
     * Only panels {@code firstPanel, firstPanel + panelStep, ...} are written, so the members of
     * a team can pack one block together.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                      float alpha, float[] dst, int mr, int firstPanel, int panelStep) {
        int panels = (mc + mr - 1) / mr;
        for (int r = firstPanel; r < panels; r += panelStep) {
            int base = r * kc * mr;
            int rows = Math.min(mr, mc - r * mr);
            int row0 = ic + r * mr;
            if (transA) {
                // op(A)(row, p) = A[p][row]: each panel row p is a contiguous run of a stored row.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + row0;
                    int dst0 = base + p * mr;
                    for (int i = 0; i < rows; i++) {
                        dst[dst0 + i] = alpha * a[src + i];
                    }
                }
            } else {
                // p outer, i inner: the writes are sequential and each of the mr source rows is
                // read as its own stream, which the hardware prefetchers follow.
                int src0 = aOff + row0 * lda + pc;
                for (int p = 0; p < kc; p++) {
                    int dst0 = base + p * mr;
                    for (int i = 0; i < rows; i++) {
                        dst[dst0 + i] = alpha * a[src0 + p + i * lda];
                    }
                }
            }
            if (rows < mr) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(dst, base + p * mr + rows, base + (p + 1) * mr, 0f);
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
        if (!transB) {
            // Row by row of B: each stored row is read front to back across all of this member's
            // panels. Panel by panel would jump ldb floats per step, and for the wide, short B of
            // a convolution's im2col (ldb = 200,000) miss the TLB on every row.
            for (int p = 0; p < kc; p++) {
                int srcRow = bOff + (pc + p) * ldb + jc;
                for (int q = firstPanel; q < panels; q += panelStep) {
                    int cols = Math.min(nr, nc - q * nr);
                    int src = srcRow + q * nr, d = q * kc * nr + p * nr;
                    for (int j = 0; j < cols; j++) {
                        dst[d + j] = b[src + j];
                    }
                    for (int j = cols; j < nr; j++) {
                        dst[d + j] = 0f;
                    }
                }
            }
            return;
        }
        for (int q = firstPanel; q < panels; q += panelStep) {
            int base = q * kc * nr;
            int cols = Math.min(nr, nc - q * nr);
            int col0 = jc + q * nr;
            // op(B)(p, col) = B[col][p]: each stored row of B fills one column of the panel.
            for (int j = 0; j < cols; j++) {
                int src = bOff + (col0 + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * nr + j] = b[src + p];
                }
            }
            for (int p = 0; p < kc && cols < nr; p++) {
                for (int j = cols; j < nr; j++) {
                    dst[base + p * nr + j] = 0f;
                }
            }
        }
    }
}
