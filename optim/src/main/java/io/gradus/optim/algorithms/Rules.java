package io.gradus.optim.algorithms;

import io.gradus.kernels.internal.Checks;

/**
 * What the units share: argument checks, and hyperparameter validation with messages that name the
 * hyperparameter and its range. (The float32 helpers of the bodies are {@link UpdateKernel}'s;
 * the vector kernels mirror them in {@link Lanes}, operation for operation.)
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

    static double beta(String name, double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(name + " = " + v + ": expected 0 <= " + name + " < 1");
        return v;
    }

    static double eps(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value > 0");
        return v;
    }

    /** Checks a rule's weight decay: present, and of a kind the rule takes. */
    static void weightDecay(String rule, io.gradus.optim.WeightDecay weightDecay, boolean coupled, boolean decoupled) {
        if (weightDecay == null) throw new IllegalArgumentException(rule + ": weightDecay = null, expected a WeightDecay (WeightDecay.none() for none)");
        weightDecay.checkFor(rule, coupled, decoupled);
    }

    static double decay(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value >= 0");
        return v;
    }
}
