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
 * rows of A, as BLIS parallelizes its ic loop across cores: in each {@code kc x nc} block a member
 * packs the rows it claims, at most {@code mc} at a time, into its own region of the buffer (its A
 * block stays in its own L2; nobody else reads or writes that region, so no barrier is needed
 * around it), and multiplies them by every B micro-panel, which all members read at about the same
 * time, so it comes from memory once and from L3 for the others. Which rows a member claims is
 * {@link RowPanelClaims}'s: its own contiguous share of the A panels, block by block from the
 * front, and, once that is done, blocks from the back of another member's share. Shared hosts slow
 * one core down for seconds at a time; with fixed shares the other member then waited at the
 * barrier for the difference. Where the A panels do not share out evenly among many members (86
 * panels on 16), each block's columns are also cut into parts and the members claim (A panel, part)
 * pairs instead ({@link #columnParts}). Products with too few rows for that (fewer than
 * {@link #ROW_SPLIT_MIN_PANELS} A panels per member) share one packed A block instead (members pack
 * alternate panels, meet at a barrier, and split the block's tiles contiguously in jr-major order,
 * so a B micro-panel stays in one core's L1), with a barrier before it is refilled.
 *
 * <p>Each packed element is written once, however many threads there are (but for an A panel
 * whose column parts go to different members: each packs its own copy), and each tile of C is
 * always computed by the same sequence of operations (the split of {@code k} into {@code kc}
 * blocks does not depend on the team): results do not depend on the team's size. Partial tiles at
 * the bottom and right edges are computed by the same micro-kernel into a scratch tile and merged
 * into C by {@link #mergeEdgeTile}: the single place edges are handled on the output side.
 */
final class BlockedSgemm {

    /** Below this many A panels per member, the members share the block's tiles instead of its rows. */
    static final int ROW_SPLIT_MIN_PANELS = 4;

    /**
     * The smallest block of A panels a member claims while others still have rows (the last of a
     * share may be smaller): each block streams the whole packed B block through the core once, so
     * blocks of one panel would double that traffic for the last rows.
     */
    static final int MIN_CLAIM_PANELS = 2;

    /** The most column parts {@link #columnParts} cuts a block into. */
    static final int MAX_COLUMN_PARTS = 4;

    /** Packing buffers and the team's claims on rows, reused across calls so the hot path allocates nothing. */
    static final class Workspace {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        RowPanelClaims claims = new RowPanelClaims(1);

        /** Sized for a team of {@code members}: up to {@code mc x members} rows of A at once. */
        Workspace ensure(GemmBlocking blk, int members) {
            long aSize = (long) blk.packedASize() * members;
            if (aSize > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("packed A block of " + aSize + " floats (mc = " + blk.mc()
                        + ", kc = " + blk.kc() + ", " + members + " threads): expected at most " + (Integer.MAX_VALUE - 8));
            }
            if (packedA.length < aSize) packedA = new float[(int) aSize];
            if (packedB.length < blk.packedBSize()) packedB = new float[blk.packedBSize()];
            if (claims.members() != members) claims = new RowPanelClaims(members);
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
        RowPanelClaims claims = shared.claims;
        float[] tile = EDGE_TILE.get();
        if (tile.length < mr * nr) EDGE_TILE.set(tile = new float[mr * nr]);

        // Rows split among the members when each gets enough panels; otherwise one shared block of
        // mc rows at a time, split by tiles.
        int panelsM = ceilDiv(m, mr);
        boolean splitRows = members == 1 || panelsM >= ROW_SPLIT_MIN_PANELS * members;
        int maxClaimPanels = blk.mc() / mr; // one member's region of the packed A buffer

        for (int jc = 0; jc < n; jc += blk.nc()) {
            int nc = Math.min(blk.nc(), n - jc);
            int panelsB = ceilDiv(nc, nr);
            for (int pc = 0; pc < k; pc += blk.kc()) {
                int kc = Math.min(blk.kc(), k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                Packing.packB(transB, b, bOff, ldb, pc, jc, kc, nc, packedB, kernel, me, members);
                if (splitRows) {
                    // The units of work: (A panel, column part) pairs, numbered part by part.
                    int parts = columnParts(panelsM, panelsB, members);
                    // Nobody claims between the barrier that ended the previous block and this one.
                    claims.reset(me, panelsM * parts);
                    team.barrier(); // packed B complete, every share reset
                    int regionBase = me * blk.mc() * kc;
                    for (long block; (block = claims.claim(me, maxClaimPanels, MIN_CLAIM_PANELS)) != RowPanelClaims.NONE; ) {
                        // A block of units can run across the end of one column part into the next:
                        // one piece per part, each packing its own panels (one piece when parts == 1).
                        int unit = RowPanelClaims.first(block), end = RowPanelClaims.end(block);
                        while (unit < end) {
                            int part = unit / panelsM, firstPanel = unit % panelsM;
                            int endPanel = Math.min(panelsM, firstPanel + end - unit);
                            unit += endPanel - firstPanel;
                            multiplyPanels(kernel, transA, a, aOff, lda, alpha, m, pc, kc, firstPanel, endPanel, packedA, regionBase,
                                    packedB, jc, nc, (int) ((long) panelsB * part / parts), (int) ((long) panelsB * (part + 1) / parts),
                                    tile, c, cOff, ldc, betaBlock);
                        }
                    }
                    team.barrier(); // everyone is done with packed B before it is refilled
                } else {
                    for (int ic = 0; ic < m; ic += blk.mc()) {
                        int mc = Math.min(blk.mc(), m - ic);
                        int panelsA = ceilDiv(mc, mr);
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
            }
        }
    }

    /**
     * One member's work on its claim: packs A panels {@code [firstPanel, endPanel)} of the
     * {@code kc} block at {@code pc} into its region of the buffer and multiplies them by B
     * micro-panels {@code [jrFrom, jrTo)} of the packed block, in the blocking's
     * {@link GemmBlocking.TileOrder}.
     */
    private static void multiplyPanels(SgemmMicroKernel kernel, boolean transA, float[] a, int aOff, int lda, float alpha,
                                       int m, int pc, int kc, int firstPanel, int endPanel, float[] packedA, int regionBase,
                                       float[] packedB, int jc, int nc, int jrFrom, int jrTo, float[] tile,
                                       float[] c, int cOff, int ldc, float beta) {
        GemmBlocking blk = kernel.blocking();
        int mr = blk.mr(), nr = blk.nr();
        int ic = firstPanel * mr;
        int mc = Math.min(m, endPanel * mr) - ic;
        int panelsA = endPanel - firstPanel;
        Packing.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, packedA, regionBase, mr, 0, panelsA, 1);
        // The pass's block of C (m x nc) against L2, measured as the blocking sized it: the packed
        // A block (mc x kc) takes half of L2.
        boolean cBeyondL2 = (long) m * nc > 2L * blk.packedASize();
        if (blk.order().aPanelMajor(pc > 0, cBeyondL2)) {
            for (int ir = 0; ir < panelsA; ir++) {
                for (int jr = jrFrom; jr < jrTo; jr++) {
                    tile(kernel, packedA, regionBase, packedB, tile, ir, jr, kc, mc, nc, mr, nr,
                            c, cOff + (ic + ir * mr) * ldc + jc + jr * nr, ldc, beta);
                }
            }
        } else {
            for (int jr = jrFrom; jr < jrTo; jr++) {
                for (int ir = 0; ir < panelsA; ir++) {
                    tile(kernel, packedA, regionBase, packedB, tile, ir, jr, kc, mc, nc, mr, nr,
                            c, cOff + (ic + ir * mr) * ldc + jc + jr * nr, ldc, beta);
                }
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

    /**
     * Into how many column parts the row split cuts each {@code kc x nc} block. The work comes in
     * whole units ({@code panelsM x parts} of them: an A panel times a part of the B block), so the
     * busiest member does {@code ceil(units / members)} while the mean is {@code units / members}.
     * With 86 panels (n = 1024, mr = 12) on 16 members that is 6 panels against 5.375, 10% of the
     * product spent waiting at the barrier; in halves of the columns, 11 halves against 10.75. The
     * answer is the fewest parts (at most {@link #MAX_COLUMN_PARTS}, at most one per B micro-panel)
     * that bring the busiest member within 5% of the mean, else the most even of those tried. Fewer is
     * better: an A panel whose parts go to different members is packed by each of them (packing a
     * panel costs {@code 1 / nc} of multiplying it), and each part streams its own B micro-panels.
     *
     * @param panelsM A panels in the product ({@code ceil(m / mr)})
     * @param panelsB B micro-panels in the block ({@code ceil(nc / nr)})
     * @param members the team's size
     */
    static int columnParts(int panelsM, int panelsB, int members) {
        int best = 1;
        double bestExcess = Double.MAX_VALUE;
        for (int parts = 1; parts <= Math.min(panelsB, MAX_COLUMN_PARTS); parts++) {
            long units = (long) panelsM * parts;
            // the busiest member's units over the mean, minus one
            double excess = (double) ceilDiv(units, members) * members / units - 1;
            if (excess <= 0.05) return parts;
            if (excess < bestExcess) {
                best = parts;
                bestExcess = excess;
            }
        }
        return best;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static long ceilDiv(long x, long y) {
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
