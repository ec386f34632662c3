package io.gradus.optim;

import io.gradus.kernels.OptimizerKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every optimizer (one registry, with a completeness check) against the double-precision book
 * formulas, through its fused float32 kernel: each of ten steps starts
 * both from the same float32 state; parameters and state must agree within 1e-5 relative (plus
 * 1e-6 absolute), i.e. float rounding, not a different rule.
 */
class KernelsMatchReferenceTest {

    static final OptimizerKernels K = OptimizerKernels.get();

    /** The same step by the reference, on one coordinate's double state. */
    interface ReferenceStep { double run(double x, double g, double[] s, int t); }

    /** A registry entry: the {@link Optimizers} factory it covers, the optimizer, its learning rate, the reference. */
    record Case(String factory, Optimizer optimizer, double lr, ReferenceStep reference) {}

    static final List<Case> CASES = List.of(
            new Case("sgd", Optimizers.sgd(0.01), 0.05, (x, g, s, t) -> Reference.sgd(x, g, 0.05f, 0.01)),
            new Case("momentum", Optimizers.momentum(0.5, 0, false), 0.02,
                    (x, g, s, t) -> Reference.momentum(x, g, s, 0.02f, 0.5f, 0, false)),
            new Case("momentum", Optimizers.momentum(0.9, 0.001, true), 0.01,
                    (x, g, s, t) -> Reference.momentum(x, g, s, 0.01f, 0.9f, 0.001f, true)),
            new Case("adagrad", Optimizers.adagrad(1e-6, true, 0), 0.1,
                    (x, g, s, t) -> Reference.adagrad(x, g, s, 0.1f, 1e-6f, true, 0)),
            new Case("adagrad", Optimizers.adagrad(1e-10, false, 0), 0.1,
                    (x, g, s, t) -> Reference.adagrad(x, g, s, 0.1f, 1e-10f, false, 0)),
            new Case("rmsprop", Optimizers.rmsprop(0.9, 1e-6, true, false, 0), 0.01,
                    (x, g, s, t) -> Reference.rmsprop(x, g, s, 0.01f, 0.9f, 1e-6f, true, false, 0)),
            new Case("rmsprop", Optimizers.rmsprop(0.9, 1e-8, false, true, 0), 0.01,
                    (x, g, s, t) -> Reference.rmsprop(x, g, s, 0.01f, 0.9f, 1e-8f, false, true, 0)),
            new Case("adadelta", Optimizers.adadelta(0.9, 1e-5, 0), 0,
                    (x, g, s, t) -> Reference.adadelta(x, g, s, 0.9f, 1e-5f, 0)),
            new Case("adam", Optimizers.adam(0.9, 0.999, 1e-6, 0), 0.01,
                    (x, g, s, t) -> Reference.adam(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-6f, false, 0, 0)),
            new Case("amsgrad", Optimizers.amsgrad(0.9, 0.999, 1e-8, 0), 0.01,
                    (x, g, s, t) -> Reference.adam(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-8f, true, 0, 0)),
            new Case("adamW", Optimizers.adamW(0.9, 0.999, 1e-8, 0.05), 0.01,
                    (x, g, s, t) -> Reference.adam(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-8f, false, 0, 0.05f)),
            new Case("yogi", Optimizers.yogi(0.9, 0.999, 1e-3, 0), 0.01,
                    (x, g, s, t) -> Reference.yogi(x, g, s, t, 0.01f, 0.9f, 0.999f, 1e-3f, 0)));

    @Test
    void everyOptimizerIsInTheRegistry() {
        java.util.Set<String> factories = new java.util.TreeSet<>();
        for (var m : Optimizers.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Optimizer.class) {
                factories.add(m.getName());
            }
        }
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (Case c : CASES) covered.add(c.factory());
        assertEquals(factories, covered, "every Optimizers factory needs a registry case");
    }

    @Test
    void everyAlgorithmFollowsTheBooksFormula() {
        for (Case c : CASES) {
            String name = c.optimizer().toString();
            for (int n : new int[] {0, 1, 17, 1000, 4099}) {
                Random r = new Random(n + name.hashCode());
                float[] p = new float[n];
                for (int i = 0; i < n; i++) p[i] = (float) r.nextGaussian();
                float[][] s = new float[c.optimizer().stateArrays()][n];
                for (int t = 1; t <= 10; t++) {
                    float[] g = new float[n];
                    for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
                    double[] wantP = new double[n];
                    double[][] wantS = new double[s.length][n];
                    final int step = t;
                    for (int i = 0; i < n; i++) {
                        double[] st = new double[3];
                        for (int k = 0; k < s.length; k++) st[k] = s[k][i];
                        wantP[i] = c.reference().run(p[i], g[i], st, step);
                        for (int k = 0; k < s.length; k++) wantS[k][i] = st[k];
                    }
                    c.optimizer().update(K, p, g, s, 0, n, c.lr(), t);
                    for (int i = 0; i < n; i++) {
                        assertEquals(wantP[i], p[i], 1e-6 + 1e-5 * Math.abs(wantP[i]), name + " p[" + i + "] step " + t);
                        for (int k = 0; k < s.length; k++) {
                            assertEquals(wantS[k][i], s[k][i], 1e-6 + 1e-5 * Math.abs(wantS[k][i]),
                                    name + " state " + k + "[" + i + "] step " + t);
                        }
                    }
                }
            }
        }
    }
}
