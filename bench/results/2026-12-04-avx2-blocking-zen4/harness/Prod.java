package exp;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
public class Prod {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]); double seconds = Double.parseDouble(args[2]);
        Random r = new Random(1);
        float[] a = new float[n*n], b = new float[n*n], c = new float[n*n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        try (Parallel pool = Parallel.ofThreads(threads)) {
            GemmEngine g = Gemm.with(pool);
            long end = System.nanoTime() + (long) (seconds * 1e9); int count = 0; long t0 = System.nanoTime();
            long w = System.nanoTime(); int wc = 0; StringBuilder sb = new StringBuilder();
            while (System.nanoTime() < end) { g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); count++; wc++;
                long now = System.nanoTime(); if (now - w > 1_000_000_000L) { sb.append(String.format(" %.0f", 2.0*n*n*n*wc/(now-w))); w = now; wc = 0; } }
            System.out.println("per second:" + sb);
            System.out.printf("n=%d threads=%d %.1f GFLOPS over %d products%n", n, threads, 2.0*n*n*n*count/(System.nanoTime()-t0), count);
        }
    }
}
