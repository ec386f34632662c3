package io.gradus.optim.algorithms;

/** The bridge from {@link Algorithm}'s static helpers to {@link Lanes}, loaded only when the Vector API runs. */
final class Vectors {
    private Vectors() {}

    static float sumOfSquares(float[] x, int off, int n) {
        return Lanes.sumOfSquares(x, off, n);
    }
}
