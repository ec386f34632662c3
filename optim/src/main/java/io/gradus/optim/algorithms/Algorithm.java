package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.kernels.SimdSupport;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Step;

/**
 * A built-in update rule of chapter 11: one unit holding the rule's hyperparameters (a record,
 * validated when built), its double-precision reference, and its implementations, which share one
 * signature: {@code (step, p, g, state, off, len)}.
 * <ul>
 *   <li>{@link #updateScalar}: plain loops, the fallback;</li>
 *   <li>{@link #updateVector}: the Vector API (the species chosen once at start-up); the same IEEE
 *       operations in the same order as the scalar loop, so both give identical bits;</li>
 *   <li>{@link #updateDevice}: one OpenCL kernel launch over device arrays (the unit's OpenCL C
 *       source); on the host device, the CPU kernel on the arrays' Java storage;</li>
 *   <li>{@link #reference}: one coordinate in double precision, the oracle of the tests.</li>
 * </ul>
 * {@link #update} runs the vector implementation when {@link SimdSupport} chose the Vector API.
 * The catalog of these units is {@link io.gradus.optim.OptimizerCatalog}.
 */
public interface Algorithm extends Optimizer {

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

    /** The plain-loop implementation. */
    void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len);

    /** The Vector API implementation; only called when the module {@code jdk.incubator.vector} is present. */
    void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len);

    /**
     * The same update on device arrays of one context: one kernel launch over {@code [off, off + len)}
     * (bias corrections and other per-step scalars computed here, on the host). Returns at once;
     * the context's queue runs it in order.
     */
    void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len);

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
