package io.gradus.kernels;

import io.gradus.kernels.internal.Checks;

import static io.gradus.kernels.internal.Checks.slice;
import static io.gradus.kernels.internal.Checks.strided;

/**
 * Checks every argument once, then hands the validated slice to the implementation's unchecked
 * kernel. Keeping the checks here means the scalar and the Vector API implementations hold only
 * arithmetic, and both reject bad input with the same messages.
 */
public abstract class CheckedArrayKernels implements ArrayKernels {

    @Override
    public final void fill(float[] x, int xOff, float value, int n) {
        slice("x", x, xOff, n);
        fillUnchecked(x, xOff, value, n);
    }

    @Override
    public final void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        slice("src", src, srcOff, n);
        slice("dst", dst, dstOff, n);
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public final void scale(float alpha, float[] x, int xOff, int n) {
        slice("x", x, xOff, n);
        mulUnchecked(x, xOff, alpha, x, xOff, n);
    }

    @Override
    public final void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        slice("x", x, xOff, n);
        slice("y", y, yOff, n);
        axpyUnchecked(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public final void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        checkBinary(a, aOff, b, bOff, out, outOff, n);
        binaryUnchecked(Binary.ADD, a, aOff, b, bOff, out, outOff, n);
    }

    @Override
    public final void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        checkBinary(a, aOff, b, bOff, out, outOff, n);
        binaryUnchecked(Binary.SUB, a, aOff, b, bOff, out, outOff, n);
    }

    @Override
    public final void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        checkBinary(a, aOff, b, bOff, out, outOff, n);
        binaryUnchecked(Binary.MUL, a, aOff, b, bOff, out, outOff, n);
    }

    @Override
    public final void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        checkBinary(a, aOff, b, bOff, out, outOff, n);
        binaryUnchecked(Binary.DIV, a, aOff, b, bOff, out, outOff, n);
    }

    @Override
    public final void add(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        checkUnary(a, aOff, out, outOff, n);
        scalarUnchecked(Binary.ADD, a, aOff, s, out, outOff, n);
    }

    @Override
    public final void sub(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        checkUnary(a, aOff, out, outOff, n);
        scalarUnchecked(Binary.SUB, a, aOff, s, out, outOff, n);
    }

    @Override
    public final void mul(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        checkUnary(a, aOff, out, outOff, n);
        mulUnchecked(a, aOff, s, out, outOff, n);
    }

    @Override
    public final void div(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        checkUnary(a, aOff, out, outOff, n);
        scalarUnchecked(Binary.DIV, a, aOff, s, out, outOff, n);
    }

    @Override
    public final void fma(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                          float[] out, int outOff, int n) {
        checkBinary(a, aOff, b, bOff, out, outOff, n);
        slice("c", c, cOff, n);
        fmaUnchecked(a, aOff, b, bOff, c, cOff, out, outOff, n);
    }

    @Override
    public final float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        slice("x", x, xOff, n);
        slice("y", y, yOff, n);
        return dotUnchecked(x, xOff, y, yOff, n);
    }

    @Override
    public final float dot(float[] x, int xOff, int incX, float[] y, int yOff, int incY, int n) {
        strided("x", x, xOff, n, incX);
        strided("y", y, yOff, n, incY);
        if (incX == 1 && incY == 1) {
            return dotUnchecked(x, xOff, y, yOff, n);
        }
        return dotStridedUnchecked(x, xOff, incX, y, yOff, incY, n);
    }

    @Override
    public final void dots(int m, int n, int len, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] out, int outOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.nonNegative("len", len);
        Checks.matrix("A", a, aOff, m, len, Math.max(lda, 1));
        Checks.matrix("B", b, bOff, n, len, Math.max(ldb, 1));
        if (lda < len) throw new IllegalArgumentException("lda = " + lda + ": expected >= len = " + len);
        if (ldb < len) throw new IllegalArgumentException("ldb = " + ldb + ": expected >= len = " + len);
        slice("out", out, outOff, m * n);
        dotsUnchecked(m, n, len, a, aOff, lda, b, bOff, ldb, out, outOff);
    }

    /** Pairwise dots; both implementations may override with something faster. */
    protected void dotsUnchecked(int m, int n, int len, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[outOff + i * n + j] = dotUnchecked(a, aOff + i * lda, b, bOff + j * ldb, len);
            }
        }
    }

    @Override
    public final float sum(float[] x, int xOff, int n) {
        slice("x", x, xOff, n);
        return sumUnchecked(x, xOff, n);
    }

    @Override
    public final float sumOfSquares(float[] x, int xOff, int n) {
        slice("x", x, xOff, n);
        return dotUnchecked(x, xOff, x, xOff, n);
    }

    @Override
    public final float norm2(float[] x, int xOff, int n) {
        return (float) Math.sqrt(sumOfSquares(x, xOff, n));
    }

    @Override
    public final float max(float[] x, int xOff, int n) {
        checkNonEmpty("max", x, xOff, n);
        return maxUnchecked(x, xOff, n);
    }

    @Override
    public final int argmax(float[] x, int xOff, int n) {
        checkNonEmpty("argmax", x, xOff, n);
        float max = maxUnchecked(x, xOff, n);
        if (Float.isNaN(max)) {
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(x[xOff + i])) {
                    return i;
                }
            }
        }
        return indexOfUnchecked(x, xOff, max, n);
    }

    @Override
    public final void relu(float[] x, int xOff, float[] out, int outOff, int n) {
        checkUnary(x, xOff, out, outOff, n);
        reluUnchecked(x, xOff, out, outOff, n);
    }

    @Override
    public final void reluBackward(float[] x, int xOff, float[] gradOut, int gOff,
                                   float[] gradIn, int giOff, int n) {
        slice("x", x, xOff, n);
        slice("gradOut", gradOut, gOff, n);
        slice("gradIn", gradIn, giOff, n);
        reluBackwardUnchecked(x, xOff, gradOut, gOff, gradIn, giOff, n);
    }

    @Override
    public final void exp(float[] x, int xOff, float[] out, int outOff, int n) {
        checkUnary(x, xOff, out, outOff, n);
        expUnchecked(x, xOff, out, outOff, n);
    }

    private static void checkUnary(float[] a, int aOff, float[] out, int outOff, int n) {
        slice("a", a, aOff, n);
        slice("out", out, outOff, n);
    }

    private static void checkBinary(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        slice("a", a, aOff, n);
        slice("b", b, bOff, n);
        slice("out", out, outOff, n);
    }

    private static void checkNonEmpty(String op, float[] x, int xOff, int n) {
        slice("x", x, xOff, n);
        if (n == 0) {
            throw new IllegalArgumentException(op + ": length = 0: expected >= 1 (undefined on an empty slice)");
        }
    }

    /** The four arithmetic operators of the array-array and array-scalar kernels. */
    protected enum Binary { ADD, SUB, MUL, DIV }

    protected abstract void fillUnchecked(float[] x, int xOff, float value, int n);

    protected abstract void axpyUnchecked(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    protected abstract void binaryUnchecked(Binary op, float[] a, int aOff, float[] b, int bOff,
                                            float[] out, int outOff, int n);

    protected abstract void scalarUnchecked(Binary op, float[] a, int aOff, float s,
                                            float[] out, int outOff, int n);

    /** Array times scalar, kept apart from {@link #scalarUnchecked} because scale() is hot. */
    protected abstract void mulUnchecked(float[] a, int aOff, float s, float[] out, int outOff, int n);

    protected abstract void fmaUnchecked(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                         float[] out, int outOff, int n);

    protected abstract float dotUnchecked(float[] x, int xOff, float[] y, int yOff, int n);

    /** Strided dot; both implementations share this scalar loop (gathers do not pay here). */
    protected float dotStridedUnchecked(float[] x, int xOff, int incX, float[] y, int yOff, int incY, int n) {
        // Two accumulators break the add dependency chain; the loads, not the adds, bound this loop.
        float s0 = 0f, s1 = 0f;
        int i = 0;
        int ix = xOff, iy = yOff;
        for (; i + 1 < n; i += 2, ix += 2 * incX, iy += 2 * incY) {
            s0 = Math.fma(x[ix], y[iy], s0);
            s1 = Math.fma(x[ix + incX], y[iy + incY], s1);
        }
        if (i < n) {
            s0 = Math.fma(x[ix], y[iy], s0);
        }
        return s0 + s1;
    }

    protected abstract float sumUnchecked(float[] x, int xOff, int n);

    protected abstract float maxUnchecked(float[] x, int xOff, int n);

    /** The first i with {@code x[xOff + i] == value}; the caller guarantees there is one. */
    protected abstract int indexOfUnchecked(float[] x, int xOff, float value, int n);

    protected abstract void reluUnchecked(float[] x, int xOff, float[] out, int outOff, int n);

    protected abstract void reluBackwardUnchecked(float[] x, int xOff, float[] gradOut, int gOff,
                                                  float[] gradIn, int giOff, int n);

    protected abstract void expUnchecked(float[] x, int xOff, float[] out, int outOff, int n);
}
