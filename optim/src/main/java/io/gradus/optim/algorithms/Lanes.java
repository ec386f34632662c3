package io.gradus.optim.algorithms;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twins of {@link UpdateKernel}'s helpers, and the species every vector kernel uses
 * ({@link FloatVector#SPECIES_PREFERRED}, chosen once). Each helper performs the same IEEE
 * operations in the same order as its scalar twin (multiplies and adds kept apart, never fused),
 * which is what makes the scalar and vector kernels bit-identical. Loaded only by the units'
 * vector kernels, so nothing links against {@code jdk.incubator.vector} when the module is absent.
 */
final class Lanes {
    private Lanes() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();

    /** The end of the vector loop over {@code [off, off + len)}; a scalar tail finishes the rest. */
    static int bound(int off, int len) {
        return off + S.loopBound(len);
    }

    static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    /** {@link UpdateKernel#gradient} on a vector of coordinates. */
    static FloatVector gradient(FloatVector g, FloatVector p, float scale, float clip, float wd) {
        FloatVector gi = g.mul(scale);
        if (clip > 0f) gi = gi.min(clip).max(-clip);
        return wd == 0f ? gi : gi.add(p.mul(wd));
    }

    /** {@code decay * old + rest * x}: every moving average of the chapter, in the scalar rule's order. */
    static FloatVector average(FloatVector old, float decay, FloatVector x, float rest) {
        return old.mul(decay).add(x.mul(rest));
    }

    /**
     * {@code sum x[off + i]^2} for the Trainer's gradient-norm pass: the slice is read as four
     * quarters side by side (four read streams; a lone stream reached 12 GB/s per core on a Zen 4
     * guest, four about 20), lanes summed by {@link #sumLanes}; the tail added last.
     */
    static float sumOfSquares(float[] x, int off, int n) {
        int quarter = n / 4 / V * V;
        int q1 = off + quarter, q2 = q1 + quarter, q3 = q2 + quarter;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (int i = 0; i < quarter; i += V) {
            FloatVector v0 = FloatVector.fromArray(S, x, off + i), v1 = FloatVector.fromArray(S, x, q1 + i);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            FloatVector v2 = FloatVector.fromArray(S, x, q2 + i), v3 = FloatVector.fromArray(S, x, q3 + i);
            a0 = v2.fma(v2, a0);
            a1 = v3.fma(v3, a1);
        }
        float s = sumLanes(a0.add(a1));
        for (int i = off + 4 * quarter; i < off + n; i++) s = Math.fma(x[i], x[i], s);
        return s;
    }

    /**
     * The lanes' sum by a fixed halving tree. Not {@code reduceLanes(ADD)}: its intrinsic and its
     * Java fallback (which runs before C2 compiles the caller) add in different orders, so the same
     * chunk could round differently between two calls, and 1 and 3 threads would differ.
     */
    static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        for (int width = lanes.length / 2; width > 0; width /= 2) {
            for (int i = 0; i < width; i++) lanes[i] += lanes[i + width];
        }
        return lanes[0];
    }

    /** {@link UpdateKernel#denominator}. */
    static FloatVector denominator(FloatVector var, float eps, boolean epsInside) {
        return epsInside ? var.add(eps).sqrt() : var.sqrt().add(eps);
    }
}
