package io.gradus.bench;

import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.GemmEngine;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.store.R032Store;
import org.openjdk.jmh.annotations.*;

/**
 * C = A B for square float matrices: Gradus's SGEMM against a naive i-k-j loop, EJML
 * ({@code CommonOps_FDRM.mult}, or {@code CommonOps_MT_FDRM.mult} on more than one thread) and
 * ojAlgo ({@code R032Store.fillByMultiplying}, its threads limited to match), on pools of 1 and 2
 * threads. Time per product; {@link GemmReport} turns it into GFLOPS ({@code 2 n^3} flops).
 *
 * <p>Run: {@code mvn -B -q -DskipTests -pl bench -am package -Pbench -Dbench.main=io.gradus.bench.GemmReport}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBench {

    @Param({"128", "256", "512", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    float[] a, b, c;
    Parallel pool;
    GemmEngine gradus;
    FMatrixRMaj ejmlA, ejmlB, ejmlC;
    R032Store ojA, ojB, ojC;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        pool = Parallel.ofThreads(threads);
        gradus = Gemm.with(pool);
        ejmlA = new FMatrixRMaj(n, n, true, a);
        ejmlB = new FMatrixRMaj(n, n, true, b);
        ejmlC = new FMatrixRMaj(n, n);
        EjmlConcurrency.setMaxThreads(threads);
        OjAlgoUtils.limitThreadsTo(threads);
        ojA = R032Store.FACTORY.make(n, n);
        ojB = R032Store.FACTORY.make(n, n);
        ojC = R032Store.FACTORY.make(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ojA.set(i, j, a[i * n + j]);
                ojB.set(i, j, b[i * n + j]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gradus() {
        gradus.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public float[] naiveIkj() {
        naiveIkj(n, a, b, c);
        return c;
    }

    /** The textbook loop order that streams rows of B and C (the JIT vectorizes the inner loop). */
    static void naiveIkj(int n, float[] a, float[] b, float[] c) {
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                float aik = a[i * n + k];
                int bRow = k * n, cRow = i * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aik * b[bRow + j];
                }
            }
        }
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        if (threads == 1) {
            CommonOps_FDRM.mult(ejmlA, ejmlB, ejmlC);
        } else {
            CommonOps_MT_FDRM.mult(ejmlA, ejmlB, ejmlC);
        }
        return ejmlC;
    }

    @Benchmark
    public R032Store ojalgo() {
        ojC.fillByMultiplying(ojA, ojB);
        return ojC;
    }
}
