package io.gradus.kernels.gemm;

/**
 * The block sizes of one SGEMM micro-kernel, BLIS style (see KERNELS.md):
 * <ul>
 *   <li>{@code mr x nr}: the register tile the micro-kernel computes;</li>
 *   <li>{@code kc}: the depth of one rank-kc update (in BLIS, a {@code kc x nr} micro-panel of B
 *       stays in L1 while the micro-kernel sweeps the A panels; Gradus's table takes a larger kc,
 *       so that each tile of C is loaded and stored less often, and the micro-panels live in L2);</li>
 *   <li>{@code mc}: rows of A packed at once; the {@code mc x kc} block of A should stay in L2;</li>
 *   <li>{@code nc}: columns of B packed at once; the {@code kc x nc} block of B lives in L3;</li>
 *   <li>{@code order}: the order in which a thread visits the tiles of its block ({@link TileOrder}).</li>
 * </ul>
 * Invariants are checked here, once, when the record is built.
 */
public record GemmBlocking(int mr, int nr, int mc, int kc, int nc, TileOrder order) {

    /**
     * How one thread walks the tiles of C that its packed A rows and the packed B block make. Every
     * tile is computed by the same instructions in either order, so the bits are the same.
     */
    public enum TileOrder {
        /**
         * For each B micro-panel, every A micro-panel of the block (BLIS's loop order: jr outside,
         * ir inside). A B micro-panel is read from L3 once per A block and then from L1 or L2, but
         * consecutive tiles of C lie {@code mr} rows apart, a stride no hardware prefetcher follows.
         */
        B_PANEL_MAJOR("b-major"),
        /**
         * For each A micro-panel, every B micro-panel (ir outside, jr inside). The tile's
         * {@code mr} rows of C are swept left to right, {@code nr} floats at a time, so the
         * prefetcher streams them ahead of the tile (Java has no prefetch instruction, OpenBLAS's
         * kernels issue one on C), and the A micro-panel stays in L1. The price: the whole B block
         * is read from L3 once per A micro-panel, {@code 2 / mr} bytes per flop.
         */
        A_PANEL_MAJOR("a-major"),
        /**
         * {@link #A_PANEL_MAJOR} on the kc passes after a product's first, when the product's block
         * of C is too large for L2, {@link #B_PANEL_MAJOR} otherwise. Such a pass reads back the C
         * that the product's own earlier pass wrote, since pushed out to L3 or memory by the rest of
         * the product: those loads are what the prefetcher hides. A first pass (only C's stores, or
         * a C the caller has often just written) has nothing to gain for the extra reads of B.
         */
        A_PANEL_MAJOR_LATER_PASSES("a-major-later-passes");

        private final String label;

        TileOrder(String label) {
            this.label = label;
        }

        /**
         * Whether a pass visits A panel by A panel.
         *
         * @param laterPass whether the pass is one of the product's kc passes after the first
         * @param cBeyondL2 whether the pass's block of C is larger than L2
         */
        public boolean aPanelMajor(boolean laterPass, boolean cBeyondL2) {
            return this == A_PANEL_MAJOR || (this == A_PANEL_MAJOR_LATER_PASSES && laterPass && cBeyondL2);
        }

        /** The name used in the start-up line and in {@code -Dgradus.gemm.kernel}. */
        public String label() {
            return label;
        }

        /** The order named {@code label} ({@code b-major}, {@code a-major} or {@code a-major-later-passes}). */
        public static TileOrder parse(String label) {
            for (TileOrder o : values()) {
                if (o.label.equals(label)) return o;
            }
            throw new IllegalArgumentException("tile order = '" + label + "': expected b-major, a-major or a-major-later-passes");
        }
    }

    /** Block sizes in BLIS's tile order ({@link TileOrder#B_PANEL_MAJOR}). */
    public GemmBlocking(int mr, int nr, int mc, int kc, int nc) {
        this(mr, nr, mc, kc, nc, TileOrder.B_PANEL_MAJOR);
    }

    public GemmBlocking {
        if (mr < 1 || nr < 1 || mc < 1 || kc < 1 || nc < 1) {
            throw new IllegalArgumentException("block sizes must be >= 1: " + this);
        }
        if (order == null) {
            throw new IllegalArgumentException("order = null: expected a TileOrder");
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
