package io.gradus.kernels.internal;

import io.gradus.kernels.gemm.GemmBlocking;
import io.gradus.kernels.gemm.SgemmKernelFamily;
import io.gradus.kernels.gemm.SgemmMicroKernel;
import io.gradus.kernels.gemm.SgemmShape;


/**
 * The SGEMM's kernel table: which micro-kernel runs, with which block sizes, on which machine.
 * Chosen once at start-up from {@link CpuInfo} (BLIS keeps one such record per architecture);
 * {@code -Dgradus.gemm.kernel} overrides it.
 *
 * <h2>Tile shape, from the vector registers</h2>
 * <ul>
 *   <li>32 registers (x86 with AVX-512, AArch64): {@code 12x2v}, 24 accumulators.</li>
 *   <li>16 registers (x86 with AVX2 or AVX, or {@code -XX:UseAVX=2}): {@code 6x2v}, 12 accumulators
 *       (BLIS's Haswell tile), with a compiler fence between its rows. Unfenced, C2 issues all
 *       broadcasts of A at the top of the loop, so a tile of {@code r x 2v} needs {@code 2r + 2 + r}
 *       registers and 6x2v spilled (half speed); fenced it needs {@code 2r + 2 + 1} = 15. The fence
 *       is free on x86 only, and only x86 has 16 vector registers.</li>
 * </ul>
 *
 * <h2>Block sizes, from the caches</h2>
 * <ul>
 *   <li>{@code kc}, the depth of one rank-kc update: large, so that each tile of C is loaded and
 *       stored once per {@code kc} steps. The micro-panels of A ({@code mr x kc}) and B
 *       ({@code kc x nr}) together take at most a quarter of L2; {@code kc} is then a multiple of
 *       64 between 256 and 1024.</li>
 *   <li>{@code mc}, the rows of A packed at once: the {@code mc x kc} block of A takes at most half of
 *       L2 (a multiple of {@code mr}, at least {@code 2 mr}).</li>
 *   <li>{@code nc}, the columns of B packed at once: the {@code kc x nc} block of B takes at most
 *       half of the processors' share of L3 (a multiple of {@code nr}, between {@code 4 nr} and 4096).</li>
 * </ul>
 * The measurements behind these rules are in KERNELS.md.
 *
 * <h2>Tile order, from the vendor</h2>
 * With {@code kc} this large a B micro-panel (64-128 KiB) does not fit L1, so BLIS's reason for
 * visiting the tiles B micro-panel by B micro-panel does not hold here; what remains is that each B
 * micro-panel comes from L3 once per A block. Visiting them A micro-panel by A micro-panel
 * ({@link GemmBlocking.TileOrder#A_PANEL_MAJOR}) lets the hardware prefetcher stream C's rows ahead
 * of the tiles, at the price of reading the B block from L3 once per A micro-panel ({@code 2 / mr}
 * bytes per flop: about 33 GB/s for a core at 200 GFLOPS on 12x2v, or at 100 GFLOPS on 6x2v).
 * <ul>
 *   <li>AMD, every tile: {@code a-major-later-passes}, a-major on the kc passes after a product's
 *       first when its C is larger than L2, where C comes back from L3 or memory. An AMD core's L3
 *       (its CCD's) serves the extra reads of B at up to 32 bytes a cycle. On issue 25's Zen 5 guest
 *       this made the products at n = 2048 a few per cent faster or left them level, by the day,
 *       with either tile (KERNELS.md, "Tile order"). No product of LeNet's step qualifies (each is
 *       one kc pass), so the step runs the same code in either order.</li>
 *   <li>Everyone else: {@code b-major}. An Intel core reads its mesh L3 at about the rate a-major
 *       needs or less, and on 16 cores all of them would share it; this has not been measured.</li>
 * </ul>
 *
 * <h2>Override</h2>
 * {@code -Dgradus.gemm.kernel=SHAPE}, {@code SHAPE:mc,kc,nc} or {@code SHAPE:mc,kc,nc,ORDER}, for
 * example {@code 4x2v}, {@code 12x2v:96,1024,4096} or {@code 12x2v:120,1024,4096,a-major} (ORDER:
 * {@code b-major}, {@code a-major} or {@code a-major-later-passes}); without an order the blocking is
 * {@code b-major}. An unknown shape, order or malformed blocking fails at
 * start-up with a message naming the property.
 */
public final class SgemmTuning {

    /** System property that overrides the shape and, optionally, the blocking. */
    public static final String KERNEL_PROPERTY = "gradus.gemm.kernel";

    /** Shape for machines with 32 vector registers. */
    static final SgemmShape SHAPE_32_REGISTERS = new SgemmShape(12, 2);
    /** Shape for machines with 16 vector registers. */
    static final SgemmShape SHAPE_16_REGISTERS = new SgemmShape(6, 2);

    private SgemmTuning() {}

    /** What was chosen and why, for the start-up log line and the benchmark files. */
    public record Choice(SgemmMicroKernel kernel, String reason) {
        public String describe() {
            GemmBlocking b = kernel.blocking();
            return kernel.name() + " mc=" + b.mc() + " kc=" + b.kc() + " nc=" + b.nc() + " " + b.order().label()
                    + " (" + reason + ")";
        }
    }

    /**
     * The kernel for this machine.
     *
     * @param cpu      the machine
     * @param family   the kernels available (Vector API or scalar)
     * @param override the value of {@link #KERNEL_PROPERTY}, or null
     */
    public static Choice choose(CpuInfo cpu, SgemmKernelFamily family, String override) {
        SgemmShape shape;
        GemmBlocking blocking;
        String reason;
        if (override != null && !override.isBlank()) {
            String text = override.trim();
            int colon = text.indexOf(':');
            try {
                shape = SgemmShape.parse(colon < 0 ? text : text.substring(0, colon));
                if (!family.shapes().contains(shape)) {
                    throw new IllegalArgumentException("the " + family.description() + " kernels have " + family.shapes());
                }
                int nr = shape.vectors() * family.vectorFloats();
                blocking = colon < 0 ? blocking(shape, nr, cpu) : parseBlocking(shape.rows(), nr, text.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + KERNEL_PROPERTY + " = '" + override + "': " + e.getMessage()
                        + "; expected SHAPE, SHAPE:mc,kc,nc or SHAPE:mc,kc,nc,ORDER, e.g. 12x2v, 4x2v:96,1024,4096"
                        + " or 12x2v:120,1024,4096,a-major (ORDER: b-major, a-major or a-major-later-passes)", e);
            }
            reason = "-D" + KERNEL_PROPERTY + "=" + text;
        } else {
            shape = defaultShape(family, cpu.vectorRegisters());
            int nr = shape.vectors() * family.vectorFloats();
            blocking = blocking(shape, nr, cpu);
            reason = family.vectorFloats() == 1 ? "scalar fallback" : "for " + cpu.vectorRegisters() + " vector registers";
        }
        return new Choice(family.create(shape, blocking), reason);
    }

    /** The family's shape for a machine with this many vector registers. */
    static SgemmShape defaultShape(SgemmKernelFamily family, int vectorRegisters) {
        if (family.shapes().size() == 1) return family.shapes().getFirst();
        return vectorRegisters >= 32 ? SHAPE_32_REGISTERS : SHAPE_16_REGISTERS;
    }

    /** Block sizes for a tile of {@code mr x nr} on this machine (rules in the class comment). */
    static GemmBlocking blocking(SgemmShape shape, int nr, CpuInfo cpu) {
        int mr = shape.rows();
        long floatsL2 = cpu.l2Bytes() / Float.BYTES;
        int kc = (int) Math.clamp(floatsL2 / 4 / (mr + nr) / 64 * 64, 256, 1024);
        int mc = (int) Math.max(2L * mr, floatsL2 / 2 / kc / mr * mr);
        long floatsL3 = cpu.l3BytesPerCore() * cpu.processors() / Float.BYTES;
        int nc = (int) Math.clamp(floatsL3 / 2 / kc / nr * nr, 4L * nr, 4096 / nr * nr);
        GemmBlocking.TileOrder order = cpu.amd()
                ? GemmBlocking.TileOrder.A_PANEL_MAJOR_LATER_PASSES : GemmBlocking.TileOrder.B_PANEL_MAJOR;
        return new GemmBlocking(mr, nr, mc, kc, nc, order);
    }

    private static GemmBlocking parseBlocking(int mr, int nr, String text) {
        String[] parts = text.split(",");
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException("blocking '" + text + "' has " + parts.length + " fields, expected mc,kc,nc or mc,kc,nc,ORDER");
        }
        GemmBlocking.TileOrder order = parts.length == 4 ? GemmBlocking.TileOrder.parse(parts[3].trim())
                : GemmBlocking.TileOrder.B_PANEL_MAJOR;
        try {
            return new GemmBlocking(mr, nr, Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()), order);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("blocking '" + text + "' is not three whole numbers", e);
        }
    }
}
