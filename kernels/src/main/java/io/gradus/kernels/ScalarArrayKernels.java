package io.gradus.kernels;

/**
 * The plain-loop implementation: the reference the Vector API kernels are tested against, and the
 * fallback when {@code jdk.incubator.vector} is not resolvable or {@code -Dgradus.simd=false}.
 */
public final class ScalarArrayKernels extends CheckedArrayKernels {

    public static final ScalarArrayKernels INSTANCE = new ScalarArrayKernels();

    private ScalarArrayKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    protected void fillUnchecked(float[] x, int xOff, float value, int n) {
        java.util.Arrays.fill(x, xOff, xOff + n, value);
    }

    @Override
    protected void axpyUnchecked(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    protected void binaryUnchecked(Binary op, float[] a, int aOff, float[] b, int bOff,
                                   float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i]; }
            case SUB -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] - b[bOff + i]; }
            case MUL -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i]; }
            case DIV -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] / b[bOff + i]; }
        }
    }

    @Override
    protected void scalarUnchecked(Binary op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] + s; }
            case SUB -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] - s; }
            case MUL -> mulUnchecked(a, aOff, s, out, outOff, n);
            case DIV -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] / s; }
        }
    }

    @Override
    protected void mulUnchecked(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * s;
        }
    }

    @Override
    protected void fmaUnchecked(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.fma(a[aOff + i], b[bOff + i], c[cOff + i]);
        }
    }

    @Override
    protected float dotUnchecked(float[] x, int xOff, float[] y, int yOff, int n) {
        // Eight running sums, as a vector kernel keeps one per lane: each adds an eighth of the
        // terms, so the rounding error grows with sqrt(n / 8) instead of sqrt(n) (a single float
        // sum of 65,536 squares, the Trainer's norm chunk, is off by about 1e-5 relative). Fixed
        // order: lane i takes the terms i, i + 8, ...; then ((0+1)+(2+3))+((4+5)+(6+7)); then the tail.
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int a = xOff + i, b = yOff + i;
            s0 = Math.fma(x[a], y[b], s0);
            s1 = Math.fma(x[a + 1], y[b + 1], s1);
            s2 = Math.fma(x[a + 2], y[b + 2], s2);
            s3 = Math.fma(x[a + 3], y[b + 3], s3);
            s4 = Math.fma(x[a + 4], y[b + 4], s4);
            s5 = Math.fma(x[a + 5], y[b + 5], s5);
            s6 = Math.fma(x[a + 6], y[b + 6], s6);
            s7 = Math.fma(x[a + 7], y[b + 7], s7);
        }
        float s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    @Override
    protected float sumUnchecked(float[] x, int xOff, int n) {
        // eight running sums in a fixed order, as dotUnchecked and for the same reason
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int a = xOff + i;
            s0 += x[a];
            s1 += x[a + 1];
            s2 += x[a + 2];
            s3 += x[a + 3];
            s4 += x[a + 4];
            s5 += x[a + 5];
            s6 += x[a + 6];
            s7 += x[a + 7];
        }
        float s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) s += x[xOff + i];
        return s;
    }

    @Override
    protected float maxUnchecked(float[] x, int xOff, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[xOff + i]);
        }
        return m;
    }

    @Override
    protected int indexOfUnchecked(float[] x, int xOff, float value, int n) {
        for (int i = 0; i < n; i++) {
            if (x[xOff + i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("value " + value + " not found");
    }

    @Override
    protected void reluUnchecked(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    protected void reluBackwardUnchecked(float[] x, int xOff, float[] gradOut, int gOff,
                                         float[] gradIn, int giOff, int n) {
        for (int i = 0; i < n; i++) {
            gradIn[giOff + i] = x[xOff + i] > 0f ? gradOut[gOff + i] : 0f;
        }
    }

    @Override
    protected void expUnchecked(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }
}
