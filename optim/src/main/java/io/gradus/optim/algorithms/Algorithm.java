package io.gradus.optim.algorithms;

import io.gradus.kernels.SimdSupport;
import io.gradus.optim.Step;

/**
 * A built-in update rule of chapter 11: one unit holding the rule's hyperparameters (a record,
 * validated when built), its double-precision reference, its per-coordinate body written once in
 * Java (the nested {@code Rule}, an {@link UpdateKernel}), and its implementations, which share one
 * signature: {@code (step, p, g, state, off, len)}.
 * <ul>
 *   <li>{@link #kernel}: the body with the step's constants, each computed in double and rounded
 *       to float once: the one place where the unit turns hyperparameters into floats;</li>
 *   <li>{@link #updateScalar}: the body's {@code apply} over the slice, the fallback;</li>
 *   <li>{@link #updateVector}: the Vector API (the species chosen once at start-up), reading the
 *       body's constants; the same IEEE operations in the same order as the body, so both give
 *       identical bits;</li>
 *   <li>{@link #updateDevice}: one launch of the body's Aparapi translation over device arrays;
 *       on the host device, the CPU kernel on the arrays' Java storage;</li>
 *   <li>{@link #reference}: one coordinate in double precision, the oracle of the tests.</li>
 * </ul>
 * {@link #update} runs the vector implementation when {@link SimdSupport} chose the Vector API.
 * The catalog of these units is {@link io.gradus.optim.OptimizerCatalog}.
 */
public interface Algorithm extends KernelOptimizer {

    /**
     * One coordinate of the update in double precision: returns the new parameter and updates
     * {@code state} (one entry per state array, in the order of the flat arrays).
     */
    double reference(Step step, double x, double g, double[] state);

    /**
     * The update of a whole tensor in double: {@code x[i]} and {@code state[i][k]} in place. One
     * coordinate at a time by {@link #reference}, except for rules whose update needs the whole
     * tensor ({@link LayerwiseAlgorithm}: LAMB's trust ratio).
     */
    default void referenceSlice(Step step, double[] x, double[] g, double[][] state) {
        for (int i = 0; i < x.length; i++) x[i] = reference(step, x[i], g[i], state[i]);
    }

    /** The body's loop: {@link UpdateKernel#apply} over the slice, the fallback. */
    default void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        UpdateKernel k = kernel(step);
        k.bind(p, g, state);
        k.applyAll(off, len);
    }

    /**
     * The Vector API implementation: the kernel's vector loop over the whole vectors of the slice
     * (the unit's {@code Simd} class), the body over the rest. Only called when the module
     * {@code jdk.incubator.vector} is present.
     */
    default void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        UpdateKernel k = kernel(step);
        int end = k.vectorLoop(p, g, state, off, len);
        if (end < off + len) { // a tail (the Trainer's 64K chunks have none): only then bind the arrays by reflection
            k.bind(p, g, state);
            k.applyAll(end, off + len - end);
        }
    }

    @Override
    Algorithm withWeightDecay(double weightDecay);

    /** The rule's weight decay (coupled L2, or AdamW's decoupled one). */
    double weightDecay();

    @Override
    default void update(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        if (VECTOR) {
            updateVector(step, p, g, state, off, len);
        } else {
            updateScalar(step, p, g, state, off, len);
        }
    }

    /**
     * {@code sum x[off + i]^2} in float, by the Vector API when this JVM runs it: the Trainer's
     * gradient-norm pass over one chunk. The summation order follows the vector width.
     */
    static float sumOfSquares(float[] x, int off, int n) {
        io.gradus.kernels.Checks.slice("x", x, off, n);
        if (VECTOR) return Vectors.sumOfSquares(x, off, n);
        float s = 0f;
        for (int i = off; i < off + n; i++) s = Math.fma(x[i], x[i], s);
        return s;
    }

    /** Whether this JVM runs the Vector API implementations. */
    boolean VECTOR = SimdSupport.choice().vector();
}
