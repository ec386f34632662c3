package io.gradus.bench;

import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Where packing starts to pay: square products of size n on one thread, through the unpacked
 * direct path and through the packed BLIS path. The crossover sets
 * {@link GemmEngine#DIRECT_MAX_VOLUME}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmCrossoverBench {

    @Param({"8", "16", "24", "32", "48", "64", "96"})
    public int n;

    float[] a, b, c;
    Parallel pool;
    GemmEngine direct, packed;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(2);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
            b[i] = r.nextFloat();
        }
        pool = Parallel.ofThreads(1);
        direct = Gemm.with(pool).withDirectMaxVolume(Long.MAX_VALUE);
        packed = Gemm.with(pool).withDirectMaxVolume(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] direct() {
        direct.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public float[] packed() {
        packed.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
