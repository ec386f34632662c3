package io.gradus.optim;

/**
 * What a {@link Trainer} does with a gradient that holds NaN or infinity, found by the norm pass
 * before anything is written (PyTorch's {@code GradScaler} skips such steps; Optax's
 * {@code apply_if_finite} likewise):
 */
public enum NonFinite {
    /** Throw {@link NonFiniteGradientException}, naming the update and the first bad index; nothing changes. */
    THROW,
    /** Skip the update: nothing changes, the update count does not advance, {@link Trainer#skipped()} does. */
    SKIP,
    /**
     * Do not look: no norm pass unless clipping by norm needs one, and a NaN goes into the parameters.
     * For benchmarks of the bare update, and for rules that handle non-finite gradients themselves.
     */
    OFF
}
