package io.gradus.kernels;

import io.gradus.kernels.vector.VectorOptimizerKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every fused update, Vector API against scalar: ten steps from the same float32 state at lengths
 * 0, 1, 17, 1000 and 4099 and a non-zero offset, parameters and every state array bit for bit.
 */
class OptimizerKernelsTest {

    /** One algorithm and hyperparameter set, as a step on (p, g, state arrays, offset, length, step number). */
    interface Step { void run(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, int t); }

    record Case(String name, int states, Step step) {}

    static float c(double beta, int t) {
        return (float) (1 - Math.pow(beta, t));
    }

    static final List<Case> CASES = List.of(
            new Case("sgd", 0, (k, p, g, s, o, n, t) -> k.sgd(p, g, o, n, 0.1f, 0f)),
            new Case("sgd+wd", 0, (k, p, g, s, o, n, t) -> k.sgd(p, g, o, n, 0.1f, 0.01f)),
            new Case("momentum", 1, (k, p, g, s, o, n, t) -> k.momentum(p, g, s[0], o, n, 0.01f, 0.9f, 0f, false)),
            new Case("nesterov+wd", 1, (k, p, g, s, o, n, t) -> k.momentum(p, g, s[0], o, n, 0.01f, 0.9f, 1e-3f, true)),
            new Case("adagrad", 1, (k, p, g, s, o, n, t) -> k.adagrad(p, g, s[0], o, n, 0.1f, 1e-6f, true, 0f)),
            new Case("adagrad eps outside", 1, (k, p, g, s, o, n, t) -> k.adagrad(p, g, s[0], o, n, 0.1f, 1e-10f, false, 0f)),
            new Case("rmsprop", 1, (k, p, g, s, o, n, t) -> k.rmsprop(p, g, s[0], null, o, n, 0.01f, 0.9f, 1e-6f, true, 0f)),
            new Case("rmsprop centered", 2, (k, p, g, s, o, n, t) -> k.rmsprop(p, g, s[0], s[1], o, n, 0.01f, 0.9f, 1e-8f, false, 0f)),
            new Case("adadelta", 2, (k, p, g, s, o, n, t) -> k.adadelta(p, g, s[0], s[1], o, n, 0.9f, 1e-5f, 0f)),
            new Case("adam", 2, (k, p, g, s, o, n, t) -> k.adam(p, g, s[0], s[1], null, o, n, 0.01f, 0.9f, 0.999f, 1e-6f,
                    c(0.9, t), c(0.999, t), 0f, 0f)),
            new Case("amsgrad", 3, (k, p, g, s, o, n, t) -> k.adam(p, g, s[0], s[1], s[2], o, n, 0.01f, 0.9f, 0.999f, 1e-8f,
                    c(0.9, t), c(0.999, t), 0f, 0f)),
            new Case("adamw", 2, (k, p, g, s, o, n, t) -> k.adam(p, g, s[0], s[1], null, o, n, 0.01f, 0.9f, 0.999f, 1e-8f,
                    c(0.9, t), c(0.999, t), 0f, 0.01f)),
            new Case("yogi", 2, (k, p, g, s, o, n, t) -> k.yogi(p, g, s[0], s[1], o, n, 0.01f, 0.9f, 0.999f, 1e-3f,
                    c(0.9, t), c(0.999, t), 0f)));

    @Test
    void vectorAndScalarAgreeBitForBitStateIncluded() {
        OptimizerKernels scalar = ScalarOptimizerKernels.INSTANCE, vector = VectorOptimizerKernels.INSTANCE;
        for (Case c : CASES) {
            for (int len : new int[] {0, 1, 17, 1000, 4099}) {
                int off = 3;
                Random r = new Random(len * 31L + c.name().hashCode());
                float[] p1 = new float[off + len + 2];
                for (int i = 0; i < p1.length; i++) p1[i] = (float) r.nextGaussian();
                float[] p2 = p1.clone();
                float[][] s1 = new float[Math.max(c.states(), 1)][p1.length], s2 = new float[s1.length][p1.length];
                for (int t = 1; t <= 10; t++) {
                    float[] g = new float[p1.length];
                    for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
                    c.step().run(scalar, p1, g, s1, off, len, t);
                    c.step().run(vector, p2, g, s2, off, len, t);
                    assertArrayEquals(p1, p2, c.name() + " parameters, len " + len + ", step " + t);
                    for (int k = 0; k < s1.length; k++) {
                        assertArrayEquals(s1[k], s2[k], c.name() + " state " + k + ", len " + len + ", step " + t);
                    }
                }
                assertEquals(p1[off + len], p2[off + len], "nothing written past the slice");
            }
        }
    }

    @Test
    void badSlicesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> VectorOptimizerKernels.INSTANCE.adam(new float[4], new float[4], new float[4], new float[3], null, 0, 4,
                        0.1f, 0.9f, 0.999f, 1e-8f, 1, 1, 0, 0));
        assertEquals("state 1: offset 0 + length 4 = 4 exceeds its array length 3", e.getMessage());
    }
}
