package io.gradus.optim.classic;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * The methods of section 11.3 on functions of doubles, each returning its whole trace so that it
 * can be printed and plotted as the book does. With IEEE doubles and {@link Math} the book's
 * printed numbers come out exactly (e.g. {@code gd(0.2)} on x^2 from 10: 0.06046617599999997).
 */
public final class Classic {
    private Classic() {}

    /** One-dimensional gradient descent {@code x <- x - eta f'(x)} (11.3.1); the trace starts with x0. */
    public static double[] gradientDescent(DoubleUnaryOperator gradient, double x0, double eta, int steps) {
        checkSteps(steps);
        double[] trace = new double[steps + 1];
        double x = x0;
        trace[0] = x;
        for (int i = 1; i <= steps; i++) {
            x -= eta * gradient.applyAsDouble(x);
            trace[i] = x;
        }
        return trace;
    }

    /**
     * Newton's method {@code x <- x - eta f'(x) / f''(x)} (11.3.3). With {@code absoluteHessian} the
     * curvature's magnitude is used, one of the section's fixes for non-convex functions (a negative
     * f'' would otherwise send x uphill); {@code eta < 1} damps the step, the other fix.
     */
    public static double[] newton(DoubleUnaryOperator gradient, DoubleUnaryOperator hessian, double x0, double eta,
                                  int steps, boolean absoluteHessian) {
        checkSteps(steps);
        double[] trace = new double[steps + 1];
        double x = x0;
        trace[0] = x;
        for (int i = 1; i <= steps; i++) {
            double h = hessian.applyAsDouble(x);
            x -= eta * gradient.applyAsDouble(x) / (absoluteHessian ? Math.abs(h) : h);
            trace[i] = x;
        }
        return trace;
    }

    /**
     * n-dimensional gradient descent, with an optional diagonal preconditioner
     * {@code x <- x - eta diag(P) grad f(x)} (11.3.3: scaling each coordinate by its inverse curvature).
     *
     * @param preconditioner per-coordinate factors, or null for plain gradient descent
     * @return the trace, each entry a fresh array
     */
    public static List<double[]> gradientDescent(UnaryOperator<double[]> gradient, double[] x0, double eta, int steps,
                                                 double[] preconditioner) {
        checkSteps(steps);
        if (preconditioner != null && preconditioner.length != x0.length) {
            throw new IllegalArgumentException("preconditioner has " + preconditioner.length + " entries, x0 has " + x0.length);
        }
        List<double[]> trace = new ArrayList<>();
        double[] x = x0.clone();
        trace.add(x.clone());
        for (int i = 0; i < steps; i++) {
            double[] g = gradient.apply(x.clone());
            for (int j = 0; j < x.length; j++) {
                x[j] -= eta * (preconditioner == null ? 1.0 : preconditioner[j]) * g[j];
            }
            trace.add(x.clone());
        }
        return trace;
    }

    /**
     * The book's {@code train_2d}: starts at {@code (x1, x2, s1, s2) = (-5, -2, 0, 0)} and applies
     * {@code step} the given number of times; the trace holds {@code (x1, x2)} after each step.
     */
    public static List<double[]> train2d(UnaryOperator<double[]> step, int steps) {
        checkSteps(steps);
        double[] state = {-5, -2, 0, 0};
        List<double[]> trace = new ArrayList<>();
        trace.add(new double[] {state[0], state[1]});
        for (int i = 0; i < steps; i++) {
            state = step.apply(state);
            trace.add(new double[] {state[0], state[1]});
        }
        return trace;
    }

    /** The line {@code train_2d} prints: {@code epoch 20, x1 -0.057646, x2 -0.000073}. */
    public static String train2dLine(List<double[]> trace) {
        double[] last = trace.getLast();
        return String.format(java.util.Locale.ROOT, "epoch %d, x1 %f, x2 %f", trace.size() - 1, last[0], last[1]);
    }

    /**
     * A step size by bisection on the directional derivative (11.3.4's line search): the root of
     * {@code d/dt f(x + t d)} in {@code [0, tMax]}, assuming the derivative is negative at 0 and
     * changes sign once in the interval.
     *
     * @param directional {@code t -> grad f(x + t d) . d}
     */
    public static double bisectionLineSearch(DoubleUnaryOperator directional, double tMax, int iterations) {
        if (!(tMax > 0)) throw new IllegalArgumentException("tMax = " + tMax + ": expected > 0");
        double lo = 0, hi = tMax;
        if (directional.applyAsDouble(hi) <= 0) return hi; // still descending at tMax
        for (int i = 0; i < iterations; i++) {
            double mid = 0.5 * (lo + hi);
            if (directional.applyAsDouble(mid) < 0) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /**
     * Backtracking line search with the Armijo condition: the first
     * {@code t = t0, beta t0, beta^2 t0, ...} with {@code f(x + t d) <= f(x) + c t grad f(x) . d}.
     *
     * @param along     {@code t -> f(x + t d)}
     * @param slope     {@code grad f(x) . d}, negative for a descent direction
     */
    public static double backtrackingArmijo(DoubleUnaryOperator along, double slope, double t0, double beta, double c,
                                            int maxSteps) {
        if (!(slope < 0)) throw new IllegalArgumentException("slope = " + slope + ": expected < 0 (a descent direction)");
        if (!(beta > 0 && beta < 1)) throw new IllegalArgumentException("beta = " + beta + ": expected 0 < beta < 1");
        if (!(c > 0 && c < 1)) throw new IllegalArgumentException("c = " + c + ": expected 0 < c < 1");
        double f0 = along.applyAsDouble(0), t = t0;
        for (int i = 0; i < maxSteps; i++) {
            if (along.applyAsDouble(t) <= f0 + c * t * slope) return t;
            t *= beta;
        }
        return t;
    }

    private static void checkSteps(int steps) {
        if (steps < 0) throw new IllegalArgumentException("steps = " + steps + ": expected >= 0");
    }
}
