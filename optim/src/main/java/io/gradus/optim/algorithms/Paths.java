package io.gradus.optim.algorithms;

import io.gradus.kernels.internal.SimdSupport;
import io.gradus.optim.Step;

/**
 * The two CPU implementations of every built-in rule, chosen once per JVM by {@link #VECTOR}: the
 * body's {@link UpdateKernel#apply} over the slice, and the Vector API loop (the kernel's
 * {@code vectorLoop}) with the body over the tail. Package-private: an application calls
 * {@link Algorithm#update}; the tests compare the two through their own accessor.
 */
final class Paths {
    private Paths() {}

    /** Whether this JVM runs the Vector API implementations. */
    static final boolean VECTOR = SimdSupport.choice().vector();

    /** The body's loop: {@link UpdateKernel#apply} over the slice, the fallback. */
    static void scalar(Algorithm a, Step step, float[] p, float[] g, float[][] state, int off, int len) {
        if (a instanceof Lamb lamb) {
            lamb.updateScalar(step, p, g, state, off, len);
            return;
        }
        Rules.check(p, g, state, a.stateArrays(), off, len);
        UpdateKernel k = a.kernel(step);
        k.bind(p, g, state);
        k.applyAll(off, len);
    }

    /**
     * The Vector API implementation: the kernel's vector loop over the whole vectors of the slice
     * (the unit's {@code Simd} class), the body over the rest. Only called when the module
     * {@code jdk.incubator.vector} is present.
     */
    static void vector(Algorithm a, Step step, float[] p, float[] g, float[][] state, int off, int len) {
        if (a instanceof Lamb lamb) {
            lamb.updateVector(step, p, g, state, off, len);
            return;
        }
        Rules.check(p, g, state, a.stateArrays(), off, len);
        UpdateKernel k = a.kernel(step);
        int end = k.vectorLoop(p, g, state, off, len);
        if (end < off + len) { // a tail (the Trainer's 64K chunks have none): only then bind the arrays by reflection
            k.bind(p, g, state);
            k.applyAll(end, off + len - end);
        }
    }
}
