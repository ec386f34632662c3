package io.gradus.bench;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.gemm.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The computation of sections 11.5.1-11.5.2: {@code A = B C} for n = 1024, computed four ways
 * that touch memory ever more efficiently (all on the shared pool):
 * <ul>
 *   <li>element: {@code A[i,j] = dot(B[i,:], C[:,j])}, one strided dot product per element, over
 *       the first {@link #ELEMENT_ROWS} rows of A only: every element costs the same, and all 1024
 *       rows would take tens of seconds per operation (the book's took 869 s);</li>
 *   <li>column: {@code A[:,j] = B C[:,j]}, one matrix-vector product (sgemv) per column;</li>
 *   <li>block: {@code A[:,j:j+64] = B C[:,j:j+64]}, one sgemm per 64 columns;</li>
 *   <li>full: {@code A = B C}, one sgemm.</li>
 * </ul>
 * Each does {@link #flops(String)} flops ({@code 2 n^3} but for element); {@link ThroughputTable}
 * prints them in GFLOPS as the book does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThroughputBench {

    public static final int N = 1024;
    public static final int BLOCK = 64;
    public static final int ELEMENT_ROWS = 64;

    /** Floating-point operations of one call of {@link #multiply()} in the given mode. */
    public static double flops(String mode) {
        double perRow = 2.0 * N * N;
        return perRow * (mode.equals("element") ? ELEMENT_ROWS : N);
    }

    @Param({"element", "column", "block", "full"})
    public String mode;

    float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(11);
        a = new float[N * N];
        b = new float[N * N];
        c = new float[N * N];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
            c[i] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public float[] multiply() {
        switch (mode) {
            case "element" -> element(a, b, c);
            case "column" -> column(a, b, c);
            case "block" -> block(a, b, c);
            case "full" -> Gemm.sgemm(false, false, N, N, N, 1f, b, 0, N, c, 0, N, 0f, a, 0, N);
            default -> throw new IllegalArgumentException("mode = " + mode + ": expected element, column, block or full");
        }
        return a;
    }

    static void element(float[] a, float[] b, float[] c) {
        ArrayKernels k = ArrayKernels.get();
        for (int i = 0; i < ELEMENT_ROWS; i++) {
            for (int j = 0; j < N; j++) {
                a[i * N + j] = k.dot(b, i * N, 1, c, j, N, N);
            }
        }
    }

    static void column(float[] a, float[] b, float[] c) {
        for (int j = 0; j < N; j++) {
            Gemm.sgemv(false, N, N, 1f, b, 0, N, c, j, N, 0f, a, j, N);
        }
    }

    static void block(float[] a, float[] b, float[] c) {
        for (int j = 0; j < N; j += BLOCK) {
            Gemm.sgemm(false, false, N, BLOCK, N, 1f, b, 0, N, c, j, N, 0f, a, j, N);
        }
    }
}
