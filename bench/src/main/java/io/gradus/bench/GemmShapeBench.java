package io.gradus.bench;

import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * C = A B for a rectangular product, {@code m x k} times {@code k x n}, through Gradus's SGEMM on
 * pools of 1 and 2 threads: time per product ({@code 2 m n k} flops).
 *
 * <p>The default shape, m = 120, n = 512, k = 2048, puts a 2-core machine where 16 cores are at n = 1024:
 * each of 2 members gets 60 rows, below the blocking's {@code mc}, so {@code RowPanelClaims} cuts a
 * member's share into more than one claim and each claim reads the packed {@code kc x n} block of B
 * again. At kc = 1024 that block (2 MiB) is larger than a Zen 4 core's 1 MiB L2; at kc = 384
 * (768 KiB) it fits. Run it with {@code -jvmArgsAppend -Dgradus.gemm.kernel=12x2v:120,384,4096}
 * and without to compare, on 1 thread (one claim per block) as the control. Other shapes through
 * {@code -p m=... -p n=... -p k=...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmShapeBench {

    @Param({"120"})
    public int m;

    @Param({"512"})
    public int n;

    @Param({"2048"})
    public int k;

    @Param({"1", "2"})
    public int threads;

    float[] a, b, c;
    Parallel pool;
    GemmEngine gradus;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(3);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        pool = Parallel.ofThreads(threads);
        gradus = Gemm.with(pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gradus() {
        gradus.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
