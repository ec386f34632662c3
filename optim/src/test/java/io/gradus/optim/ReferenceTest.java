package io.gradus.optim;

import io.gradus.optim.classic.Classic;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The book's 2-D traces on f = 0.1 x1^2 + 2 x2^2 (gradient (0.2 x1, 4 x2)), to the printed digits. */
class ReferenceTest {

    @Test
    void momentumTrace() {
        double eta = 0.6, beta = 0.5;
        double[] v1 = {0}, v2 = {0};
        var trace = Classic.train2d(s -> new double[] {
                Reference.momentum(s[0], 0.2 * s[0], v1, eta, beta, 0, false),
                Reference.momentum(s[1], 4 * s[1], v2, eta, beta, 0, false), 0, 0}, 20);
        assertEquals("epoch 20, x1 0.007188, x2 0.002553", Classic.train2dLine(trace));
    }

    @Test
    void adagradTrace() {
        double[] s1 = {0}, s2 = {0};
        var trace = Classic.train2d(s -> new double[] {
                Reference.adagrad(s[0], 0.2 * s[0], s1, 0.4, 1e-6, true, 0),
                Reference.adagrad(s[1], 4 * s[1], s2, 0.4, 1e-6, true, 0), 0, 0}, 20);
        assertEquals("epoch 20, x1 -2.382563, x2 -0.158591", Classic.train2dLine(trace));
    }

    @Test
    void rmspropTrace() {
        double[] s1 = {0, 0}, s2 = {0, 0};
        var trace = Classic.train2d(s -> new double[] {
                Reference.rmsprop(s[0], 0.2 * s[0], s1, 0.4, 0.9, 1e-6, true, false, 0),
                Reference.rmsprop(s[1], 4 * s[1], s2, 0.4, 0.9, 1e-6, true, false, 0), 0, 0}, 20);
        assertEquals("epoch 20, x1 -0.010599, x2 0.000000", Classic.train2dLine(trace));
    }

    @Test
    void adamTakesTheBiasCorrectedFirstStepOfSizeEta() {
        // With bias correction the first step is eta * g / (|g| + eps) ~ eta sign(g).
        double[] s = {0, 0, 0};
        double x = Reference.adam(1.0, 3.0, s, 1, 0.01, 0.9, 0.999, 1e-6, false, 0, 0);
        assertEquals(1.0 - 0.01 * 3.0 / (3.0 + 1e-6), x, 1e-15);
        double[] y = {0, 0};
        assertEquals(1.0 - 0.01 * 3.0 / (3.0 + 1e-3), Reference.yogi(1.0, 3.0, y, 1, 0.01, 0.9, 0.999, 1e-3, 0), 1e-15);
    }
}
