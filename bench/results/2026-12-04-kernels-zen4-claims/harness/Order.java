package io.gradus.kernels.gemm;
import io.gradus.kernels.internal.CpuInfo;
import io.gradus.kernels.internal.SgemmTuning;
import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.*;
/** One-thread product, m = 1008 (whole 6-row panels), alternating tile orders in one JVM. args: n kernelOverride group reps */
public class Order {
    static SgemmMicroKernel K; static GemmEngine ENGINE; static int MR, NR, MC, KC;
    static void product(int order, int group, int m, int n, int k, float[] a, float[] b, float[] c, float[] pa, float[] pb) {
        if (order == 3 && ENGINE == null) return;
        if (order == 3) { ENGINE.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n); return; }
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc); float beta = pc == 0 ? 0f : 1f;
            Packing.packB(false, b, 0, n, pc, 0, kc, n, pb, NR, 0, 1);
            int panelsB = n / NR;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic), panelsA = mc / MR;
                Packing.packA(false, a, 0, k, ic, pc, mc, kc, 1f, pa, 0, MR, 0, panelsA, 1);
                if (order == 0) {
                    for (int jr = 0; jr < panelsB; jr++) for (int ir = 0; ir < panelsA; ir++)
                        K.compute(kc, pa, ir * kc * MR, pb, jr * kc * NR, c, (ic + ir * MR) * n + jr * NR, n, beta);
                } else if (order == 1) {
                    for (int ir = 0; ir < panelsA; ir++) for (int jr = 0; jr < panelsB; jr++)
                        K.compute(kc, pa, ir * kc * MR, pb, jr * kc * NR, c, (ic + ir * MR) * n + jr * NR, n, beta);
                } else {
                    for (int g = 0; g < panelsA; g += group) for (int jr = 0; jr < panelsB; jr++)
                        for (int ir = g; ir < Math.min(panelsA, g + group); ir++)
                            K.compute(kc, pa, ir * kc * MR, pb, jr * kc * NR, c, (ic + ir * MR) * n + jr * NR, n, beta);
                }
            }
        }
    }
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]); String ov = args[1]; int group = Integer.parseInt(args[2]), reps = Integer.parseInt(args[3]);
        if (ov.startsWith("12x1v:")) { String[] q = ov.substring(6).split(","); K = io.gradus.kernels.vector.ExpKernels.k12x1v(Integer.parseInt(q[0]), Integer.parseInt(q[1]), Integer.parseInt(q[2])); }
        else K = SgemmTuning.choose(CpuInfo.detect(), VectorSgemmMicroKernels.INSTANCE, ov).kernel();
        GemmBlocking blk = K.blocking(); MR = blk.mr(); NR = blk.nr(); MC = blk.mc(); KC = blk.kc();
        int m = (n / MC) * MC, k = n;
        System.out.println(K.name() + " " + blk + " m=" + m);
        Random r = new Random(1);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        float[][] c = new float[4][m * n];
        if (!ov.startsWith("12x1v")) ENGINE = Gemm.with(io.gradus.kernels.Parallel.ofThreads(Integer.parseInt(args[4])));
        float[] pa = new float[blk.packedASize()], pb = new float[blk.packedBSize()];
        for (int v = 0; v < 4; v++) product(v, group, m, n, k, a, b, c[v], pa, pb);
        System.out.println("same: " + Arrays.equals(c[0], c[1]) + " " + Arrays.equals(c[0], c[2]) + " " + Arrays.equals(c[0], c[3]));
        double[][] t = new double[4][reps];
        for (int w = 0; w < 10; w++) for (int v = 0; v < 4; v++) product(v, group, m, n, k, a, b, c[v], pa, pb);
        for (int i = 0; i < reps; i++) for (int v = 0; v < 4; v++) {
            long t0 = System.nanoTime();
            for (int q = 0; q < 3; q++) product(v, group, m, n, k, a, b, c[v], pa, pb);
            t[v][i] = 2.0 * m * n * k * 3 / (System.nanoTime() - t0);
        }
        String[] names = {"jr-major (shipped)", "ir-major", "groups of " + group, "Gemm.sgemm"};
        for (int v = 0; v < 4; v++) { double[] s = t[v].clone(); Arrays.sort(s);
            System.out.printf("%-20s median %.1f GFLOPS (%.1f-%.1f)%n", names[v], s[reps / 2], s[0], s[reps - 1]); }
    }
}
