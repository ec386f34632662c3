package io.gradus.optim.algorithms;

import io.gradus.kernels.Checks;
import io.gradus.optim.Step;

/**
 * What the units' scalar kernels share: argument checks, hyperparameter validation with messages
 * that name the hyperparameter and its range, and the effective gradient of {@link Step}. The
 * vector kernels mirror each helper in {@link Lanes}, operation for operation.
 */
final class Rules {
    private Rules() {}

    /** Checks the parameter, gradient and {@code states} state slices, and that the state arrays exist. */
    static void check(float[] p, float[] g, float[][] state, int states, int off, int len) {
        Checks.slice("p", p, off, len);
        Checks.slice("g", g, off, len);
        if (state == null || state.length < states) {
            throw new IllegalArgumentException("state: " + (state == null ? "null" : state.length + " arrays")
                    + ", expected " + states);
        }
        for (int i = 0; i < states; i++) Checks.slice("state[" + i + "]", state[i], off, len);
    }

    /** {@code clip(scale g, -clip, clip) + wd p} in float32: the scalar form of {@link Step#gradient}. */
    static float gradient(float g, float p, float scale, float clip, float wd) {
        float gi = g * scale;
        if (clip > 0f) gi = Math.max(-clip, Math.min(clip, gi));
        return wd == 0f ? gi : gi + wd * p; // skipped at 0, as the vector kernels skip it
    }

    /** {@code sqrt(var + eps)} (the book) or {@code sqrt(var) + eps} (PyTorch). */
    static float denominator(float var, float eps, boolean epsInside) {
        return epsInside ? (float) Math.sqrt(var + eps) : (float) Math.sqrt(var) + eps;
    }

    static double beta(String name, double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(name + " = " + v + ": expected 0 <= " + name + " < 1");
        return v;
    }

    static double eps(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value > 0");
        return v;
    }

    static double decay(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value >= 0");
        return v;
    }
}
