package io.gradus.kernels.gemm;


/**
 * The five loops around the micro-kernel (BLIS, Van Zee and van de Geijn 2015), run by one
 * thread on one block of C:
 * <pre>
 * for jc in [0, n) step NC                       B block kc x nc   -> L3
 *   for pc in [0, k) step KC      pack B(pc, jc)
 *     for ic in [0, m) step MC    pack A(ic, pc)  A block mc x kc   -> L2
 *       for jr in [0, nc) step NR                 B micro-panel     -> L1
 *         for ir in [0, mc) step MR
 *           micro-kernel: C(ic+ir, jc+jr) = beta' * C + A panel * B panel
 * </pre>
 * beta applies at the first {@code pc} block only; later blocks accumulate (beta' = 1).
 * Partial tiles at the bottom and right edges are computed by the same micro-kernel into a
 * scratch tile and merged into C by {@link #mergeEdgeTile}: the single place edges are handled
 * on the output side.
 */
final class BlockedSgemm {

    /** Per-thread packing buffers, reused across calls so the hot path allocates nothing. */
    static final class Workspace {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        float[] tile = new float[0];

        void ensure(GemmBlocking blk) {
            if (packedA.length < blk.packedASize()) packedA = new float[blk.packedASize()];
            if (packedB.length < blk.packedBSize()) packedB = new float[blk.packedBSize()];
            if (tile.length < blk.mr() * blk.nr()) tile = new float[blk.mr() * blk.nr()];
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private BlockedSgemm() {}

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} for the block of rows {@code [i0, i0+m)} and
     * columns {@code [j0, j0+n)} of C; arguments already validated, {@code m, n, k >= 1}.
     */
    static void run(SgemmMicroKernel kernel, boolean transA, boolean transB, int i0, int j0,
                    int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        GemmBlocking blk = kernel.blocking();
        int mr = blk.mr(), nr = blk.nr();
        Workspace ws = WORKSPACE.get();
        ws.ensure(blk);
        float[] packedA = ws.packedA, packedB = ws.packedB, tile = ws.tile;

        for (int jc = 0; jc < n; jc += blk.nc()) {
            int nc = Math.min(blk.nc(), n - jc);
            for (int pc = 0; pc < k; pc += blk.kc()) {
                int kc = Math.min(blk.kc(), k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                Packing.packB(transB, b, bOff, ldb, pc, j0 + jc, kc, nc, packedB, nr);
                for (int ic = 0; ic < m; ic += blk.mc()) {
                    int mc = Math.min(blk.mc(), m - ic);
                    Packing.packA(transA, a, aOff, lda, i0 + ic, pc, mc, kc, alpha, packedA, mr);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int bPanel = (jr / nr) * kc * nr;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int aPanel = (ir / mr) * kc * mr;
                            int cTile = cOff + (i0 + ic + ir) * ldc + j0 + jc + jr;
                            if (rows == mr && cols == nr) {
                                kernel.compute(kc, packedA, aPanel, packedB, bPanel, c, cTile, ldc, betaBlock);
                            } else {
                                kernel.compute(kc, packedA, aPanel, packedB, bPanel, tile, 0, nr, 0f);
                                mergeEdgeTile(tile, nr, rows, cols, betaBlock, c, cTile, ldc);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code C[0:rows, 0:cols] = beta*C + tile} (C not read when beta == 0). */
    private static void mergeEdgeTile(float[] tile, int nr, int rows, int cols, float beta,
                                      float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int ci = cOff + i * ldc + j;
                float t = tile[i * nr + j];
                c[ci] = beta == 0f ? t : Math.fma(beta, c[ci], t);
            }
        }
    }
}
