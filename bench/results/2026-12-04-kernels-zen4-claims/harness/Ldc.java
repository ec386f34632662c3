package exp;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
/** Alternates the product with C at ldc = n and at padded ldc, in one JVM; medians per variant. */
public class Ldc {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), threads = Integer.parseInt(args[1]), reps = Integer.parseInt(args[2]);
        int[] pads = {0, Integer.parseInt(args[3])};
        Random r = new Random(1);
        float[] a = new float[n*n], b = new float[n*n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        float[][] cs = {new float[n*(n+pads[0])], new float[n*(n+pads[1])]};
        double[][] t = new double[2][reps];
        try (Parallel pool = Parallel.ofThreads(threads)) {
            GemmEngine g = Gemm.with(pool);
            for (int w = 0; w < 30; w++) for (int v = 0; v < 2; v++) g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, cs[v], 0, n + pads[v]);
            for (int i = 0; i < reps; i++) for (int v = 0; v < 2; v++) {
                long t0 = System.nanoTime();
                for (int q = 0; q < 5; q++) g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, cs[v], 0, n + pads[v]);
                t[v][i] = 2.0*n*n*n*5/(System.nanoTime()-t0);
            }
        }
        for (int v = 0; v < 2; v++) { double[] s = t[v].clone(); java.util.Arrays.sort(s);
            System.out.printf("pad %d: median %.1f GFLOPS (%.1f-%.1f)%n", pads[v], s[reps/2], s[0], s[reps-1]); }
    }
}
