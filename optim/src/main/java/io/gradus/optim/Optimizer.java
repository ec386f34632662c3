package io.gradus.optim;

import io.gradus.kernels.OptimizerKernels;

/**
 * One of chapter 11's algorithms: validated hyperparameters, the number of flat state arrays it
 * keeps, and its fused update on a slice of the flat arrays. Build one with {@link Optimizers};
 * a {@link Trainer} owns the state and calls {@link #update}.
 */
public abstract class Optimizer {

    private final String name;
    private final int stateArrays;

    protected Optimizer(String name, int stateArrays) {
        this.name = name;
        this.stateArrays = stateArrays;
    }

    /** The algorithm, e.g. {@code "adam"}. */
    public final String name() {
        return name;
    }

    /** Flat float arrays of state, each as long as the parameters (momentum, second moments, ...). */
    public final int stateArrays() {
        return stateArrays;
    }

    /** The hyperparameters, in a fixed order, for checkpoints and reports. */
    public abstract double[] hyperparameters();

    /**
     * Updates {@code p[off, off + len)} from the gradient {@code g} (already rescaled and clipped)
     * and the state, with learning rate {@code lr} at update count {@code t} (1 for the first).
     */
    protected abstract void update(OptimizerKernels kernels, float[] p, float[] g, float[][] state, int off, int len,
                                   double lr, long t);

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(hyperparameters());
    }
}
