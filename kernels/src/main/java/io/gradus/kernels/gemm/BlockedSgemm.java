package io.gradus.kernels.gemm;

import io.gradus.kernels.Parallel.Team;

/**
 * The five loops around the micro-kernel (BLIS, Van Zee and van de Geijn 2015), run by every
 * member of a {@link Team}:
 * <pre>
 * for jc in [0, n) step NC
 *   for pc in [0, k) step KC
 *     pack B(pc, jc) -> shared kc x nc block (L3); members pack alternate panels    | barrier
 *     for ic in [0, m) step MC
 *       pack A(ic, pc) -> shared mc x kc block (L2); members pack alternate panels   | barrier
 *       for jr in [0, nc) step NR           B micro-panel kc x nr stays in L1
 *         for ir in [0, mc) step MR          (the jr x ir tiles are split among members)
 *           micro-kernel: C(ic+ir, jc+jr) = beta' * C + A panel * B panel
 *                                                                                   | barrier
 * </pre>
 * beta applies at the first {@code pc} block only; later blocks accumulate (beta' = 1).
 * Each packed element is written once, however many threads there are, and each tile of C is
 * always computed by the same sequence of operations: results do not depend on the team's size.
 * Partial tiles at the bottom and right edges are computed by the same micro-kernel into a
 * scratch tile and merged into C by {@link #mergeEdgeTile}: the single place edges are handled
 * on the output side.
 */
final class BlockedSgemm {

    /** Packing buffers, reused across calls so the hot path allocates nothing. */
    static final class Workspace {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        float[] tile = new float[0];

        Workspace ensure(GemmBlocking blk) {
            if (packedA.length < blk.packedASize()) packedA = new float[blk.packedASize()];
            if (packedB.length < blk.packedBSize()) packedB = new float[blk.packedBSize()];
            if (tile.length < blk.mr() * blk.nr()) tile = new float[blk.mr() * blk.nr()];
            return this;
        }
    }

    /**
     * Per thread. The calling thread's packed blocks are the ones its team shares; every member
     * uses its own edge tile.
     */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private BlockedSgemm() {}

    /** The calling thread's workspace, sized for the blocking: the packed blocks a team shares. */
    static Workspace workspace(GemmBlocking blk) {
        return WORKSPACE.get().ensure(blk);
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}; arguments already validated, {@code m, n, k >= 1}.
     * Every member of {@code team} calls this with the same arguments and the same {@code shared}.
     */
    static void run(Team team, Workspace shared, SgemmMicroKernel kernel, boolean transA, boolean transB,
                    int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        GemmBlocking blk = kernel.blocking();
        int mr = blk.mr(), nr = blk.nr();
        int me = team.index(), members = team.size();
        float[] packedA = shared.packedA, packedB = shared.packedB;
        float[] tile = workspace(blk).tile;

        for (int jc = 0; jc < n; jc += blk.nc()) {
            int nc = Math.min(blk.nc(), n - jc);
            int panelsB = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += blk.kc()) {
                int kc = Math.min(blk.kc(), k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                Packing.packB(transB, b, bOff, ldb, pc, jc, kc, nc, packedB, nr, me, members);
                for (int ic = 0; ic < m; ic += blk.mc()) {
                    int mc = Math.min(blk.mc(), m - ic);
                    int panelsA = (mc + mr - 1) / mr;
                    Packing.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, packedA, mr, me, members);
                    team.barrier(); // packed A (and, the first time, packed B) complete
                    // Tiles in jr-major order, a contiguous share per member: consecutive tiles
                    // reuse the B micro-panel in L1.
                    int tiles = panelsB * panelsA;
                    int first = (int) ((long) tiles * me / members);
                    int last = (int) ((long) tiles * (me + 1) / members);
                    for (int t = first; t < last; t++) {
                        int jr = (t / panelsA) * nr, ir = (t % panelsA) * mr;
                        int cols = Math.min(nr, nc - jr), rows = Math.min(mr, mc - ir);
                        int aPanel = (ir / mr) * kc * mr, bPanel = (jr / nr) * kc * nr;
                        int cTile = cOff + (ic + ir) * ldc + jc + jr;
                        if (rows == mr && cols == nr) {
                            kernel.compute(kc, packedA, aPanel, packedB, bPanel, c, cTile, ldc, betaBlock);
                        } else {
                            kernel.compute(kc, packedA, aPanel, packedB, bPanel, tile, 0, nr, 0f);
                            mergeEdgeTile(tile, nr, rows, cols, betaBlock, c, cTile, ldc);
                        }
                    }
                    team.barrier(); // everyone is done with packed A (and B) before they are refilled
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
