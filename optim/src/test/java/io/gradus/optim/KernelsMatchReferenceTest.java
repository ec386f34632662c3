package io.gradus.optim;

import io.gradus.kernels.OptimizerKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused float32 kernels against the double-precision book formulas: each of ten steps starts
 * both from the same float32 state; parameters and state must agree within 1e-5 relative (plus
 * 1e-6 absolute), i.e. float rounding, not a different rule.
 */
class KernelsMatchReferenceTest {

    /** A kernel step and the same step by the reference, on one coordinate's double state. */
    interface KernelStep { void run(float[] p, float[] g, float[][] s, int n, int t); }

    interface ReferenceStep { double run(double x, double g, double[] s, int t); }

    record Case(String name, int states, KernelStep kernel, ReferenceStep reference) {}

    static final OptimizerKernels K = OptimizerKernels.get();

    static float c(double beta, int t) {
        return (float) (1 - Math.pow(beta, t));
    }

    static final List<Case> CASES = List.of(
            new Case("sgd+wd", 0, (p, g, s, n, t) -> K.sgd(p, g, 0, n, 0.05f, 0.01f),
                    (x, g, s, t) -> Reference.sgd(x, g, 0.05f, 0.01f)),
            new Case("momentum", 1, (p, g, s, n, t) -> K.momentum(p, g, s[0], 0, n, 0.02f, 0.5f, 0f, false),
                    (x, g, s, t) -> Reference.momentum(x, g, s, 0.02f, 0.5f, 0, false)),
            new Case("nesterov", 1, (p, g, s, n, t) -> K.momentum(p, g, s[0], 0, n, 0.01f, 0.9f, 0f, true),
                    (x, g, s, t) -> Reference.momentum(x, g, s, 0.01f, 0.9f, 0, true)),
            new Case("adagrad", 1, (p, g, s, n, t) -> K.adagrad(p, g, s[0], 0, n, 0.1f, 1e-6f, true, 0f),
                    (x, g, s, t) -> Reference.adagrad(x, g, s, 0.1f, 1e-6f, true, 0)),
            new Case("adagrad pytorch", 1, (p, g, s, n, t) -> K.adagrad(p, g, s[0], 0, n, 0.1f, 1e-10f, false, 0f),
                    (x, g, s, t) -> Reference.adagrad(x, g, s, 0.1f, 1e-10f, false, 0)),
            new Case("rmsprop", 1, (p, g, s, n, t) -> K.rmsprop(p, g, s[0], null, 0, n, 0.01f, 0.9f, 1e-6f, true, 0f),
                    (x, g, s, t) -> Reference.rmsprop(x, g, s, 0.01f, 0.9f, 1e-6f, true, false, 0)),
            new Case("rmsprop centered", 2, (p, g, s, n, t) -> K.rmsprop(p, g, s[0], s[1], 0, n, 0.01f, 0.9f, 1e-8f, false, 0f),
                    (x, g, s, t) -> Reference.rmsprop(x, g, s, 0.01f, 0.9f, 1e-8f, false, true, 0)),
            new Case("adadelta", 2, (p, g, s, n, t) -> K.adadelta(p, g, s[0], s[1], 0, n, 0.9f, 1e-5f, 0f),
                    (x, g, s, t) -> Reference.adadelta(x, g, s, 0.9f, 1e-5f, 0)),
            new Case("adam", 3, (p, g, s, n, t) -> K.adam(p, g, s[0], s[1], null, 0, n, 0.01f, 0.9f, 0.999f, 1e-6f,
                    c(0.9, t), c(0.999, t), 0f, 0f),
                    (x, g, s, t) -> Reference.adam(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-6f, false, 0, 0)),
            new Case("amsgrad", 3, (p, g, s, n, t) -> K.adam(p, g, s[0], s[1], s[2], 0, n, 0.01f, 0.9f, 0.999f, 1e-8f,
                    c(0.9, t), c(0.999, t), 0f, 0f),
                    (x, g, s, t) -> Reference.adam(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-8f, true, 0, 0)),
            new Case("adamw", 3, (p, g, s, n, t) -> K.adam(p, g, s[0], s[1], null, 0, n, 0.01f, 0.9f, 0.999f, 1e-8f,
                    c(0.9, t), c(0.999, t), 0f, 0.05f),
                    (x, g, s, t) -> Reference.adam(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-8f, false, 0, 0.05f)),
            new Case("yogi", 2, (p, g, s, n, t) -> K.yogi(p, g, s[0], s[1], 0, n, 0.01f, 0.9f, 0.999f, 1e-3f,
                    c(0.9, t), c(0.999, t), 0f),
                    (x, g, s, t) -> Reference.yogi(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-3f, 0)));

    @Test
    void everyAlgorithmFollowsTheBooksFormula() {
        for (Case c : CASES) {
            for (int n : new int[] {0, 1, 17, 1000, 4099}) {
                Random r = new Random(n + c.name().hashCode());
                float[] p = new float[n];
                for (int i = 0; i < n; i++) p[i] = (float) r.nextGaussian();
                float[][] s = new float[Math.max(1, c.states())][n];
                for (int t = 1; t <= 10; t++) {
                    float[] g = new float[n];
                    for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
                    double[] wantP = new double[n];
                    double[][] wantS = new double[s.length][n];
                    for (int i = 0; i < n; i++) {
                        double[] st = new double[3];
                        for (int k = 0; k < s.length; k++) st[k] = s[k][i];
                        wantP[i] = c.reference().run(p[i], g[i], st, t);
                        for (int k = 0; k < s.length; k++) wantS[k][i] = st[k];
                    }
                    c.kernel().run(p, g, s, n, t);
                    for (int i = 0; i < n; i++) {
                        assertEquals(wantP[i], p[i], 1e-6 + 1e-5 * Math.abs(wantP[i]), c.name() + " p[" + i + "] step " + t);
                        for (int k = 0; k < c.states(); k++) {
                            assertEquals(wantS[k][i], s[k][i], 1e-6 + 1e-5 * Math.abs(wantS[k][i]),
                                    c.name() + " state " + k + "[" + i + "] step " + t);
                        }
                    }
                }
            }
        }
    }
}
