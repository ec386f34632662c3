package io.gradus.kernels.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What every SGEMM engine must satisfy; each engine's test extends this class (STYLE.md: shared
 * abstract checks). The oracle is a naive triple loop in double precision.
 */
abstract class GemmContract {

    static final int[] SIZES = {1, 2, 3, 7, 16, 17, 31, 64, 65, 127, 200};
    static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {-0.5f, 0f}, {0.75f, -1.25f}, {2f, 1f}};

    /** The engine under test. */
    abstract GemmEngine engine();

    /** How many random shapes to draw per transpose/alpha/beta combination. */
    int shapesPerCombination() {
        return 6;
    }

    /** A stored matrix with padding: offset before it and leading dimension past its rows. */
    record Stored(float[] data, int off, int ld, int rows, int cols) {
        float at(int i, int j) {
            return data[off + i * ld + j];
        }
    }

    static Stored random(Random r, int rows, int cols, int pad, boolean nanFill) {
        int off = r.nextInt(5);
        int ld = Math.max(1, cols) + pad;
        float[] data = new float[off + Math.max(0, rows - 1) * ld + cols + r.nextInt(3)];
        for (int i = 0; i < data.length; i++) data[i] = nanFill ? Float.NaN : 2f * r.nextFloat() - 1f;
        // With nanFill, C holds NaN everywhere: beta = 0 must overwrite it without reading it.
        return new Stored(data, off, ld, rows, cols);
    }

    /** C = alpha op(A) op(B) + beta C in double, and a bound on its rounding error per element. */
    static double[][] reference(boolean tA, boolean tB, int m, int n, int k, float alpha, Stored a,
                                Stored b, float beta, Stored c, double[][] bound) {
        double[][] want = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) (tA ? a.at(p, i) : a.at(i, p)) * (tB ? b.at(j, p) : b.at(p, j));
                    s += t;
                    abs += Math.abs(t);
                }
                double cij = beta == 0f ? 0 : c.at(i, j);
                want[i][j] = alpha * s + beta * cij;
                bound[i][j] = 2e-7 * (k + 4) * (Math.abs(alpha) * abs + Math.abs(beta * cij)) + 1e-6;
            }
        }
        return want;
    }

    void checkOne(Random r, boolean tA, boolean tB, int m, int n, int k, float alpha, float beta) {
        Stored a = tA ? random(r, k, m, r.nextInt(3), false) : random(r, m, k, r.nextInt(3), false);
        Stored b = tB ? random(r, n, k, r.nextInt(3), false) : random(r, k, n, r.nextInt(3), false);
        Stored c = random(r, m, n, r.nextInt(3), beta == 0f);
        float[] before = c.data().clone();
        double[][] bound = new double[m][n];
        double[][] want = reference(tA, tB, m, n, k, alpha, a, b, beta, c, bound);
        engine().sgemm(tA, tB, m, n, k, alpha, a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(),
                beta, c.data(), c.off(), c.ld());
        String what = "tA=" + tA + " tB=" + tB + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta;
        boolean[] inside = new boolean[c.data().length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float got = c.at(i, j);
                inside[c.off() + i * c.ld() + j] = true;
                if (!(Math.abs(got - want[i][j]) <= bound[i][j])) {
                    fail(what + ": C(" + i + "," + j + ") = " + got + ", expected " + want[i][j] + " +- " + bound[i][j]);
                }
            }
        }
        for (int q = 0; q < inside.length; q++) {
            if (!inside[q]) {
                assertEquals(before[q], c.data()[q], what + ": wrote outside C at index " + q);
            }
        }
    }

    @Test
    void randomShapesEveryTransposeAlphaBeta() {
        Random r = new Random(20261129);
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (float[] ab : ALPHA_BETA) {
                    for (int s = 0; s < shapesPerCombination(); s++) {
                        int m = SIZES[r.nextInt(SIZES.length)];
                        int n = SIZES[r.nextInt(SIZES.length)];
                        int k = SIZES[r.nextInt(SIZES.length)];
                        checkOne(r, tA, tB, m, n, k, ab[0], ab[1]);
                    }
                }
            }
        }
    }

    @Test
    void edgeSizesAroundTheTile() {
        GemmBlocking blk = engine().microKernel().blocking();
        Random r = new Random(7);
        int[] ms = {1, blk.mr() - 1, blk.mr(), blk.mr() + 1, 2 * blk.mr() + 3};
        int[] ns = {1, blk.nr() - 1, blk.nr(), blk.nr() + 1};
        for (int m : ms) for (int n : ns) checkOne(r, false, false, Math.max(1, m), Math.max(1, n), 19, 1f, 0.5f);
    }

    @Test
    void emptyAndDegenerateProducts() {
        float[] c = {1f, 2f, 3f, 4f};
        // k = 0: C = beta * C.
        engine().sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0.5f, c, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, c);
        // alpha = 0 and beta = 0 with NaN in C: zeros, not NaN.
        float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        engine().sgemm(false, false, 2, 2, 1, 0f, new float[] {1, 1}, 0, 1, new float[] {1, 1}, 0, 2, 0f, nan, 0, 2);
        assertArrayEquals(new float[4], nan);
        // m = 0 or n = 0: nothing happens, even with empty arrays.
        engine().sgemm(false, false, 0, 3, 3, 1f, new float[0], 0, 3, new float[9], 0, 3, 0f, new float[0], 0, 3);
        engine().sgemm(true, true, 3, 0, 3, 1f, new float[9], 0, 3, new float[0], 0, 3, 0f, new float[0], 0, 1);
    }

    @Test
    void badArgumentsNameTheArgumentAndValue() {
        float[] a = new float[12], b = new float[12], c = new float[12];
        List<IllegalArgumentException> es = new ArrayList<>();
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, false, -1, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)));
        assertEquals("m = -1: expected >= 0", es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, false, 3, 3, -4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)));
        assertEquals("k = -4: expected >= 0", es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, false, 3, 3, 4, 1f, a, 0, 3, b, 0, 3, 0f, c, 0, 3)));
        assertEquals("lda = 3: expected >= max(1, 4), the row length of A (3 x 4)", es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, true, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3)));
        assertEquals("ldb = 3: expected >= max(1, 4), the row length of B (3 x 4)", es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, false, 3, 3, 4, 1f, a, 1, 4, b, 0, 3, 0f, c, 0, 3)));
        assertEquals("A: a 3 x 4 matrix at offset 1 with leading dimension 4 needs 13 elements, but its array length is 12",
                es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, new float[10], 0, 4)));
        assertEquals("C: a 3 x 3 matrix at offset 0 with leading dimension 4 needs 11 elements, but its array length is 10",
                es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemm(false, false, 3, 3, 4, 1f, a, -2, 4, b, 0, 3, 0f, c, 0, 3)));
        assertEquals("A offset = -2: expected >= 0", es.getLast().getMessage());
        es.add(assertThrows(IllegalArgumentException.class,
                () -> engine().sgemv(false, 3, 4, 1f, a, 0, 4, new float[3], 0, 1, 0f, c, 0, 1)));
        assertTrue(es.getLast().getMessage().startsWith("x: offset 0 + (length 4 - 1) * stride 1 = 3"), es.getLast().getMessage());
    }

    @Test
    void residualCheckAt1024() {
        // STYLE.md 10: C t = beta C0 t + alpha A (B t) for a random t, O(n^2), no reference GEMM.
        int n = 1024;
        Random r = new Random(11);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = 2f * r.nextFloat() - 1f;
            b[i] = 2f * r.nextFloat() - 1f;
            c[i] = 2f * r.nextFloat() - 1f;
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = r.nextGaussian();
        float alpha = 0.5f, beta = -2f;
        double[] c0t = matVec(c, n, t);
        double[] bt = matVec(b, n, t);
        double[] abt = matVec(a, n, bt);
        engine().sgemm(false, false, n, n, n, alpha, a, 0, n, b, 0, n, beta, c, 0, n);
        double[] ct = matVec(c, n, t);
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(ct[i] - (beta * c0t[i] + alpha * abt[i])));
            scale = Math.max(scale, Math.abs(alpha * abt[i]));
        }
        // Each of the n terms of (C t)_i carries a float error of about sqrt(n) eps |A||B|: the
        // residual stays near 1e-4 of the result's scale; a wrong tile would give O(1).
        assertTrue(worst < 1e-4 * scale, "residual " + worst + " vs scale " + scale);
    }

    static double[] matVec(float[] m, int n, double[] v) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += m[i * n + j] * v[j];
            out[i] = s;
        }
        return out;
    }

    @Test
    void sgemvMatchesNaiveLoopWithStrides() {
        Random r = new Random(5);
        for (boolean trans : new boolean[] {false, true}) {
            for (int[] mn : new int[][] {{1, 1}, {7, 33}, {65, 17}, {300, 301}}) {
                int m = mn[0], n = mn[1];
                for (int inc : new int[] {1, 3}) {
                    Stored a = random(r, m, n, 2, false);
                    int xLen = trans ? m : n, yLen = trans ? n : m;
                    float[] x = new float[2 + xLen * inc], y = new float[1 + yLen * inc];
                    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
                    for (int i = 0; i < y.length; i++) y[i] = r.nextFloat() - 0.5f;
                    float[] y0 = y.clone();
                    float alpha = 1.5f, beta = inc == 1 ? 0f : -0.5f;
                    engine().sgemv(trans, m, n, alpha, a.data(), a.off(), a.ld(), x, 2, inc, beta, y, 1, inc);
                    for (int i = 0; i < yLen; i++) {
                        double s = 0;
                        for (int p = 0; p < xLen; p++) s += (double) (trans ? a.at(p, i) : a.at(i, p)) * x[2 + p * inc];
                        double want = alpha * s + beta * y0[1 + i * inc];
                        assertEquals(want, y[1 + i * inc], 1e-5 * (xLen + 1), "trans=" + trans + " m=" + m + " n=" + n);
                    }
                }
            }
        }
    }
}
