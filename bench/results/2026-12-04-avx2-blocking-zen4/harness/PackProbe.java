package io.gradus.kernels.gemm;
import io.gradus.kernels.Parallel;
import java.util.*;
/** Exploratory: packB of a 1024 x 1024 B (kc = 1024, nc = 1024, nr = 32) on 1 and 2 threads, alternating. */
public class PackProbe {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), nr = Integer.parseInt(args[1]), kc = n, nc = n;
        float[] b = new float[n * n]; for (int i = 0; i < b.length; i++) b[i] = i;
        float[] dst = new float[kc * nc];
        try (Parallel one = Parallel.ofThreads(1); Parallel two = Parallel.ofThreads(2)) {
            List<Double> t1 = new ArrayList<>(), t2 = new ArrayList<>();
            for (int rep = 0; rep < 400; rep++) {
                long a0 = System.nanoTime();
                one.team(t -> Packing.packB(false, b, 0, n, 0, 0, kc, nc, dst, nr, t.index(), t.size()));
                long a1 = System.nanoTime();
                two.team(t -> Packing.packB(false, b, 0, n, 0, 0, kc, nc, dst, nr, t.index(), t.size()));
                long a2 = System.nanoTime();
                if (rep >= 100) { t1.add((a1 - a0) / 1e3); t2.add((a2 - a1) / 1e3); }
            }
            Collections.sort(t1); Collections.sort(t2);
            System.out.printf("n=%d nr=%d packB: 1 thread median %.0f us (p10 %.0f, p90 %.0f); 2 threads median %.0f us (p10 %.0f, p90 %.0f)%n", n, nr,
                t1.get(t1.size()/2), t1.get(t1.size()/10), t1.get(t1.size()*9/10), t2.get(t2.size()/2), t2.get(t2.size()/10), t2.get(t2.size()*9/10));
        }
    }
}
