package exp;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
/** GFLOPS of the n^3 product per window of 0.5 s, with the JVM uptime, to line up with -Xlog:gc. */
public class Timeline {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]); double seconds = Double.parseDouble(args[2]);
        Random r = new Random(1);
        float[] a = new float[n*n], b = new float[n*n], c = new float[n*n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        long start = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        try (Parallel pool = Parallel.ofThreads(threads)) {
            GemmEngine g = Gemm.with(pool);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long w = System.nanoTime(); int wc = 0;
            while (System.nanoTime() < end) {
                g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); wc++;
                long now = System.nanoTime();
                if (now - w > 500_000_000L) {
                    System.out.printf("%.2fs %.0f%n", (System.currentTimeMillis() - start) / 1000.0, 2.0*n*n*n*wc/(now-w));
                    w = now; wc = 0;
                }
            }
        }
    }
}
