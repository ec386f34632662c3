package io.gradus.bench;

import io.gradus.kernels.gemm.GemmBlocking;
import io.gradus.kernels.gemm.SgemmMicroKernel;
import io.gradus.kernels.internal.SimdSupport;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The copy at the heart of packing B for the SGEMM: one {@code kc x n} block of a row-major B
 * (n = 2048, kc = 1024: 8 MiB) copied into {@code n / nr} micro-panels of {@code kc x nr} floats, in
 * the order {@code Packing.packB} uses (groups of panels covering 4 KiB of each stored row, eight rows
 * into one panel at a time). Each call copies eight rows of one panel through
 * {@link SgemmMicroKernel#packRowsOfB}:
 * <ul>
 *   <li>{@code kernelRows}: this JVM's micro-kernel, whose Vector API tiles copy a row with
 *       {@code nr / VLEN} vector loads and stores;</li>
 *   <li>{@code arraycopyRows}: the interface's default, {@code System.arraycopy} per row (what every
 *       tile did before 0caab70, and what the scalar kernel does): the peer in the same run.</li>
 * </ul>
 * One thread; {@code nr} is the kernel's (32 natively with AVX-512, 16 under {@code -XX:UseAVX=2}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PackingBench {

    /** Rows of B copied into one panel before the next panel of the group, as {@code Packing} does. */
    static final int ROWS_PER_PASS = 8;

    /** Bytes of each stored row that one group of panels covers, as {@code Packing} does. */
    static final int ROW_RUN_BYTES = 4096;

    @Param({"2048"})
    public int n;

    @Param({"1024"})
    public int kc;

    float[] b, packed;
    SgemmMicroKernel kernel, arraycopy;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = SimdSupport.sgemmMicroKernel();
        SgemmMicroKernel shipped = kernel;
        // The same kernel but for the copy: the interface's default.
        arraycopy = new SgemmMicroKernel() {
            @Override
            public GemmBlocking blocking() {
                return shipped.blocking();
            }

            @Override
            public String name() {
                return shipped.name() + " with System.arraycopy rows";
            }

            @Override
            public void compute(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
                shipped.compute(kc, a, aOff, b, bOff, c, cOff, ldc, beta);
            }
        };
        int nr = kernel.blocking().nr();
        if (n % nr != 0) throw new IllegalArgumentException("n = " + n + ": expected a multiple of the kernel's nr = " + nr);
        Random r = new Random(5);
        b = new float[kc * n];
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        packed = new float[kc * n];
        System.out.println("PackingBench: " + kernel.name() + ", nr = " + nr + "; " + SimdSupport.describe());
    }

    @Benchmark
    public float[] kernelRows() {
        return pack(kernel);
    }

    @Benchmark
    public float[] arraycopyRows() {
        return pack(arraycopy);
    }

    private float[] pack(SgemmMicroKernel copier) {
        int nr = copier.blocking().nr(), panels = n / nr;
        int group = Math.max(1, ROW_RUN_BYTES / (Float.BYTES * nr));
        for (int q0 = 0; q0 < panels; q0 += group) {
            int q1 = Math.min(panels, q0 + group);
            for (int p0 = 0; p0 < kc; p0 += ROWS_PER_PASS) {
                int rows = Math.min(ROWS_PER_PASS, kc - p0);
                for (int q = q0; q < q1; q++) {
                    copier.packRowsOfB(rows, b, p0 * n + q * nr, n, packed, q * kc * nr + p0 * nr);
                }
            }
        }
        return packed;
    }
}
