import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.lang.reflect.Field;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a blocked SGEMM product's time goes, per member of the team (exploratory, not JMH): needs
 * BlockedSgemm built with phase-timers.patch, ahead of the kernels jar on the class path. Products of
 * n x n x n (random operands, seed 1) through the public API for SECONDS after five untimed ones;
 * once a second it prints the rate and each member's share of its time in: packing B, the barrier
 * after it, packing A, the tiles of the first kc pass (tiles0) and of the later passes (tiles1), and the
 * barrier before B is refilled.
 * Usage: java --add-modules jdk.incubator.vector [-XX:UseAVX=2] -cp patched:KERNELS_JAR Phases N THREADS SECONDS
 */
public class Phases {
    static final String[] NAMES = {"packB", "bar1", "packA", "tiles0", "tiles1", "bar2"};
    static final int[] SLOTS = {0, 1, 2, 3, 6, 4}; // phase-timers.patch's slots; 5 is the member's total

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        Random r = new Random(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        Field f = Class.forName("io.gradus.kernels.gemm.BlockedSgemm").getField("PH");
        f.setAccessible(true);
        AtomicLongArray ph = (AtomicLongArray) f.get(null);
        try (Parallel pool = Parallel.ofThreads(threads)) {
            GemmEngine g = Gemm.with(pool);
            for (int i = 0; i < 5; i++) g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            for (int i = 0; i < ph.length(); i++) ph.set(i, 0);
            long end = System.nanoTime() + (long) (seconds * 1e9), window = System.nanoTime();
            int products = 0;
            while (System.nanoTime() < end) {
                g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                products++;
                long now = System.nanoTime();
                if (now - window > 1_000_000_000L) {
                    StringBuilder line = new StringBuilder(String.format("%6.1f GFLOPS", 2.0 * n * n * n * products / (now - window)));
                    for (int m = 0; m < threads; m++) {
                        double total = Math.max(1, ph.getAndSet(m * 8 + 5, 0));
                        line.append(" | m").append(m);
                        for (int p = 0; p < NAMES.length; p++) {
                            line.append(String.format(" %s %4.1f%%", NAMES[p], 100 * ph.getAndSet(m * 8 + SLOTS[p], 0) / total));
                        }
                    }
                    System.out.println(line);
                    window = now;
                    products = 0;
                }
            }
        }
    }
}
