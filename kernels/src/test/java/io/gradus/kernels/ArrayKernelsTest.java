package io.gradus.kernels;

import io.gradus.kernels.vector.VectorArrayKernels;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Vector API kernels against the scalar reference, and both against double-precision loops,
 * at lengths 0, 1, primes and lengths that are not multiples of the vector width (16 floats with
 * AVX-512, 8 with AVX2), at zero and non-zero offsets.
 */
class ArrayKernelsTest {

    static final ArrayKernels SCALAR = ScalarArrayKernels.INSTANCE;
    static final ArrayKernels VECTOR = VectorArrayKernels.INSTANCE;
    static final int[] LENGTHS = {0, 1, 2, 3, 5, 7, 8, 13, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 97, 127, 1000, 1031};

    static Stream<Arguments> cases() {
        return IntStream.of(LENGTHS).boxed()
                .flatMap(n -> Stream.of(Arguments.of(n, 0), Arguments.of(n, 3), Arguments.of(n, 17)));
    }

    /** Random values in [-2, 2) at offsets [off, off + n), with junk around them. */
    static float[] random(long seed, int off, int n) {
        Random r = new Random(seed);
        float[] x = new float[off + n + 5];
        for (int i = 0; i < x.length; i++) x[i] = 4f * r.nextFloat() - 2f;
        return x;
    }

    /** Applies an elementwise kernel through both implementations and demands identical bits. */
    interface Elementwise { void run(ArrayKernels k, float[] out); }

    static void sameBits(int n, int off, float[] init, Elementwise op) {
        float[] s = init.clone(), v = init.clone();
        op.run(SCALAR, s);
        op.run(VECTOR, v);
        assertArrayEquals(s, v, "n = " + n + ", offset = " + off);
    }

    @ParameterizedTest(name = "n={0} off={1}")
    @MethodSource("cases")
    void elementwiseKernelsMatchScalarBitForBit(int n, int off) {
        float[] a = random(1, off, n), b = random(2, off, n), c = random(3, off, n);
        float[] out = random(4, off, n);
        for (int i = 0; i < b.length; i++) if (b[i] == 0f) b[i] = 0.5f;
        sameBits(n, off, out, (k, o) -> k.fill(o, off, 1.25f, n));
        sameBits(n, off, out, (k, o) -> k.copy(a, off, o, off, n));
        sameBits(n, off, a, (k, o) -> k.scale(-1.5f, o, off, n));
        sameBits(n, off, out, (k, o) -> k.axpy(0.75f, a, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.add(a, off, b, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.sub(a, off, b, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.mul(a, off, b, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.div(a, off, b, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.add(a, off, 0.3f, o, off, n));
        sameBits(n, off, out, (k, o) -> k.sub(a, off, 0.3f, o, off, n));
        sameBits(n, off, out, (k, o) -> k.mul(a, off, 0.3f, o, off, n));
        sameBits(n, off, out, (k, o) -> k.div(a, off, 0.3f, o, off, n));
        sameBits(n, off, out, (k, o) -> k.fma(a, off, b, off, c, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.relu(a, off, o, off, n));
        sameBits(n, off, out, (k, o) -> k.reluBackward(a, off, b, off, o, off, n));
        // In place: out aliases the input exactly.
        sameBits(n, off, a, (k, o) -> k.add(o, off, b, off, o, off, n));
    }

    @ParameterizedTest(name = "n={0} off={1}")
    @MethodSource("cases")
    void elementwiseValuesAreTheFormulas(int n, int off) {
        float[] a = random(5, off, n), b = random(6, off, n), c = random(7, off, n);
        for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
            float[] out = new float[a.length];
            k.fma(a, off, b, off, c, off, out, off, n);
            for (int i = off; i < off + n; i++) assertEquals(Math.fma(a[i], b[i], c[i]), out[i]);
            k.relu(a, off, out, off, n);
            for (int i = off; i < off + n; i++) assertEquals(a[i] > 0 ? a[i] : 0f, out[i]);
            k.reluBackward(a, off, b, off, out, off, n);
            for (int i = off; i < off + n; i++) assertEquals(a[i] > 0 ? b[i] : 0f, out[i]);
            float[] y = c.clone();
            k.axpy(2f, a, off, y, off, n);
            for (int i = off; i < off + n; i++) assertEquals(c[i] + 2f * a[i], y[i]);
            assertEquals(c[off + n], y[off + n], "axpy wrote past the slice");
            if (off > 0) assertEquals(c[off - 1], y[off - 1], "axpy wrote before the slice");
        }
    }

    @ParameterizedTest(name = "n={0} off={1}")
    @MethodSource("cases")
    void expIsWithinTwoUlpsOfMathExp(int n, int off) {
        float[] a = random(8, off, n);
        for (int i = 0; i < a.length; i++) a[i] *= 20f; // [-40, 40): covers tiny and large results
        for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
            float[] out = new float[a.length];
            k.exp(a, off, out, off, n);
            for (int i = off; i < off + n; i++) {
                float want = (float) Math.exp(a[i]);
                assertEquals(want, out[i], 2 * Math.ulp(want), k.name() + " exp(" + a[i] + ")");
            }
        }
    }

    @ParameterizedTest(name = "n={0} off={1}")
    @MethodSource("cases")
    void reductionsAgreeWithDoublePrecision(int n, int off) {
        float[] x = random(9, off, n), y = random(10, off, n);
        double dot = 0, sum = 0, ss = 0, abs = 0;
        for (int i = off; i < off + n; i++) {
            dot += (double) x[i] * y[i];
            sum += x[i];
            ss += (double) x[i] * x[i];
            abs += Math.abs((double) x[i] * y[i]) + Math.abs(x[i]);
        }
        // Float summation in any order is within n * eps * sum|terms| of the exact value.
        double tol = 1e-6 + n * 6e-8 * abs * 2;
        for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
            assertEquals(dot, k.dot(x, off, y, off, n), tol, k.name() + " dot");
            assertEquals(sum, k.sum(x, off, n), tol, k.name() + " sum");
            assertEquals(ss, k.sumOfSquares(x, off, n), tol, k.name() + " sumOfSquares");
            assertEquals(Math.sqrt(ss), k.norm2(x, off, n), 1e-6 + 1e-6 * Math.sqrt(ss), k.name() + " norm2");
        }
    }

    @ParameterizedTest(name = "n={0} off={1}")
    @MethodSource("cases")
    void stridedDotMatchesNaiveLoop(int n, int off) {
        int incX = 3, incY = 7;
        float[] x = random(11, off, n * incX + 1), y = random(12, off, n * incY + 1);
        double want = 0, abs = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) x[off + i * incX] * y[off + i * incY];
            want += t;
            abs += Math.abs(t);
        }
        for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
            assertEquals(want, k.dot(x, off, incX, y, off, incY, n), 1e-6 + n * 1.2e-7 * abs, k.name());
            assertEquals(k.dot(x, off, y, off, n), k.dot(x, off, 1, y, off, 1, n), k.name() + " unit strides");
        }
    }

    @ParameterizedTest(name = "len={0} off={1}")
    @MethodSource("cases")
    void pairwiseDotsMatchDoublePrecisionForEveryBlockShape(int len, int off) {
        for (int[] mn : new int[][] {{1, 1}, {2, 4}, {3, 5}, {5, 9}}) {
            int m = mn[0], n = mn[1], lda = len + 3, ldb = len + 1;
            float[] a = random(14, off, m * lda), b = random(15, off, n * ldb);
            for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
                float[] out = new float[2 + m * n];
                k.dots(m, n, len, a, off, lda, b, off, ldb, out, 2);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                    double want = 0, abs = 0;
                    for (int p = 0; p < len; p++) {
                        double t = (double) a[off + i * lda + p] * b[off + j * ldb + p];
                        want += t;
                        abs += Math.abs(t);
                    }
                    assertEquals(want, out[2 + i * n + j], 1e-6 + len * 1.2e-7 * abs, k.name() + " m=" + m + " n=" + n);
                }
            }
        }
    }

    @ParameterizedTest(name = "n={0} off={1}")
    @MethodSource("cases")
    void maxAndArgmaxFindTheFirstLargest(int n, int off) {
        if (n == 0) {
            for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
                float[] x = new float[4];
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.max(x, 1, 0));
                assertTrue(e.getMessage().contains("length = 0"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> k.argmax(x, 1, 0));
            }
            return;
        }
        float[] x = random(13, off, n);
        int planted = n / 2;
        x[off + planted] = 7f;
        if (n > 3) x[off + n - 1] = 7f; // a later tie must not win
        for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
            assertEquals(7f, k.max(x, off, n), k.name());
            assertEquals(planted, k.argmax(x, off, n), k.name());
            float[] withNaN = x.clone();
            withNaN[off + n - 1] = Float.NaN;
            assertTrue(Float.isNaN(k.max(withNaN, off, n)), k.name() + " NaN propagates");
            assertEquals(n - 1, k.argmax(withNaN, off, n), k.name() + " first NaN wins, as NumPy");
        }
    }

    @Test
    void badSlicesNameTheArgumentAndValue() {
        float[] x = new float[10], y = new float[10];
        for (ArrayKernels k : new ArrayKernels[] {SCALAR, VECTOR}) {
            var e = assertThrows(IllegalArgumentException.class, () -> k.axpy(1f, x, 4, y, 0, 7));
            assertEquals("x: offset 4 + length 7 = 11 exceeds its array length 10", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.add(x, 0, y, 0, x, 0, -1));
            assertEquals("length = -1: expected >= 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.sum(x, -2, 1));
            assertEquals("x offset = -2: expected >= 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.dot(x, 0, 0, y, 0, 1, 3));
            assertEquals("x stride = 0: expected >= 1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.dot(x, 0, 4, y, 0, 1, 4));
            assertTrue(e.getMessage().startsWith("x: offset 0 + (length 4 - 1) * stride 4 = 12"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.exp(null, 0, y, 0, 1));
            assertEquals("a = null: expected an array", e.getMessage());
        }
    }
}
