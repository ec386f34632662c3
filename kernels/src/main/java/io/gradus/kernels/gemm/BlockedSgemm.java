package io.gradus.kernels.gemm;

import io.gradus.kernels.Parallel.Team;

/**
 * The five loops around the micro-kernel (BLIS, Van Zee and van de Geijn 2015), run by every
 * member of a {@link Team}:
 * <pre>
 * for jc in [0, n) step NC
 *   for pc in [0, k) step KC
 *     pack B(pc, jc) -> shared kc x nc block (L3); members pack alternate panels      | barrier
 *     for ic in [0, m) step MC'                MC' = the team's rows (below)
 *       pack A(ic, pc) -> mc' x kc block
 *       for jr in [0, nc) step NR              B micro-panel kc x nr, read by every member
 *         for ir in [0, mc') step MR           A micro-panels: split among the members
 *           micro-kernel: C(ic+ir, jc+jr) = beta' * C + A panel * B panel
 *                                                                                     | barrier
 * </pre>
 * beta applies at the first {@code pc} block only; later blocks accumulate (beta' = 1).
 *
 * <p><b>How a team splits the work.</b> Cores have private L2 caches, so each member takes its own
 * rows of A, as BLIS parallelizes its ic loop across cores: a block of up to {@code mc x members}
 * rows is packed each pass, each member packing and computing its own share of at most {@code mc}
 * rows into its own region of the buffer (its A block stays in its own L2, and no barrier is needed
 * around it: the share's place in the block changes with the block's size, the region does not),
 * while every B micro-panel is read by all members at about the same time, so it comes from memory
 * once and from L3 for the others. The
 * blocks are balanced: {@code m} is cut into equal blocks of at most {@code mc x members} rows.
 * Products with too few rows for that (fewer than {@link #ROW_SPLIT_MIN_PANELS} A panels per
 * member) share one packed A block instead (members pack alternate panels, meet at a barrier, and
 * split the block's tiles contiguously in jr-major order, so a B micro-panel stays in one core's
 * L1), with a barrier before it is refilled.
 *
 * <p>Each packed element is written once, however many threads there are, and each tile of C is
 * always computed by the same sequence of operations (the split of {@code k} into {@code kc}
 * blocks does not depend on the team): results do not depend on the team's size. Partial tiles at
 * the bottom and right edges are computed by the same micro-kernel into a scratch tile and merged
 * into C by {@link #mergeEdgeTile}: the single place edges are handled on the output side.
 */
final class BlockedSgemm {

    /** Below this many A panels per member in a block, the members share the block's tiles instead of its rows. */
    static final int ROW_SPLIT_MIN_PANELS = 4;

    /** Packing buffers, reused across calls so the hot path allocates nothing. */
    static final class Workspace {
        float[] packedA = new float[0];
        float[] packedB = new float[0];

        /** Sized for a team of {@code members}: up to {@code mc x members} rows of A at once. */
        Workspace ensure(GemmBlocking blk, int members) {
            long aSize = (long) blk.packedASize() * members;
            if (aSize > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("packed A block of " + aSize + " floats (mc = " + blk.mc()
                        + ", kc = " + blk.kc() + ", " + members + " threads): expected at most " + (Integer.MAX_VALUE - 8));
            }
            if (packedA.length < aSize) packedA = new float[(int) aSize];
            if (packedB.length < blk.packedBSize()) packedB = new float[blk.packedBSize()];
            return this;
        }
    }

    /** Per calling thread: the packed blocks its team shares. */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Per member: the scratch tile of the partial tiles at the edges. */
    private static final ThreadLocal<float[]> EDGE_TILE = ThreadLocal.withInitial(() -> new float[0]);

    private BlockedSgemm() {}

    /** The calling thread's workspace, sized for the blocking and a team of {@code members}: the packed blocks a team shares. */
    static Workspace workspace(GemmBlocking blk, int members) {
        return WORKSPACE.get().ensure(blk, members);
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}; arguments already validated, {@code m, n, k >= 1}.
     * Every member of {@code team} calls this with the same arguments and the same {@code shared},
     * which {@link #workspace} sized for the team.
     */
    static void run(Team team, Workspace shared, SgemmMicroKernel kernel, boolean transA, boolean transB,
                    int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        GemmBlocking blk = kernel.blocking();
        int mr = blk.mr(), nr = blk.nr();
        int me = team.index(), members = team.size();
        float[] packedA = shared.packedA, packedB = shared.packedB;
        float[] tile = EDGE_TILE.get();
        if (tile.length < mr * nr) EDGE_TILE.set(tile = new float[mr * nr]);

        // Rows per pass: equal blocks of at most mc x members rows, split by rows when each member
        // gets enough panels; otherwise one shared block of mc rows, split by tiles.
        int blocksM = ceilDiv(m, blk.mc() * members);
        int rowsPerPass = ceilDiv(ceilDiv(m, blocksM), mr * members) * mr * members; // whole panels for every member
        boolean splitRows = members == 1 || ceilDiv(rowsPerPass, mr) >= ROW_SPLIT_MIN_PANELS * members;
        if (!splitRows) rowsPerPass = blk.mc();

        for (int jc = 0; jc < n; jc += blk.nc()) {
            int nc = Math.min(blk.nc(), n - jc);
            int panelsB = ceilDiv(nc, nr);
            for (int pc = 0; pc < k; pc += blk.kc()) {
                int kc = Math.min(blk.kc(), k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                Packing.packB(transB, b, bOff, ldb, pc, jc, kc, nc, packedB, nr, me, members);
                if (splitRows) team.barrier(); // packed B complete (the shared-block path meets below)
                for (int ic = 0; ic < m; ic += rowsPerPass) {
                    int mc = Math.min(rowsPerPass, m - ic);
                    int panelsA = ceilDiv(mc, mr);
                    if (splitRows) {
                        // This member's rows only, packed into its own region (mc x kc floats from
                        // me * mc * kc), which nobody else reads or writes.
                        int first = (int) ((long) panelsA * me / members);
                        int last = (int) ((long) panelsA * (me + 1) / members);
                        int aBase = (me * blk.mc() - first * mr) * kc; // panel ir at aBase + ir * kc * mr
                        Packing.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, packedA, aBase, mr, first, last, 1);
                        for (int jr = 0; jr < panelsB; jr++) {
                            for (int ir = first; ir < last; ir++) {
                                tile(kernel, packedA, aBase, packedB, tile, ir, jr, kc, mc, nc, mr, nr,
                                        c, cOff + (ic + ir * mr) * ldc + jc + jr * nr, ldc, betaBlock);
                            }
                        }
                    } else {
                        Packing.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, packedA, 0, mr, me, panelsA, members);
                        team.barrier(); // packed A (and, the first time, packed B) complete
                        // Tiles in jr-major order, a contiguous share per member: consecutive tiles
                        // reuse the B micro-panel in L1.
                        int tiles = panelsB * panelsA;
                        int first = (int) ((long) tiles * me / members);
                        int last = (int) ((long) tiles * (me + 1) / members);
                        for (int t = first; t < last; t++) {
                            int jr = t / panelsA, ir = t % panelsA;
                            tile(kernel, packedA, 0, packedB, tile, ir, jr, kc, mc, nc, mr, nr,
                                    c, cOff + (ic + ir * mr) * ldc + jc + jr * nr, ldc, betaBlock);
                        }
                        team.barrier(); // everyone is done with packed A before it is refilled
                    }
                }
                if (splitRows) team.barrier(); // everyone is done with packed B before it is refilled
            }
        }
    }

    /**
     * Tile (ir, jr) of the packed blocks (A panel ir at {@code aBase + ir * kc * mr}) into C at
     * {@code cTile}: in place when full, through the edge tile otherwise.
     */
    private static void tile(SgemmMicroKernel kernel, float[] packedA, int aBase, float[] packedB, float[] edge, int ir, int jr,
                             int kc, int mc, int nc, int mr, int nr, float[] c, int cTile, int ldc, float beta) {
        int rows = Math.min(mr, mc - ir * mr), cols = Math.min(nr, nc - jr * nr);
        int aPanel = aBase + ir * kc * mr, bPanel = jr * kc * nr;
        if (rows == mr && cols == nr) {
            kernel.compute(kc, packedA, aPanel, packedB, bPanel, c, cTile, ldc, beta);
        } else {
            kernel.compute(kc, packedA, aPanel, packedB, bPanel, edge, 0, nr, 0f);
            mergeEdgeTile(edge, nr, rows, cols, beta, c, cTile, ldc);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
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
