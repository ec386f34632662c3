package exp;
import io.gradus.kernels.gemm.SgemmMicroKernel;
import io.gradus.kernels.internal.CpuInfo;
import io.gradus.kernels.internal.SgemmTuning;
import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.*;
public class Harness {
    public static void main(String[] args) {
        int kc = Integer.parseInt(args[0]), panels = 32, mr = 6, nr = 2 * U6x2v.V;
        SgemmMicroKernel shipped = SgemmTuning.choose(CpuInfo.detect(), VectorSgemmMicroKernels.INSTANCE, "6x2v:12," + kc + "," + (4 * nr)).kernel();
        Random r = new Random(3);
        float[] a = new float[panels * mr * kc], b = new float[kc * nr], c1 = new float[panels * mr * nr], c2 = new float[panels * mr * nr];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        // correctness: one pass each from zero
        for (int q = 0; q < panels; q++) { shipped.compute(kc, a, q*mr*kc, b, 0, c1, q*mr*nr, nr, 1f); U6x2v.compute(kc, a, q*mr*kc, b, 0, c2, q*mr*nr, nr); }
        double maxd = 0; for (int i = 0; i < c1.length; i++) maxd = Math.max(maxd, Math.abs(c1[i]-c2[i]));
        System.out.println("max diff " + maxd);
        double flops = 2.0 * mr * nr * kc * panels;
        List<Double> s = new ArrayList<>(), u = new ArrayList<>();
        for (int rep = 0; rep < 60; rep++) {
            long t0 = System.nanoTime();
            for (int it = 0; it < 200; it++) for (int q = 0; q < panels; q++) shipped.compute(kc, a, q*mr*kc, b, 0, c1, q*mr*nr, nr, 1f);
            long t1 = System.nanoTime();
            for (int it = 0; it < 200; it++) for (int q = 0; q < panels; q++) U6x2v.compute(kc, a, q*mr*kc, b, 0, c2, q*mr*nr, nr);
            long t2 = System.nanoTime();
            if (rep >= 20) { s.add(flops * 200 / (t1 - t0)); u.add(flops * 200 / (t2 - t1)); }
        }
        Collections.sort(s); Collections.sort(u);
        System.out.printf("kc=%d shipped median %.1f (%.1f-%.1f)  unrolled2 median %.1f (%.1f-%.1f) GFLOPS%n", kc,
            s.get(s.size()/2), s.get(0), s.get(s.size()-1), u.get(u.size()/2), u.get(0), u.get(u.size()-1));
    }
}
