package io.gradus.kernels.gemm;

import io.gradus.kernels.Parallel;
import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link BlockedSgemm}'s team split over products with many passes and several kc and nc blocks. */
class BlockedSgemmTest {

    @Test
    void teamsOfTwoToFiveSplittingRowsGiveTheBitsOfOneThread() {
        // Small blocks, so that each member claims many row blocks (at most 8 panels each, so that
        // members also take blocks from the backs of the others' shares) in several kc and nc blocks
        // (the members meet at two barriers per kc x nc block and reset their shares in between),
        // yet enough panels per member (62 / 5 >= ROW_SPLIT_MIN_PANELS) that even 5 threads split
        // rows rather than tiles. Five threads on a 2-core machine take turns, so shares are stolen.
        SgemmMicroKernel kernel = vectorKernel(8, 24, 6);
        int mr = kernel.blocking().mr(), nr = kernel.blocking().nr();
        assertTeamsGiveTheBitsOfOneThread(kernel, 61 * mr + 5, 13 * nr + 3, 101, 17, new int[] {2, 3, 4, 5}, 5);
    }

    @Test
    void columnPartsBringTheBusiestMemberWithinFivePercentOfTheMean() {
        // n = 1024 with 12-row panels is 86 panels. 16 members: 6 panels for the busiest against a
        // mean of 5.375 (+12%); in halves, 11 against 10.75 (+2.3%).
        assertEquals(2, BlockedSgemm.columnParts(86, 32, 16));
        // 8 members: 11 against 10.75; n = 2048 (171 panels) on 16: 11 against 10.69 (+2.9%).
        assertEquals(1, BlockedSgemm.columnParts(86, 32, 8));
        assertEquals(1, BlockedSgemm.columnParts(171, 64, 16));
        // 2 members: 10 panels split evenly; 9 give 5 against 4.5, halves 9 against 9.
        assertEquals(1, BlockedSgemm.columnParts(10, 32, 2));
        assertEquals(2, BlockedSgemm.columnParts(9, 32, 2));
        // 43 panels on 16: +12% in one, two or three parts; in quarters, 11 against 10.75.
        assertEquals(4, BlockedSgemm.columnParts(43, 32, 16));
        // At most one part per B micro-panel; the most even of those tried when none is within 5%.
        assertEquals(1, BlockedSgemm.columnParts(70, 1, 16));
        assertEquals(3, BlockedSgemm.columnParts(70, 3, 64), "210 units on 64: 4 against 3.28 is the best of 1-3 parts");
        assertEquals(1, BlockedSgemm.columnParts(9, 32, 1), "one thread never splits columns");
    }

    @Test
    void teamsSplittingColumnsTooGiveTheBitsOfOneThread() {
        // 70 panels: 6 members split rows only (12 against 11.7 panels); 13 and 16 members (6 against
        // 5.4, 5 against 4.4) also halve the columns of each block. With 13 members, a share runs
        // across the end of the first part (units 64-74), so claims of up to 8 units do too, as do
        // blocks stolen from its back. nc blocks of 12 and 1 B micro-panels (the last cannot be cut);
        // 8 x 12 tiles per block, so that even 16 members get a team (GemmEngine's 4 tiles each).
        SgemmMicroKernel kernel = vectorKernel(8, 24, 12);
        int mr = kernel.blocking().mr(), nr = kernel.blocking().nr();
        int m = 69 * mr + 7, n = 12 * nr + 3;
        assertEquals(1, BlockedSgemm.columnParts(70, 12, 6));
        assertEquals(2, BlockedSgemm.columnParts(70, 12, 13));
        assertEquals(2, BlockedSgemm.columnParts(70, 12, 16));
        assertTeamsGiveTheBitsOfOneThread(kernel, m, n, 75, 23, new int[] {6, 13, 16}, 3);
    }

    /**
     * The Vector API family's first tile with small blocks: {@code mcPanels} A panels, depth
     * {@code kc}, {@code ncPanels} B micro-panels, so that products of a few hundred rows run many
     * claims in several kc and nc blocks.
     */
    private static SgemmMicroKernel vectorKernel(int mcPanels, int kc, int ncPanels) {
        SgemmKernelFamily family = VectorSgemmMicroKernels.INSTANCE;
        SgemmShape shape = family.shapes().get(0);
        int mr = shape.rows(), nr = shape.vectors() * family.vectorFloats();
        return family.create(shape, new GemmBlocking(mr, nr, mcPanels * mr, kc, ncPanels * nr));
    }

    /**
     * A random {@code m x k} by {@code k x n} product (k at least {@code minK}, and large enough that
     * the engine gives it to a team) on one thread, checked at sampled elements against a sum in
     * double, then on each team size {@code repeats} times: the same bits, every element written.
     */
    private static void assertTeamsGiveTheBitsOfOneThread(SgemmMicroKernel kernel, int m, int n, int minK, long seed,
                                                          int[] teamSizes, int repeats) {
        Random r = new Random(seed);
        int k = (int) Math.max(minK, 2 * GemmEngine.PARALLEL_MIN_VOLUME / ((long) m * n) + 1);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        float[] alone = new float[m * n];
        try (Parallel one = Parallel.ofThreads(1)) {
            Gemm.with(one, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, alone, 0, n);
        }
        for (int i = 0; i < m; i += 29) {
            for (int j = 0; j < n; j += 5) {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) a[i * k + p] * b[p * n + j];
                    sum += t;
                    abs += Math.abs(t);
                }
                // float accumulation over k terms: at most about k eps sum |a b|.
                assertEquals(sum, alone[i * n + j], k * 0x1p-23 * abs, "alone at (" + i + ", " + j + ")");
            }
        }
        for (int threads : teamSizes) {
            try (Parallel pool = Parallel.ofThreads(threads)) {
                for (int repeat = 0; repeat < repeats; repeat++) {
                    float[] c = new float[m * n];
                    Arrays.fill(c, Float.NaN); // beta = 0: C is never read, and every element must be written
                    Gemm.with(pool, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    assertArrayEquals(alone, c, threads + " threads, repeat " + repeat);
                }
            }
        }
    }
}
