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
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                      float alpha, float[] dst, int mr) {
        int panels = (mc + mr - 1) / mr;
        for (int r = 0; r < panels; r++) {
            int base = r * kc * mr;
            int rows = Math.min(mr, mc - r * mr);
            for (int i = 0; i < rows; i++) {
                int row = ic + r * mr + i;
                if (transA) {
                    // op(A)(row, p) = A[p][row]: walk down a column of the stored matrix.
                    int src = aOff + pc * lda + row;
                    for (int p = 0; p < kc; p++, src += lda) {
                        dst[base + p * mr + i] = alpha * a[src];
                    }
                } else {
                    int src = aOff + row * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + i] = alpha * a[src + p];
                    }
                }
            }
            for (int i = rows; i < mr; i++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * mr + i] = 0f;
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc .. pc+kc, jc .. jc+nc)} into {@code ceil(nc/nr)} panels, panel {@code q}
     * at {@code dst[q * kc * nr]}, element {@code (p, j)} of a panel at {@code p*nr + j}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                      float[] dst, int nr) {
        int panels = (nc + nr - 1) / nr;
        for (int q = 0; q < panels; q++) {
            int base = q * kc * nr;
            int cols = Math.min(nr, nc - q * nr);
            int col0 = jc + q * nr;
            if (transB) {
                // op(B)(p, col) = B[col][p]: each stored row of B fills one column of the panel.
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (col0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * nr + j] = b[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (pc + p) * ldb + col0, dst, base + p * nr, cols);
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
