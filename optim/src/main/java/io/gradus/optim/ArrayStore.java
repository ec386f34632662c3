package io.gradus.optim;

/**
 * Where a {@link Trainer}'s flat arrays live (parameters, gradients, the optimizer's state, the
 * running sum of gradient accumulation) and how the passes of one step run over them. The
 * Trainer keeps everything else (settings, counters, schedule, the order of a step, the
 * {@link StepPlan}); a new place for the arrays is one new implementation of this interface.
 *
 * <p>The norm pass is the same everywhere: float partial sums of squares per chunk of
 * {@link StepPlan#CHUNK}, added by {@link io.gradus.kernels.ArrayKernels#addChunkPartials}.
 */
sealed interface ArrayStore extends AutoCloseable permits HostStore, DeviceStore {

    /** {@code sum g_i^2} of the raw gradient (non-finite when it holds NaN or infinity). */
    double gradientSumOfSquares();

    /** The first flat index whose gradient is NaN or infinite, or -1. */
    int firstNonFiniteGradient();

    /** The gradient at a flat index, for the non-finite message. */
    float gradientAt(int index);

    /** Runs the rule over every segment (or every tensor, for a layerwise rule) with its segment's step. */
    void update(StepPlan plan, Step[] segmentSteps, boolean normPassRan);

    /** {@code sum <- g} ({@code first}) or {@code sum <- sum + g}: the running sum of accumulated batches. */
    void addGradientsToSum(boolean first);

    /** {@code g <- sum + g}: the last batch's gradient becomes the window's sum. */
    void foldSumIntoGradients();

    /** Copies of the parameter values (downloaded from a device; {@link Params#values()} updated too). */
    float[] values();

    /** Copies of the optimizer's state arrays. */
    float[][] state();

    /** Replaces the parameter values ({@link Params#values()} included) and the state; sizes already checked. */
    void restore(float[] values, float[][] state);

    /** Frees what the store allocated (device arrays); nothing for host arrays. */
    @Override
    void close();
}
