package io.gradus.optim;

import io.gradus.optim.algorithms.Adagrad;
import io.gradus.optim.algorithms.Adam;
import io.gradus.optim.algorithms.Momentum;
import io.gradus.optim.algorithms.RmsProp;
import io.gradus.optim.algorithms.Yogi;
import io.gradus.optim.classic.Classic;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The units' double-precision references reproduce the book's 2-D traces on
 * f = 0.1 x1^2 + 2 x2^2 (gradient (0.2 x1, 4 x2)) to the printed digits.
 */
class ReferenceTest {

    /** The trace of a rule with state arrays {@code s1}, {@code s2} per coordinate; the step count is kept in {@code t}. */
    static String trace(io.gradus.optim.algorithms.Algorithm a, double eta, double[] s1, double[] s2) {
        long[] t = {0};
        var trace = Classic.train2d(x -> {
            Step step = Step.of(++t[0], eta);
            return new double[] {a.reference(step, x[0], 0.2 * x[0], s1), a.reference(step, x[1], 4 * x[1], s2), 0, 0};
        }, 20);
        return Classic.train2dLine(trace);
    }

    @Test
    void momentumTrace() {
        assertEquals("epoch 20, x1 0.007188, x2 0.002553", trace(new Momentum(0.5, 0, WeightDecay.none(), false), 0.6, new double[1], new double[1]));
    }

    @Test
    void adagradTrace() {
        assertEquals("epoch 20, x1 -2.382563, x2 -0.158591", trace(Optimizers.adagrad(), 0.4, new double[1], new double[1]));
    }

    @Test
    void rmspropTrace() {
        assertEquals("epoch 20, x1 -0.010599, x2 0.000000", trace(Optimizers.rmsprop(), 0.4, new double[1], new double[1]));
    }

    @Test
    void adamTakesTheBiasCorrectedFirstStepOfSizeEta() {
        // With bias correction the first step is eta * g / (|g| + eps) ~ eta sign(g).
        double x = Optimizers.adam().reference(Step.of(1, 0.01), 1.0, 3.0, new double[2]);
        assertEquals(1.0 - 0.01 * 3.0 / (3.0 + 1e-6), x, 1e-15);
        assertEquals(1.0 - 0.01 * 3.0 / (3.0 + 1e-3), Optimizers.yogi().reference(Step.of(1, 0.01), 1.0, 3.0, new double[2]), 1e-15);
    }

    @Test
    void theStepScalesClipsAndDecaysTheGradientInThatOrder() {
        Step s = new Step(1, 0.1, 0.5, 0.75);
        assertEquals(0.75 + 0.01 * 2, s.gradient(4, 2, 0.01), 1e-15, "4 * 0.5 = 2, clipped to 0.75, plus 0.01 * x");
        assertEquals(-0.5, s.gradient(-1, 0, 0), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> new Step(0, 0.1, 1, 0));
        assertEquals("t = 0: expected an update count >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Step(1, Double.NaN, 1, 0));
        assertEquals("lr = NaN: expected a finite rate >= 0", e.getMessage());
    }
}
