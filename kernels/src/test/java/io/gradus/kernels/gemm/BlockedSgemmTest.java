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
        SgemmKernelFamily family = VectorSgemmMicroKernels.INSTANCE;
        SgemmShape shape = family.shapes().get(0);
        int mr = shape.rows(), nr = shape.vectors() * family.vectorFloats();
        // Small blocks, so that each member claims many row blocks (at most 8 panels each, so that
        // members also take blocks from the backs of the others' shares) in several kc and nc blocks
        // (the members meet at two barriers per kc x nc block and reset their shares in between),
        // yet enough panels per member (62 / 5 >= ROW_SPLIT_MIN_PANELS) that even 5 threads split
        // rows rather than tiles. Five threads on a 2-core machine take turns, so shares are stolen.
        SgemmMicroKernel kernel = family.create(shape, new GemmBlocking(mr, nr, 8 * mr, 24, 6 * nr));
        Random r = new Random(17);
        int m = 61 * mr + 5, n = 13 * nr + 3;
        int k = (int) Math.max(101, 2 * GemmEngine.PARALLEL_MIN_VOLUME / ((long) m * n) + 1);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        float[] alone = new float[m * n];
        try (Parallel one = Parallel.ofThreads(1)) {
            Gemm.with(one, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, alone, 0, n);
        }
        for (int i = 0; i < m; i += 37) {
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
        for (int threads = 2; threads <= 5; threads++) {
            try (Parallel pool = Parallel.ofThreads(threads)) {
                for (int repeat = 0; repeat < 5; repeat++) {
                    float[] c = new float[m * n];
                    Arrays.fill(c, Float.NaN); // beta = 0: C is never read, only written
                    Gemm.with(pool, kernel).withDirectMaxVolume(0).sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    assertArrayEquals(alone, c, threads + " threads, repeat " + repeat);
                }
            }
        }
    }
}
