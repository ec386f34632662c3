import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Exploratory (not JMH): C = A B through Gradus's public API for a number of seconds after three
 * warm-up products; prints the median and best product as GFLOPS (2 n^3 flops) and a hash of C's
 * bits (variants that should compute the same bits must print the same hash). PAD (default 0)
 * stores C with rows of n + PAD floats.
 *
 * <pre>java --add-modules jdk.incubator.vector [-XX:UseAVX=2] -Dvariant=NAME -cp KERNELS_JAR:. ProductWindows N THREADS SECONDS [PAD]</pre>
 */
public class ProductWindows {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int ldc = n + (args.length > 3 ? Integer.parseInt(args[3]) : 0);
        Random r = new Random(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * ldc];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        GemmEngine gemm = Gemm.with(Parallel.ofThreads(threads));
        for (int w = 0; w < 3; w++) gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, ldc);
        List<Double> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, ldc);
            times.add((System.nanoTime() - t0) * 1e-9);
        }
        Collections.sort(times);
        double flops = 2.0 * n * n * n;
        System.out.printf("%s n=%d threads=%d products=%d median %.1f GFLOPS best %.1f hash %08x%n", System.getProperty("variant", "?"),
                n, threads, times.size(), flops / times.get(times.size() / 2) * 1e-9, flops / times.get(0) * 1e-9, Arrays.hashCode(c));
    }
}
