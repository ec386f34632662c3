package io.gradus.optim.algorithms;

import io.gradus.optim.Step;

/**
 * A built-in update rule of chapter 11: one unit holding the rule's hyperparameters (a record,
 * validated when built), its double-precision reference, its per-coordinate body written once in
 * Java (the nested {@code Rule}, an {@link UpdateKernel}), and its implementations, which share one
 * signature: {@code (step, p, g, state, off, len)}.
 * <ul>
 *   <li>{@link #kernel}: the body with the step's constants, each computed in double and rounded
 *       to float once: the one place where the unit turns hyperparameters into floats;</li>
 *   <li>{@link #update}: the Vector API (the species chosen once at start-up), reading the body's
 *       constants, with the same IEEE operations in the same order as the body, so both give
 *       identical bits; the body's {@code apply} over the slice where the Vector API is absent
 *       (both package-private, in {@code Paths});</li>
 *   <li>{@link #updateDevice}: one launch of the body's Aparapi translation over device arrays;
 *       on the host device, the CPU kernel on the arrays' Java storage;</li>
 *   <li>{@link #reference}: one coordinate in double precision, the oracle of the tests.</li>
 * </ul>
 * The built-in rules are the only Algorithms (the interface is sealed); an application's own rule
 * is a {@link KernelOptimizer}. The catalog of these units is {@link io.gradus.optim.OptimizerCatalog}.
 */
public sealed interface Algorithm extends KernelOptimizer
        permits Sgd, Momentum, Adagrad, RmsProp, Adadelta, Adam, Adamax, NAdam, RAdam, Lion, Yogi, LayerwiseAlgorithm {

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

    @Override
    Algorithm withWeightDecay(io.gradus.optim.WeightDecay weightDecay);

    /** The Vector API implementation when {@code SimdSupport} chose it, else the body's loop. */
    @Override
    default void update(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        if (Paths.VECTOR) {
            Paths.vector(this, step, p, g, state, off, len);
        } else {
            Paths.scalar(this, step, p, g, state, off, len);
        }
    }
}
