package io.gradus.kernels.gemm;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the contiguous micro-panels the micro-kernel
 * streams through (layout in KERNELS.md). Rows or columns past the edge of the matrix are filled
 * with zeros, so partial tiles need no special case in the micro-kernel: this is the one place
 * they are handled on the input side.
 *
 * <p>Panels lie {@code kc * mr} or {@code kc * nr} floats apart, often a multiple of 4 KiB, so
 * they share cache sets: B used to be written across all panels row by row, which made its stores
 * conflict misses in L1 and L2 (1.3-2.4 ns per element on a Zen 4 core, 0.4-0.9 panel by panel).
 * A is packed panel by panel. B is packed in groups of panels that cover a page of each stored row,
 * a few rows into one panel at a time ({@link #groupPanels}, {@link #packBRows}): one panel at a
 * time, reading a panel's 64 or 128 bytes of each row touched a new page at every row.
 */
final class Packing {
    /** Values of p (the k index) copied per pass over one panel of a transposed B. */
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
     * at {@code dst[q * kc * nr]}, element {@code (p, j)} of a panel at {@code p*nr + j}. The panels
     * are packed in groups of {@link #groupPanels}; member {@code member} of a team of
     * {@code members} packs groups {@code member, member + members, ...}. {@code nr} is the
     * kernel's, and so is the copy of a B that is not transposed
     * ({@link SgemmMicroKernel#packRowsOfB}).
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                      float[] dst, SgemmMicroKernel kernel, int member, int members) {
        int nr = kernel.blocking().nr();
        int panels = (nc + nr - 1) / nr;
        int group = groupPanels(panels, nr, members);
        for (int q0 = member * group; q0 < panels; q0 += members * group) {
            int q1 = Math.min(panels, q0 + group);
            if (!transB) {
                packBRows(b, bOff, ldb, pc, jc, kc, nc, dst, kernel, q0, q1);
            } else {
                for (int q = q0; q < q1; q++) {
                    packBTransposedPanel(b, bOff, ldb, pc, jc, kc, nc, dst, nr, q);
                }
            }
        }
    }

    /** Bytes of each stored row of B that one group of panels covers: one 4 KiB page. */
    static final int ROW_RUN_BYTES = 4096;

    /** Rows of B copied into one panel before moving to the next panel of the group. */
    static final int ROWS_PER_PASS = 8;

    private static final int CACHE_LINE_BYTES = 64;

    /**
     * Panels per group: enough to cover {@link #ROW_RUN_BYTES} of each stored row, or fewer so that
     * every member of the team gets a group; panels whose rows are narrower than a cache line
     * ({@code nr = 8}, 128-bit vectors) are packed one at a time.
     */
    static int groupPanels(int panels, int nr, int members) {
        int panelRowBytes = Float.BYTES * nr;
        if (panelRowBytes < CACHE_LINE_BYTES) return 1;
        int perRun = Math.max(1, ROW_RUN_BYTES / panelRowBytes);
        int perMember = (panels + members - 1) / members;
        return Math.max(1, Math.min(perRun, perMember));
    }

    /**
     * Panels {@code [q0, q1)} of a B that is not transposed, {@link #ROWS_PER_PASS} rows of B at a
     * time: for each panel in turn, those rows' {@code nr} floats go to {@code ROWS_PER_PASS * nr}
     * contiguous floats of the panel. The group reads a whole page of each of those rows, so the
     * hardware prefetcher streams it (one panel's 64 or 128 bytes of a row 8 KiB long touched a new
     * page at every row), and each panel receives a contiguous run (writing one row into every
     * panel of the group, 64 or 128 KiB apart, was slower, likely because their lines share one L2
     * set). On the Zen 5 guest this packed a 2048 x 2048 B 1.5-2x faster at nr = 16 and 32;
     * the figures and the nr = 8 exception are in KERNELS.md ("Micro-kernels and blocking", on packing).
     * A full panel's rows are copied by the kernel, with vectors of its width where it has them;
     * the partial last panel here, padded with zeros.
     */
    private static void packBRows(float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                                  float[] dst, SgemmMicroKernel kernel, int q0, int q1) {
        int nr = kernel.blocking().nr();
        int rowsPerPass = q1 - q0 == 1 ? kc : ROWS_PER_PASS; // one panel: no other panel to interleave with
        for (int p0 = 0; p0 < kc; p0 += rowsPerPass) {
            int p1 = Math.min(kc, p0 + rowsPerPass);
            for (int q = q0; q < q1; q++) {
                int cols = Math.min(nr, nc - q * nr); // only the matrix's last panel can be partial
                int src = bOff + (pc + p0) * ldb + jc + q * nr;
                int d = q * kc * nr + p0 * nr;
                if (cols == nr) {
                    kernel.packRowsOfB(p1 - p0, b, src, ldb, dst, d);
                    continue;
                }
                for (int p = p0; p < p1; p++, src += ldb, d += nr) {
                    System.arraycopy(b, src, dst, d, cols);
                    Arrays.fill(dst, d + cols, d + nr, 0f);
                }
            }
        }
    }

    /**
     * Panel {@code q} of a transposed B: op(B)(p, col) = B[col][p], so each stored row of B fills
     * one column of the panel, {@link #CHUNK} values of p at a time so that a long stored row is
     * read a few lines at a time across the panel's columns.
     */
    private static void packBTransposedPanel(float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                                             float[] dst, int nr, int q) {
        int base = q * kc * nr;
        int cols = Math.min(nr, nc - q * nr);
        int col0 = jc + q * nr;
        for (int p0 = 0; p0 < kc; p0 += CHUNK) {
            int p1 = Math.min(kc, p0 + CHUNK);
            for (int j = 0; j < cols; j++) {
                int src = bOff + (col0 + j) * ldb + pc;
                for (int p = p0; p < p1; p++) {
                    dst[base + p * nr + j] = b[src + p];
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
