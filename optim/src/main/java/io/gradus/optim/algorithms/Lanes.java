package io.gradus.optim.algorithms;

import io.gradus.kernels.internal.SimdSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twins of {@link UpdateKernel}'s helpers, and the species every vector kernel uses:
 * the preferred one up to 256 bits ({@link SimdSupport#streamingBits}: the fused steps stream their
 * arrays from memory, where 512-bit accesses to unaligned {@code float[]} data cost more than they
 * gain). Each helper performs the same IEEE
 * operations in the same order as its scalar twin (multiplies and adds kept apart, never fused),
 * which is what makes the scalar and vector kernels bit-identical. Loaded only by the units'
 * vector kernels, so nothing links against {@code jdk.incubator.vector} when the module is absent.
 */
final class Lanes {
    private Lanes() {}

    static final VectorSpecies<Float> S = VectorSpecies.of(float.class,
            VectorShape.forBitSize(SimdSupport.streamingBits(FloatVector.SPECIES_PREFERRED.vectorBitSize())));
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
