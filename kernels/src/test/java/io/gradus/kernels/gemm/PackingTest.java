package io.gradus.kernels.gemm;

import io.gradus.kernels.vector.VectorSgemmMicroKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Packing} against the panel layouts written out element by element (KERNELS.md): panel
 * {@code q} of B at {@code q * kc * nr}, element {@code (p, j)} at {@code p * nr + j}; panel
 * {@code r} of A at {@code r * kc * mr}, element {@code (i, p)} at {@code p * mr + i}; zeros past
 * the matrix's edge. Each team of 1-5 members packs its shares into one buffer, which must equal
 * the reference and leave nothing unwritten (the buffer starts as NaN). B is packed through each
 * kernel's copy of its rows: the interface's default and every Vector API tile's.
 */
class PackingTest {

    /** op(B)(p, j) of a row-major B with leading dimension ldb. */
    private static float opB(boolean transB, float[] b, int bOff, int ldb, int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    private static float[] referencePackB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc,
                                          int kc, int nc, int nr) {
        int panels = (nc + nr - 1) / nr;
        float[] dst = new float[panels * kc * nr];
        for (int q = 0; q < panels; q++) {
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < nr; j++) {
                    int col = q * nr + j;
                    dst[q * kc * nr + p * nr + j] = col < nc ? opB(transB, b, bOff, ldb, pc + p, jc + col) : 0f;
                }
            }
        }
        return dst;
    }

    /**
     * A kernel that only packs: the interface's {@link SgemmMicroKernel#packRowsOfB}
     * ({@code System.arraycopy} per row) at panel width {@code nr}.
     */
    private static SgemmMicroKernel defaultCopy(int nr) {
        GemmBlocking blocking = new GemmBlocking(4, nr, 4, 8, nr);
        return new SgemmMicroKernel() {
            @Override
            public GemmBlocking blocking() {
                return blocking;
            }

            @Override
            public String name() {
                return "default copy, nr = " + nr;
            }

            @Override
            public void compute(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
                throw new UnsupportedOperationException("packing only");
            }
        };
    }

    /**
     * Every way rows of B are copied: the default at nr = 8, 16 and 32 (panels packed one at a
     * time, and in groups of 128 and 64 panels: a page of each row), and each Vector API tile's
     * own vector copy at this JVM's width (the test runs at 512, 256 and 128 bits).
     */
    private static List<SgemmMicroKernel> packingKernels() {
        List<SgemmMicroKernel> kernels = new ArrayList<>(List.of(defaultCopy(8), defaultCopy(16), defaultCopy(32)));
        SgemmKernelFamily vector = VectorSgemmMicroKernels.INSTANCE;
        for (SgemmShape shape : vector.shapes()) {
            int mr = shape.rows(), nr = shape.vectors() * vector.vectorFloats();
            kernels.add(vector.create(shape, new GemmBlocking(mr, nr, mr, 8, nr)));
        }
        return kernels;
    }

    @Test
    void packBMatchesTheLayoutForEveryPanelWidthTeamAndEdge() {
        Random random = new Random(25);
        // nc from one partial panel to several groups with a partial last panel.
        for (SgemmMicroKernel kernel : packingKernels()) {
            int nr = kernel.blocking().nr();
            for (int nc : new int[] {5, nr, 3 * nr + 7, 130 * nr, 130 * nr - 3}) {
                for (int kc : new int[] {1, 7, 8, 9, 35}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        int pc = 3, jc = 2, bOff = 11;
                        int rows = transB ? jc + nc : pc + kc, cols = transB ? pc + kc : jc + nc;
                        int ldb = cols + 5;
                        float[] b = new float[bOff + rows * ldb];
                        for (int i = 0; i < b.length; i++) b[i] = random.nextFloat() - 0.5f;
                        float[] expected = referencePackB(transB, b, bOff, ldb, pc, jc, kc, nc, nr);
                        for (int members = 1; members <= 5; members++) {
                            float[] dst = new float[expected.length];
                            Arrays.fill(dst, Float.NaN);
                            for (int member = 0; member < members; member++) {
                                Packing.packB(transB, b, bOff, ldb, pc, jc, kc, nc, dst, kernel, member, members);
                            }
                            String where = kernel.name() + ": nc=" + nc + " kc=" + kc + " transB=" + transB + " members=" + members;
                            assertArrayEquals(expected, dst, where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void groupsCoverAPageOfEachRowAndGiveEveryMemberOne() {
        assertEquals(32, Packing.groupPanels(64, 32, 1), "nr = 32: 4 KiB of a row is 32 panels");
        assertEquals(32, Packing.groupPanels(64, 32, 2));
        assertEquals(16, Packing.groupPanels(32, 32, 2), "fewer panels per group so both members get one");
        assertEquals(64, Packing.groupPanels(256, 16, 2), "nr = 16: 64 panels");
        assertEquals(1, Packing.groupPanels(256, 8, 1), "nr = 8: narrower than a line, one at a time");
        assertEquals(1, Packing.groupPanels(1, 32, 4), "never below one panel");
    }

    @Test
    void packAMatchesTheLayoutWithAlphaAndZeroRows() {
        Random random = new Random(26);
        for (int mr : new int[] {3, 4, 6, 8, 12}) {
            for (int mc : new int[] {1, mr, 2 * mr + 1, 5 * mr - 2}) {
                for (boolean transA : new boolean[] {false, true}) {
                    int kc = 13, ic = 2, pc = 4, aOff = 7;
                    float alpha = -1.5f;
                    int rows = transA ? pc + kc : ic + mc, cols = transA ? ic + mc : pc + kc;
                    int lda = cols + 3;
                    float[] a = new float[aOff + rows * lda];
                    for (int i = 0; i < a.length; i++) a[i] = random.nextFloat() - 0.5f;
                    int panels = (mc + mr - 1) / mr;
                    float[] expected = new float[panels * kc * mr];
                    for (int r = 0; r < panels; r++) {
                        for (int p = 0; p < kc; p++) {
                            for (int i = 0; i < mr; i++) {
                                int row = r * mr + i;
                                expected[r * kc * mr + p * mr + i] = row >= mc ? 0f
                                        : alpha * (transA ? a[aOff + (pc + p) * lda + ic + row] : a[aOff + (ic + row) * lda + pc + p]);
                            }
                        }
                    }
                    for (int members = 1; members <= 3; members++) {
                        float[] dst = new float[expected.length];
                        Arrays.fill(dst, Float.NaN);
                        for (int member = 0; member < members; member++) {
                            Packing.packA(transA, a, aOff, lda, ic, pc, mc, kc, alpha, dst, 0, mr, member, panels, members);
                        }
                        assertArrayEquals(expected, dst, "mr=" + mr + " mc=" + mc + " transA=" + transA + " members=" + members);
                    }
                }
            }
        }
    }
}
