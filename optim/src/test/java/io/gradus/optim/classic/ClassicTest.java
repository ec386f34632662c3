package io.gradus.optim.classic;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The printed numbers of section 11.3, exactly. */
class ClassicTest {

    static final double C_NONCONVEX = 0.15 * Math.PI;
    static final DoubleUnaryOperator X_COS_GRAD = x -> Math.cos(C_NONCONVEX * x) - C_NONCONVEX * x * Math.sin(C_NONCONVEX * x);
    static final DoubleUnaryOperator X_COS_HESS = x -> -2 * C_NONCONVEX * Math.sin(C_NONCONVEX * x)
            - x * C_NONCONVEX * C_NONCONVEX * Math.cos(C_NONCONVEX * x);

    static String line(double[] trace) {
        return "epoch " + (trace.length - 1) + ", x: " + trace[trace.length - 1];
    }

    @Test
    void gradientDescentOnXSquaredAndXCosCx() {
        assertEquals("epoch 10, x: 0.06046617599999997", line(Classic.gradientDescent(x -> 2 * x, 10, 0.2, 10)));
        assertEquals("epoch 10, x: -1.528165927635083", line(Classic.gradientDescent(X_COS_GRAD, 10, 2, 10)));
        double[] slow = Classic.gradientDescent(x -> 2 * x, 10, 0.05, 10);
        assertEquals(10 * Math.pow(0.9, 10), slow[10], 1e-12);
        double[] diverging = Classic.gradientDescent(x -> 2 * x, 10, 1.1, 10);
        assertEquals(10 * Math.pow(-1.2, 10), diverging[10], 1e-9);
    }

    @Test
    void newtonAsPrinted() {
        double c = 0.5;
        assertEquals("epoch 10, x: 0.0", line(Classic.newton(x -> c * Math.sinh(c * x), x -> c * c * Math.cosh(c * x),
                10, 1, 10, false)));
        assertEquals("epoch 10, x: 26.83413291324767", line(Classic.newton(X_COS_GRAD, X_COS_HESS, 10, 1, 10, false)));
        assertEquals("epoch 10, x: 7.269860168684531", line(Classic.newton(X_COS_GRAD, X_COS_HESS, 10, 0.5, 10, false)));
    }

    @Test
    void train2dPrintsTheBooksLine() {
        double eta = 0.1;
        List<double[]> trace = Classic.train2d(s -> new double[] {s[0] - eta * 2 * s[0], s[1] - eta * 4 * s[1], 0, 0}, 20);
        assertEquals("epoch 20, x1 -0.057646, x2 -0.000073", Classic.train2dLine(trace));
        assertEquals(21, trace.size());
    }

    @Test
    void preconditioningEqualizesTheCurvatures() {
        // f = x1^2 + 2 x2^2: diag(1/2, 1/4) turns both coordinates into one Newton step with eta = 1.
        var trace = Classic.gradientDescent(x -> new double[] {2 * x[0], 4 * x[1]}, new double[] {-5, -2}, 1.0, 1,
                new double[] {0.5, 0.25});
        assertArrayEquals(new double[] {0, 0}, trace.get(1), 0);
    }

    @Test
    void lineSearches() {
        // f(x + t d) = (t - 3)^2 from x = 0: the exact step is 3.
        double t = Classic.bisectionLineSearch(s -> 2 * (s - 3), 10, 60);
        assertEquals(3, t, 1e-12);
        double armijo = Classic.backtrackingArmijo(s -> (s - 3) * (s - 3), -6, 16, 0.5, 1e-4, 30);
        assertEquals(4, armijo, "16 and 8 are too long, 4 decreases enough");
        var e = assertThrows(IllegalArgumentException.class, () -> Classic.backtrackingArmijo(s -> s, 1, 1, 0.5, 1e-4, 3));
        assertEquals("slope = 1.0: expected < 0 (a descent direction)", e.getMessage());
    }
}
