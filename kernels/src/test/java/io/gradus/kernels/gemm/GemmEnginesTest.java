package io.gradus.kernels.gemm;

import io.gradus.kernels.Parallel;
import io.gradus.kernels.internal.SimdSupport;
import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Every engine configuration runs the whole {@link GemmContract}. */
class GemmEnginesTest {

    static final Parallel ONE = Parallel.ofThreads(1);
    static final Parallel THREE = Parallel.ofThreads(3);

    @AfterAll
    static void closePools() {
        ONE.close();
        THREE.close();
    }

    /** The default: start-up micro-kernel, crossover to the direct path, shared pool. */
    @Nested
    class DefaultEngine extends GemmContract {
        GemmEngine engine() {
            return Gemm.defaultEngine();
        }
    }

    /** Always packed, on three threads: the blocked driver even for the smallest shapes. */
    @Nested
    class PackedVectorThreeThreads extends GemmContract {
        GemmEngine engine() {
            return Gemm.with(THREE).withDirectMaxVolume(0);
        }
    }

    /** Never packed: the direct path on every shape. */
    @Nested
    class DirectOnly extends GemmContract {
        GemmEngine engine() {
            return Gemm.with(ONE).withDirectMaxVolume(Long.MAX_VALUE);
        }

        @Override
        void residualCheckAt1024() {
            // the direct path at n = 1024 takes seconds; its correctness is covered by the shapes
        }
    }

    /** The scalar reference micro-kernel through the same driver and packing. */
    @Nested
    class ScalarReferenceKernel extends GemmContract {
        GemmEngine engine() {
            return Gemm.with(ONE, ScalarSgemmMicroKernel.INSTANCE).withDirectMaxVolume(0);
        }
    }

    /**
     * Every vector micro-kernel with tiny blocks (MC = 2 MR, KC = 7, NC = 2 NR), so that small
     * shapes cross several KC, MC and NC block boundaries: beta must apply once, packing must
     * restart at each block. Each in both tile orders.
     */
    @Test
    void everyVectorKernelAcrossManyBlocks() {
        SgemmKernelFamily family = VectorSgemmMicroKernels.INSTANCE;
        java.util.List<SgemmMicroKernel> kernels = new java.util.ArrayList<>();
        for (SgemmShape shape : family.shapes()) {
            int mr = shape.rows(), nr = shape.vectors() * family.vectorFloats();
            for (GemmBlocking.TileOrder order : GemmBlocking.TileOrder.values()) {
                kernels.add(family.create(shape, new GemmBlocking(mr, nr, 2 * mr, 7, 2 * nr, order)));
            }
        }
        kernels.add(SimdSupport.sgemmMicroKernel());
        for (SgemmMicroKernel k : kernels) {
            GemmContract contract = new GemmContract() {
                GemmEngine engine() {
                    return Gemm.with(ONE, k).withDirectMaxVolume(0);
                }

                @Override
                int shapesPerCombination() {
                    return 2;
                }
            };
            contract.randomShapesEveryTransposeAlphaBeta();
            contract.edgeSizesAroundTheTile();
        }
    }

    /**
     * Three threads claiming row blocks of A (at most MC = 8 MR rows each, packed into the claiming
     * member's own region of the buffer) on products of several sizes, so that shares and blocks
     * start at different panels from one product to the next and members take blocks from the backs
     * of each other's shares: results must match one thread's bit for bit and the double-precision
     * product within rounding. (A member once packed its next rows over panels another member was
     * still reading: rows 564-575 of a 1024-row product came out wrong on three threads.)
     */
    @Test
    void rowBlocksClaimedByATeamGiveTheBitsOfOneThread() {
        SgemmKernelFamily family = VectorSgemmMicroKernels.INSTANCE;
        Random r = new Random(5);
        for (SgemmShape shape : family.shapes()) {
            int mr = shape.rows(), nr = shape.vectors() * family.vectorFloats();
            SgemmMicroKernel kernel = family.create(shape, new GemmBlocking(mr, nr, 8 * mr, 16, 4 * nr));
            for (int m : new int[] {26 * mr + 1, 46 * mr + 5, 57 * mr + 1, 26 * mr + 1, 57 * mr + 1}) {
                int n = 5 * nr + 3;
                int k = Math.max(40, (int) (GemmEngine.PARALLEL_MIN_VOLUME / ((long) m * n)) + 1);
                float[] a = centered(r, m * k), b = centered(r, k * n), c1 = new float[m * n];
                float[] c3 = new float[m * n];
                Gemm.with(ONE, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
                Gemm.with(THREE, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c3, 0, n);
                String what = shape + " m=" + m + " n=" + n + " k=" + k;
                assertArrayEquals(c1, c3, what);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double[] sumAndAbs = doubleDot(a, b, i, j, n, k);
                        // float accumulation over k terms: at most about k eps sum |a b|.
                        assertEquals(sumAndAbs[0], c1[i * n + j], k * 0x1p-23 * sumAndAbs[1], what + " at (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    /**
     * The tile orders visit the same tiles with the same instructions, so on one thread and on
     * three (members claiming row blocks) every order gives b-major's bits, with beta applied once
     * per product across several kc passes (a-major-later-passes switches order after the first)
     * and edge tiles in both directions, for beta = 0 and beta != 0;
     * the shapes give each member several A panels, the path the order applies to, and a block of
     * C (m x nc) larger than twice the packed A block, so that a-major-later-passes takes a-major.
     */
    @Test
    void bothTileOrdersGiveTheSameBits() {
        SgemmKernelFamily family = VectorSgemmMicroKernels.INSTANCE;
        Random r = new Random(17);
        for (SgemmShape shape : family.shapes()) {
            int mr = shape.rows(), nr = shape.vectors() * family.vectorFloats();
            SgemmMicroKernel bMajor = family.create(shape, new GemmBlocking(mr, nr, 4 * mr, 16, 3 * nr));
            int m = 30 * mr + 5, n = 7 * nr + 3;
            int k = Math.max(53, (int) (GemmEngine.PARALLEL_MIN_VOLUME / ((long) m * n)) + 1);
            float[] a = centered(r, m * k), b = centered(r, k * n), c0 = centered(r, m * n);
            float alpha = 0.75f, beta = -1.5f;
            float[] expected = c0.clone(), expectedBetaZero = new float[m * n];
            Gemm.with(ONE, bMajor).withDirectMaxVolume(0).sgemm(false, false, m, n, k, alpha, a, 0, k, b, 0, n, beta, expected, 0, n);
            Gemm.with(ONE, bMajor).withDirectMaxVolume(0).sgemm(false, false, m, n, k, alpha, a, 0, k, b, 0, n, 0f, expectedBetaZero, 0, n);
            for (GemmBlocking.TileOrder order : GemmBlocking.TileOrder.values()) {
                SgemmMicroKernel kernel = family.create(shape, new GemmBlocking(mr, nr, 4 * mr, 16, 3 * nr, order));
                for (Parallel pool : new Parallel[] {ONE, THREE}) {
                    String what = shape + " " + order.label() + " on " + pool.threads() + " threads, m=" + m + " n=" + n + " k=" + k;
                    float[] c = c0.clone();
                    Gemm.with(pool, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, alpha, a, 0, k, b, 0, n, beta, c, 0, n);
                    assertArrayEquals(expected, c, what + ", beta " + beta);
                    c = c0.clone();  // beta = 0: C's old values must not leak in
                    Gemm.with(pool, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, alpha, a, 0, k, b, 0, n, 0f, c, 0, n);
                    assertArrayEquals(expectedBetaZero, c, what + ", beta 0");
                }
            }
            for (int i = 0; i < m; i += 7) {
                for (int j = 0; j < n; j++) {
                    double[] sumAndAbs = doubleDot(a, b, i, j, n, k);
                    double want = alpha * sumAndAbs[0] + beta * (double) c0[i * n + j];
                    assertEquals(want, expected[i * n + j], k * 0x1p-23 * (sumAndAbs[1] + Math.abs(c0[i * n + j])) + 1e-6,
                            shape + " at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void oneAndThreeThreadsGiveIdenticalBits() {
        Random r = new Random(99);
        for (int[] s : new int[][] {{300, 257, 129}, {97, 530, 64}, {1000, 40, 300}, {200, 200, 200}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = new float[m * k], b = new float[k * n], c1 = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < c1.length; i++) c1[i] = r.nextFloat() - 0.5f;
            float[] c3 = c1.clone();
            Gemm.with(ONE).sgemm(false, true, m, n, k, 1.5f, a, 0, k, transpose(b, k, n), 0, k, 0.5f, c1, 0, n);
            Gemm.with(THREE).sgemm(false, true, m, n, k, 1.5f, a, 0, k, transpose(b, k, n), 0, k, 0.5f, c3, 0, n);
            assertArrayEquals(c1, c3, "m=" + m + " n=" + n + " k=" + k);
        }
    }

    /** The long-k path (a convolution's weight gradient): against double sums, and the same bits on 1 and 3 threads. */
    @Test
    void smallOutputLongKProductsTakeTheDotPathCorrectly() {
        int m = 6, n = 25, k = 70_001;
        assertTrue(LongDotSgemm.suits(false, true, m, n, k));
        Random r = new Random(12);
        float[] a = new float[m * k], b = new float[n * (k + 3)], c1 = new float[m * n], c3 = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        java.util.Arrays.fill(c1, 2f);
        java.util.Arrays.fill(c3, 2f);
        Gemm.with(ONE).sgemm(false, true, m, n, k, 0.5f, a, 0, k, b, 1, k + 3, -1f, c1, 0, n);
        Gemm.with(THREE).sgemm(false, true, m, n, k, 0.5f, a, 0, k, b, 1, k + 3, -1f, c3, 0, n);
        assertArrayEquals(c1, c3);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0, abs = 0;
            for (int p = 0; p < k; p++) {
                double t = (double) a[i * k + p] * b[1 + j * (k + 3) + p];
                s += t;
                abs += Math.abs(t);
            }
            assertEquals(0.5 * s - 2, c1[i * n + j], 1e-6 * abs + 1e-5, "C(" + i + "," + j + ")");
        }
    }

    /** The few-rows path (a convolution's forward product): against double sums, same bits on 1 and 3 threads. */
    @Test
    void fewRowsManyColumnsTakeTheUnpackedPathCorrectly() {
        for (int m : new int[] {1, 4, 6, 16}) {
            fewRowsManyColumns(m, m == 16 ? 150 : 25, m == 4 ? 0f : 0.5f);
        }
    }

    void fewRowsManyColumns(int m, int k, float beta) {
        int n = 9_001;
        assertTrue(WideRowsSgemm.suits(false, false, m, n, k));
        Random r = new Random(13);
        float[] a = new float[m * k], b = new float[k * (n + 2)], c1 = new float[m * n], c3 = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < c1.length; i++) c1[i] = c3[i] = r.nextFloat();
        float[] c0 = c1.clone();
        Gemm.with(ONE).sgemm(false, false, m, n, k, 1.5f, a, 0, k, b, 0, n + 2, beta, c1, 0, n);
        Gemm.with(THREE).sgemm(false, false, m, n, k, 1.5f, a, 0, k, b, 0, n + 2, beta, c3, 0, n);
        assertArrayEquals(c1, c3);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j += 7) {
            double s = 0;
            for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * (n + 2) + j];
            assertEquals(1.5 * s + beta * c0[i * n + j], c1[i * n + j], 1e-4, "m=" + m + " C(" + i + "," + j + ")");
        }
    }

    /** Which passes each order runs A panel by A panel, and its name in the start-up line and the property. */
    @Test
    void tileOrdersChooseByPassAndSizeOfC() {
        for (boolean laterPass : new boolean[] {false, true}) {
            for (boolean cBeyondL2 : new boolean[] {false, true}) {
                String what = ", later pass " + laterPass + ", C beyond L2 " + cBeyondL2;
                assertFalse(GemmBlocking.TileOrder.B_PANEL_MAJOR.aPanelMajor(laterPass, cBeyondL2), "b-major" + what);
                assertTrue(GemmBlocking.TileOrder.A_PANEL_MAJOR.aPanelMajor(laterPass, cBeyondL2), "a-major" + what);
                assertEquals(laterPass && cBeyondL2, GemmBlocking.TileOrder.A_PANEL_MAJOR_LATER_PASSES.aPanelMajor(laterPass, cBeyondL2),
                        "a-major-later-passes" + what);
            }
        }
        for (GemmBlocking.TileOrder order : GemmBlocking.TileOrder.values()) {
            assertEquals(order, GemmBlocking.TileOrder.parse(order.label()));
        }
        assertEquals(GemmBlocking.TileOrder.B_PANEL_MAJOR, new GemmBlocking(6, 16, 12, 64, 32).order(), "BLIS's order by default");
        var e = assertThrows(IllegalArgumentException.class, () -> new GemmBlocking(6, 16, 12, 64, 32, null));
        assertTrue(e.getMessage().contains("order = null"), e.getMessage());
    }

    /** {@code length} values drawn uniformly from [-0.5, 0.5). */
    static float[] centered(Random r, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = r.nextFloat() - 0.5f;
        return x;
    }

    /**
     * Entry (i, j) of the row-major product of {@code a} (m x k) and {@code b} (k x n) in double,
     * with the sum of its terms' magnitudes for the rounding bound: {sum a_ip b_pj, sum |a_ip b_pj|}.
     */
    static double[] doubleDot(float[] a, float[] b, int i, int j, int n, int k) {
        double sum = 0, abs = 0;
        for (int p = 0; p < k; p++) {
            double t = (double) a[i * k + p] * b[p * n + j];
            sum += t;
            abs += Math.abs(t);
        }
        return new double[] {sum, abs};
    }

    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }

    @Test
    void blockingInvariantsAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GemmBlocking(12, 32, 100, 256, 4096));
        assertEquals("mc = 100 must be a multiple of mr = 12", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmBlocking(12, 32, 96, 256, 100));
        assertEquals("nc = 100 must be a multiple of nr = 32", e.getMessage());
    }

    @Test
    void cOverlappingAOrBIsRefused() {
        float[] x = new float[300 * 300 + 10];
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 300, 300, 300, 1f, x, 0, 300, new float[300 * 300], 0, 300, 0f, x, 5, 300));
        assertEquals("C [5, 90005) overlaps A [0, 90000) in the same array: expected C apart from A and B (write into a separate array)",
                e.getMessage());
        float[] y = new float[20];
        // disjoint ranges of one array are fine: A rows 0-1, B at 8, C at 14
        Gemm.sgemm(false, false, 2, 3, 2, 1f, y, 0, 2, y, 8, 3, 0f, y, 14, 3);
    }

    /** Many threads on one engine at once: every product as if alone (the thread-safety the Javadoc promises). */
    @Test
    void manyThreadsOnOneEngineAtOnce() throws Exception {
        try (Parallel pool = Parallel.ofThreads(2)) {
            GemmEngine engine = Gemm.with(pool);
            int threads = 6;
            Random r = new Random(12);
            int[][] shapes = {{200, 300, 170}, {31, 500, 64}, {400, 33, 257}, {9, 9, 9}, {300, 300, 300}, {2, 2000, 40}};
            float[][] a = new float[threads][], b = new float[threads][], want = new float[threads][], got = new float[threads][];
            for (int t = 0; t < threads; t++) {
                int m = shapes[t][0], n = shapes[t][1], k = shapes[t][2];
                a[t] = new float[m * k];
                b[t] = new float[k * n];
                for (int i = 0; i < a[t].length; i++) a[t][i] = r.nextFloat() - 0.5f;
                for (int i = 0; i < b[t].length; i++) b[t][i] = r.nextFloat() - 0.5f;
                want[t] = new float[m * n];
                got[t] = new float[m * n];
                engine.sgemm(false, false, m, n, k, 1f, a[t], 0, k, b[t], 0, n, 0f, want[t], 0, n);
            }
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<Thread> workers = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        int m = shapes[id][0], n = shapes[id][1], k = shapes[id][2];
                        for (int rep = 0; rep < 5; rep++) engine.sgemm(false, false, m, n, k, 1f, a[id], 0, k, b[id], 0, n, 0f, got[id], 0, n);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                workers.add(w);
                w.start();
            }
            start.countDown();
            for (Thread w : workers) w.join();
            assertNull(failure.get(), String.valueOf(failure.get()));
            for (int t = 0; t < threads; t++) assertArrayEquals(want[t], got[t], "product " + t);
        }
    }
}
