package exp;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
/** Per 0.5 s window: GFLOPS and each member's share of time waiting at barriers (instrumented BlockedSgemm copy first on the class path). */
public class Waits {
    static Object acc(Class<?> k, String f) throws Exception { var x = k.getField(f); x.setAccessible(true); return x.get(null); }
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]); double seconds = Double.parseDouble(args[2]);
        Random r = new Random(1);
        float[] a = new float[n*n], b = new float[n*n], c = new float[n*n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        Class<?> k = Class.forName("io.gradus.kernels.gemm.BlockedSgemm"); k.getField("WAIT").setAccessible(true);
        AtomicLongArray wait = (AtomicLongArray) acc(k,"WAIT"), total = (AtomicLongArray) acc(k,"TOTAL");
        try (Parallel pool = Parallel.ofThreads(threads)) {
            GemmEngine g = Gemm.with(pool);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long w = System.nanoTime(); int wc = 0; StringBuilder sb = new StringBuilder();
            while (System.nanoTime() < end) {
                g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); wc++;
                long now = System.nanoTime();
                if (now - w > 500_000_000L) {
                    sb.append(String.format("%.0f[", 2.0*n*n*n*wc/(now-w)));
                    for (int m = 0; m < threads; m++) { sb.append(String.format("%s%.0f%%", m > 0 ? "," : "", 100.0 * wait.getAndSet(m, 0) / Math.max(1, total.getAndSet(m, 0)))); }
                    sb.append("] ");
                    w = now; wc = 0;
                }
            }
            System.out.println(sb);
        }
    }
}
