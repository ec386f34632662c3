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
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }

    @Override
    protected float sumUnchecked(float[] x, int xOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
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
