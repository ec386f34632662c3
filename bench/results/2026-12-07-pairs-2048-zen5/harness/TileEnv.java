import io.gradus.kernels.gemm.SgemmMicroKernel;
import io.gradus.kernels.internal.CpuInfo;
import io.gradus.kernels.internal.SgemmTuning;
import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.Arrays;
import java.util.Random;

/**
 * The SGEMM tile's rate in the surroundings the blocked product gives it, one factor at a time
 * (exploratory, not JMH). One "pass" calls the shipped kernel (the table's choice, or
 * {@code -Dgradus.gemm.kernel}) as {@code BlockedSgemm} does at n = 2048 on one thread in
 * {@code b-major} order: 16 blocks of 126 rows, each over 128 B micro-panels, each of those over the
 * block's 21 A micro-panels, kc = 1024. The A block is the same packed 126 x 1024 block every time
 * (in L2), so only B and C vary:
 * <ul>
 *   <li>{@code hot}: one B micro-panel for every tile, C a compact 126 x 16 scratch (both stay in cache);
 *   <li>{@code bigB}: the B micro-panels of a packed block of {@code -Dpb} panels (128: 8 MiB, the product's
 *       kc x nc block at n = 2048), so each panel comes from L3 or memory at its first tile;
 *   <li>{@code bigC}: each tile in its place in a 2048 x 2048 C (16 MiB), written ({@code b0}, beta = 0)
 *       or read and written ({@code b1}, beta = 1);
 *   <li>{@code touch}: before each tile, one float of each line of a 1/21 slice of the next B
 *       micro-panel is loaded (Java has no prefetch instruction; OpenBLAS prefetches the next B panel).
 * </ul>
 * Usage: {@code java --add-modules jdk.incubator.vector -XX:UseAVX=2 [-Dpb=128] -cp .:KERNELS_JAR TileEnv ROUNDS};
 * each variant runs one pass per round, rounds alternate the variants; the first two rounds are warm-up.
 */
public class TileEnv {
    static final int KC = 1024, PA = 21, MR = 6, N = 2048;
    static final int PB = Integer.getInteger("pb", 128);
    /** Row blocks per pass: as many tiles per pass whatever PB is. */
    static final int BLOCKS = 16 * 128 / PB;

    static SgemmMicroKernel kernel;
    static int nr;
    static float[] a, bHot, bBig, cSmall, cBig;
    static int sink;

    /** Loads one float per cache line of b[from, to): a software stand-in for a prefetch. */
    static int touch(float[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i += 16) h += Float.floatToRawIntBits(b[i]);
        return h;
    }

    static long pass(boolean bigB, boolean bigC, float beta, boolean touchNext) {
        long t = System.nanoTime();
        int panel = KC * nr, slice = (panel / PA + 15) & ~15, h = 0;
        for (int blk = 0; blk < BLOCKS; blk++) {
            for (int jr = 0; jr < PB; jr++) {
                float[] b = bigB ? bBig : bHot;
                int bOff = bigB ? jr * panel : 0, next = ((jr + 1) % PB) * panel;
                for (int ir = 0; ir < PA; ir++) {
                    if (touchNext) {
                        int from = next + ir * slice;
                        h += touch(bBig, from, Math.min(next + panel, from + slice));
                    }
                    if (bigC) {
                        kernel.compute(KC, a, ir * KC * MR, b, bOff, cBig, ((blk % 16) * 126 + ir * MR) * N + jr * nr, N, beta);
                    } else {
                        kernel.compute(KC, a, ir * KC * MR, b, bOff, cSmall, ir * MR * nr, nr, beta);
                    }
                }
            }
        }
        sink += h;
        return System.nanoTime() - t;
    }

    record Variant(String name, boolean bigB, boolean bigC, float beta, boolean touch) {}

    public static void main(String[] args) {
        kernel = SgemmTuning.choose(CpuInfo.detect(), VectorSgemmMicroKernels.INSTANCE, System.getProperty("gradus.gemm.kernel")).kernel();
        if (kernel.blocking().mr() != MR) throw new IllegalStateException("expected a 6-row tile, got " + kernel.name());
        nr = kernel.blocking().nr();
        Random r = new Random(1);
        a = new float[PA * KC * MR];
        bHot = new float[KC * nr];
        bBig = new float[PB * KC * nr];
        cSmall = new float[PA * MR * nr];
        cBig = new float[N * N];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < bBig.length; i++) bBig[i] = r.nextFloat() - 0.5f;
        System.arraycopy(bBig, 0, bHot, 0, bHot.length);
        Variant[] variants = {
            new Variant("hot", false, false, 0f, false),
            new Variant("bigB", true, false, 0f, false),
            new Variant("bigB touch", true, false, 0f, true),
            new Variant("bigC b0", false, true, 0f, false),
            new Variant("bigC b1", false, true, 1f, false),
            new Variant("bigB+bigC b0", true, true, 0f, false),
            new Variant("bigB+bigC b1", true, true, 1f, false),
        };
        double flops = 2.0 * BLOCKS * PB * PA * MR * nr * KC;
        int rounds = Integer.parseInt(args[0]);
        double[][] gflops = new double[variants.length][rounds];
        for (int rd = 0; rd < rounds; rd++) {
            for (int v = 0; v < variants.length; v++) {
                Variant x = variants[v];
                gflops[v][rd] = flops / pass(x.bigB, x.bigC, x.beta, x.touch);
            }
        }
        System.out.println(kernel.name() + ", " + PB + " B panels (" + (PB * KC * nr / 256) + " KiB); sink " + sink);
        for (int v = 0; v < variants.length; v++) {
            double[] kept = Arrays.copyOfRange(gflops[v], 2, rounds);
            double[] sorted = kept.clone();
            Arrays.sort(sorted);
            StringBuilder line = new StringBuilder(String.format("%-13s median %6.1f GFLOPS, rounds:", variants[v].name, sorted[sorted.length / 2]));
            for (double g : kept) line.append(String.format(" %.1f", g));
            System.out.println(line);
        }
    }
}
