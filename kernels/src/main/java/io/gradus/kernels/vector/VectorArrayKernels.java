package io.gradus.kernels.vector;

import io.gradus.kernels.CheckedArrayKernels;
import io.gradus.kernels.internal.SimdSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation of {@link io.gradus.kernels.ArrayKernels}. Every loop has the same
 * shape: a main loop up to {@link VectorSpecies#loopBound(int)} over full vectors, then a scalar tail
 * (cheaper than a masked iteration on hot paths). Reductions carry two independent vector
 * accumulators so that consecutive adds/FMAs do not wait on each other's latency.
 *
 * <p>This class is only loaded when {@code jdk.incubator.vector} is resolvable; nothing outside the
 * {@code vector} packages refers to it directly.
 */
public final class VectorArrayKernels extends CheckedArrayKernels {

    /** The preferred species: the reductions and {@code exp}, which compute more than they move. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /**
     * The element-wise kernels' species: the preferred one up to {@link SimdSupport#STREAMING_MAX_BITS}
     * (their results do not depend on the width; unaligned 512-bit accesses cost them more than the
     * width gains).
     */
    private static final VectorSpecies<Float> E = VectorSpecies.of(float.class,
            VectorShape.forBitSize(SimdSupport.streamingBits(S.vectorBitSize())));
    private static final int VE = E.length();

    public static final VectorArrayKernels INSTANCE = new VectorArrayKernels();

    private VectorArrayKernels() {}

    @Override
    public String name() {
        return "vector(" + S.vectorBitSize() + "-bit, element-wise " + E.vectorBitSize() + "-bit)";
    }

    @Override
    protected void fillUnchecked(float[] x, int xOff, float value, int n) {
        FloatVector v = FloatVector.broadcast(E, value);
        int i = 0;
        for (int bound = E.loopBound(n); i < bound; i += VE) {
            v.intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] = value;
        }
    }

    @Override
    protected void axpyUnchecked(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(E, alpha);
        int i = 0;
        for (int bound = E.loopBound(n); i < bound; i += VE) {
            FloatVector vy = FloatVector.fromArray(E, y, yOff + i);
            // y + alpha*x with one rounding per element would differ from the scalar reference;
            // mul then add keeps the two implementations bit-identical.
            vy.add(FloatVector.fromArray(E, x, xOff + i).mul(va)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    // The operator is switched on outside the loops: a Vector API operator that is not a
    // compile-time constant at the call is not intrinsified and runs boxed, orders of magnitude slower.
    @Override
    protected void binaryUnchecked(Binary op, float[] a, int aOff, float[] b, int bOff,
                                   float[] out, int outOff, int n) {
        int i = 0;
        int bound = E.loopBound(n);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += VE) {
                    FloatVector.fromArray(E, a, aOff + i).add(FloatVector.fromArray(E, b, bOff + i)).intoArray(out, outOff + i);
                }
                for (; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
            }
            case SUB -> {
                for (; i < bound; i += VE) {
                    FloatVector.fromArray(E, a, aOff + i).sub(FloatVector.fromArray(E, b, bOff + i)).intoArray(out, outOff + i);
                }
                for (; i < n; i++) out[outOff + i] = a[aOff + i] - b[bOff + i];
            }
            case MUL -> {
                for (; i < bound; i += VE) {
                    FloatVector.fromArray(E, a, aOff + i).mul(FloatVector.fromArray(E, b, bOff + i)).intoArray(out, outOff + i);
                }
                for (; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
            }
            case DIV -> {
                for (; i < bound; i += VE) {
                    FloatVector.fromArray(E, a, aOff + i).div(FloatVector.fromArray(E, b, bOff + i)).intoArray(out, outOff + i);
                }
                for (; i < n; i++) out[outOff + i] = a[aOff + i] / b[bOff + i];
            }
        }
    }

    @Override
    protected void scalarUnchecked(Binary op, float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        int bound = E.loopBound(n);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += VE) FloatVector.fromArray(E, a, aOff + i).add(s).intoArray(out, outOff + i);
                for (; i < n; i++) out[outOff + i] = a[aOff + i] + s;
            }
            case SUB -> {
                for (; i < bound; i += VE) FloatVector.fromArray(E, a, aOff + i).sub(s).intoArray(out, outOff + i);
                for (; i < n; i++) out[outOff + i] = a[aOff + i] - s;
            }
            case MUL -> mulUnchecked(a, aOff, s, out, outOff, n);
            case DIV -> {
                for (; i < bound; i += VE) FloatVector.fromArray(E, a, aOff + i).div(s).intoArray(out, outOff + i);
                for (; i < n; i++) out[outOff + i] = a[aOff + i] / s;
            }
        }
    }

    @Override
    protected void mulUnchecked(float[] a, int aOff, float s, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = E.loopBound(n); i < bound; i += VE) {
            FloatVector.fromArray(E, a, aOff + i).mul(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * s;
        }
    }

    @Override
    protected void fmaUnchecked(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = E.loopBound(n); i < bound; i += VE) {
            FloatVector.fromArray(E, a, aOff + i)
                    .fma(FloatVector.fromArray(E, b, bOff + i), FloatVector.fromArray(E, c, cOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.fma(a[aOff + i], b[bOff + i], c[cOff + i]);
        }
    }

    @Override
    protected float dotUnchecked(float[] x, int xOff, float[] y, int yOff, int n) {
        // Two accumulators: each FMA has a 4-cycle latency and two can issue per cycle.
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n - 2 * V; i <= bound; i += 2 * V) {
            acc0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc0);
            acc1 = FloatVector.fromArray(S, x, xOff + i + V).fma(FloatVector.fromArray(S, y, yOff + i + V), acc1);
        }
        if (i <= n - V) {
            acc0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc0);
            i += V;
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }

    /**
     * 2 x 4 blocks of products: per step, 2 + 4 vector loads feed 8 FMAs into 8 accumulators
     * (instead of 2 loads per FMA for one product at a time). Each entry is one accumulator chain
     * summed by the fixed lane tree, whether it falls in a block or among the left-over rows and
     * columns ({@link #blockDot}): the result does not depend on m, n or the caller's chunking.
     */
    @Override
    protected void dotsUnchecked(int m, int n, int len, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] out, int outOff) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int a0 = aOff + i * lda, a1 = a0 + lda;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
                FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                for (int p = 0; p < bound; p += V) {
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + p), x1 = FloatVector.fromArray(S, a, a1 + p);
                    FloatVector y = FloatVector.fromArray(S, b, b0 + p);
                    c00 = x0.fma(y, c00);
                    c10 = x1.fma(y, c10);
                    y = FloatVector.fromArray(S, b, b1 + p);
                    c01 = x0.fma(y, c01);
                    c11 = x1.fma(y, c11);
                    y = FloatVector.fromArray(S, b, b2 + p);
                    c02 = x0.fma(y, c02);
                    c12 = x1.fma(y, c12);
                    y = FloatVector.fromArray(S, b, b3 + p);
                    c03 = x0.fma(y, c03);
                    c13 = x1.fma(y, c13);
                }
                // Written out, not looped over an array: vectors stored in an array get boxed.
                int o0 = outOff + i * n + j, o1 = o0 + n;
                out[o0] = finish(c00, a, a0, b, b0, len, bound);
                out[o0 + 1] = finish(c01, a, a0, b, b1, len, bound);
                out[o0 + 2] = finish(c02, a, a0, b, b2, len, bound);
                out[o0 + 3] = finish(c03, a, a0, b, b3, len, bound);
                out[o1] = finish(c10, a, a1, b, b0, len, bound);
                out[o1 + 1] = finish(c11, a, a1, b, b1, len, bound);
                out[o1 + 2] = finish(c12, a, a1, b, b2, len, bound);
                out[o1 + 3] = finish(c13, a, a1, b, b3, len, bound);
            }
            for (; j < n; j++) {
                out[outOff + i * n + j] = blockDot(a, a0, b, bOff + j * ldb, len, bound);
                out[outOff + (i + 1) * n + j] = blockDot(a, a1, b, bOff + j * ldb, len, bound);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[outOff + i * n + j] = blockDot(a, aOff + i * lda, b, bOff + j * ldb, len, bound);
            }
        }
    }

    /** One product with a single accumulator: the same operations as one entry of the 2 x 4 block. */
    private static float blockDot(float[] a, int aOff, float[] b, int bOff, int len, int bound) {
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < bound; p += V) {
            acc = FloatVector.fromArray(S, a, aOff + p).fma(FloatVector.fromArray(S, b, bOff + p), acc);
        }
        return finish(acc, a, aOff, b, bOff, len, bound);
    }

    /** Sums the accumulator's lanes, then adds the scalar tail {@code [bound, len)}. */
    private static float finish(FloatVector acc, float[] a, int aOff, float[] b, int bOff, int len, int bound) {
        float s = sumLanes(acc);
        for (int p = bound; p < len; p++) s = Math.fma(a[aOff + p], b[bOff + p], s);
        return s;
    }

    @Override
    protected float sumUnchecked(float[] x, int xOff, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n - 2 * V; i <= bound; i += 2 * V) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, xOff + i));
            acc1 = acc1.add(FloatVector.fromArray(S, x, xOff + i + V));
        }
        if (i <= n - V) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, xOff + i));
            i += V;
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    protected float maxUnchecked(float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            acc = acc.max(FloatVector.fromArray(S, x, xOff + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[xOff + i]);
        }
        return m;
    }

    @Override
    protected int indexOfUnchecked(float[] x, int xOff, float value, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            VectorMask<Float> hit = FloatVector.fromArray(S, x, xOff + i).eq(value);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (x[xOff + i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("value " + value + " not found");
    }

    @Override
    protected void reluUnchecked(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = E.loopBound(n); i < bound; i += VE) {
            FloatVector.fromArray(E, x, xOff + i).max(0f).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    protected void reluBackwardUnchecked(float[] x, int xOff, float[] gradOut, int gOff,
                                         float[] gradIn, int giOff, int n) {
        FloatVector zero = FloatVector.zero(E);
        int i = 0;
        for (int bound = E.loopBound(n); i < bound; i += VE) {
            VectorMask<Float> positive = FloatVector.fromArray(E, x, xOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(E, gradOut, gOff + i), positive).intoArray(gradIn, giOff + i);
        }
        for (; i < n; i++) {
            gradIn[giOff + i] = x[xOff + i] > 0f ? gradOut[gOff + i] : 0f;
        }
    }

    @Override
    protected void expUnchecked(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.EXP).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }


    /**
     * The sum of a vector's lanes by a fixed halving tree (lanes i and i + V/2, then i and i + V/4,
     * ...). {@code reduceLanes(ADD)} leaves the order unspecified, and its C2 intrinsic and its Java
     * fallback (used before the method is compiled) round differently: the same dot product could
     * then differ in the last bit from one call to the next.
     *
     * <p>Each level adds the vector's two halves, taken as vectors of half the width
     * ({@code reinterpretShape(half, 0)} and {@code (half, 1)}, an extract on x86). That is the same
     * tree as {@code v.add(v.slice(V / 2))}, whose general lane shift C2 compiles into a permute and
     * a blend; reductions in that form were 12% of LeNet's training step in a JFR profile when the
     * weight gradient reduced its accumulators that way (issue 25). Lane counts other than 2-16 (scalable vectors)
     * take the slice form.
     */
    static float sumLanes(FloatVector v) {
        int lanes = v.length();
        if (lanes == 16) { v = addHalves(v, FloatVector.SPECIES_256); lanes = 8; }
        if (lanes == 8) { v = addHalves(v, FloatVector.SPECIES_128); lanes = 4; }
        if (lanes == 4) { v = addHalves(v, FloatVector.SPECIES_64); lanes = 2; }
        if (lanes == 2) return v.lane(0) + v.lane(1);
        for (int half = lanes / 2; half >= 1; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }

    /** Lanes i and i + length/2 added, as a vector of half the width. */
    private static FloatVector addHalves(FloatVector v, VectorSpecies<Float> half) {
        return ((FloatVector) v.reinterpretShape(half, 0)).add((FloatVector) v.reinterpretShape(half, 1));
    }
}
