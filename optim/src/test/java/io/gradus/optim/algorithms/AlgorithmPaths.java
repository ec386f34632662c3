package io.gradus.optim.algorithms;

import io.gradus.optim.Step;

/** The tests' access to the two package-private CPU implementations of a built-in rule ({@link Paths}). */
public final class AlgorithmPaths {
    private AlgorithmPaths() {}

    /** Whether this JVM runs the Vector API implementations. */
    public static final boolean VECTOR = Paths.VECTOR;

    public static void scalar(Algorithm a, Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Paths.scalar(a, step, p, g, state, off, len);
    }

    public static void vector(Algorithm a, Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Paths.vector(a, step, p, g, state, off, len);
    }
}
