package io.gradus.bench;

import io.gradus.kernels.internal.CpuInfo;
import io.gradus.kernels.gemm.SgemmMicroKernel;
import io.gradus.kernels.internal.SgemmTuning;
import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One SGEMM micro-kernel with its panels hot in cache: the speed of the register tile alone, without
 * packing, C traffic or B micro-panels arriving from L3 (those are {@link GemmBench}'s). One operation
 * runs the kernel over {@value #A_PANELS} packed A panels of {@code kc} steps against one B
 * micro-panel, as the inner loop of the blocked product does; GFLOPS = {@code 2 mr nr kc A_PANELS /
 * time}. Run it with {@code -jvmArgsAppend -XX:UseAVX=2} to see the 16-register machines' case: there
 * the unfenced {@code 6x2v} spills, which is why the shipped one has compiler fences (KERNELS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MicroKernelBench {

    /** A panels per operation: 32 x mr x kc floats, in L2 with the B micro-panel. */
    static final int A_PANELS = 32;

    @Param({"12x2v", "6x2v", "4x2v", "3x3v"})
    public String shape;

    @Param({"512"})
    public int kc;

    SgemmMicroKernel kernel;
    float[] a, b, c;
    int mr, nr;

    @Setup(Level.Trial)
    public void setUp() {
        SgemmMicroKernel probe = SgemmTuning.choose(CpuInfo.detect(), VectorSgemmMicroKernels.INSTANCE, shape).kernel();
        mr = probe.blocking().mr();
        nr = probe.blocking().nr();
        // mc and nc play no part here: the smallest legal multiples of the tile.
        kernel = SgemmTuning.choose(CpuInfo.detect(), VectorSgemmMicroKernels.INSTANCE,
                shape + ":" + (2 * mr) + "," + kc + "," + (4 * nr)).kernel();
        Random r = new Random(3);
        a = new float[A_PANELS * mr * kc];
        b = new float[kc * nr];
        c = new float[A_PANELS * mr * nr];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        System.out.println("MicroKernelBench: " + kernel.name() + " kc=" + kc + ", "
                + (2.0 * mr * nr * kc * A_PANELS) + " flops per operation; " + CpuInfo.detect().describe());
    }

    /** The blocked product's inner loop: every A panel against one B micro-panel, C accumulated (beta = 1). */
    @Benchmark
    public float[] tile() {
        for (int q = 0; q < A_PANELS; q++) {
            kernel.compute(kc, a, q * mr * kc, b, 0, c, q * mr * nr, nr, 1f);
        }
        return c;
    }
}
