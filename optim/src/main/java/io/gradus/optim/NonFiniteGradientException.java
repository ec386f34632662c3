package io.gradus.optim;

/** Thrown under {@link NonFinite#THROW} when a gradient holds NaN or infinity; nothing has been updated. */
public final class NonFiniteGradientException extends RuntimeException {
    public NonFiniteGradientException(String message) {
        super(message);
    }
}
