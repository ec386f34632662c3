package io.gradus.examples.sections;

import io.gradus.examples.Plots;
import io.gradus.examples.PyFormat;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.classic.Classic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** 11.3: gradient descent in one and two dimensions, Newton's method, preconditioning, line search. */
public final class GradientDescent implements Section {

    static final double C_COS = 0.15 * Math.PI, C_COSH = 0.5;

    @Override public String name() { return "gd"; }

    @Override public String title() { return "11.3 Gradient Descent"; }

    @Override public String description() {
        return "gd(0.2), gd(0.05), gd(1.1) on x^2, gd(2) on x cos(cx), train_2d, Newton, preconditioning, line search";
    }

    /** The line the book's {@code gd} and {@code newton} print: {@code epoch 10, x: <Python repr>}. */
    public static String epochLine(double[] trace) {
        return "epoch " + (trace.length - 1) + ", x: " + PyFormat.repr(trace[trace.length - 1]);
    }

    /** {@code gd(eta)} on x^2 from x = 10, 10 steps. */
    public static double[] gdSquare(double eta) {
        return Classic.gradientDescent(x -> 2 * x, 10, eta, 10);
    }

    /** {@code gd(eta)} on x cos(cx), c = 0.15 pi. */
    public static double[] gdCos(double eta) {
        return Classic.gradientDescent(GradientDescent::gradCos, 10, eta, 10);
    }

    static double fCos(double x) {
        return x * Math.cos(C_COS * x);
    }

    static double gradCos(double x) {
        return Math.cos(C_COS * x) - C_COS * x * Math.sin(C_COS * x);
    }

    static double hessCos(double x) {
        return -2 * C_COS * Math.sin(C_COS * x) - x * C_COS * C_COS * Math.cos(C_COS * x);
    }

    /** Newton on cosh(cx), c = 0.5, from 10 (eta 1). */
    public static double[] newtonCosh() {
        return Classic.newton(x -> C_COSH * Math.sinh(C_COSH * x), x -> C_COSH * C_COSH * Math.cosh(C_COSH * x), 10, 1, 10, false);
    }

    /** Newton on x cos(cx) from 10 with step eta. */
    public static double[] newtonCos(double eta) {
        return Classic.newton(GradientDescent::gradCos, GradientDescent::hessCos, 10, eta, 10, false);
    }

    /** 11.3.2's {@code train_2d(gd)} on x1^2 + 2 x2^2 with eta 0.1. */
    public static List<double[]> gd2d() {
        double eta = 0.1;
        return Classic.train2d(s -> new double[] {s[0] - eta * 2 * s[0], s[1] - eta * 4 * s[1], 0, 0}, 20);
    }

    @Override
    public void run(Run run) throws Exception {
        DoubleUnaryOperator square = x -> x * x;
        for (double eta : new double[] {0.2, 0.05, 1.1}) {
            double[] trace = gdSquare(eta);
            run.say("gd(" + eta + ") on x^2: " + epochLine(trace));
            run.figure("11.3-gd-" + eta, Plots.trace1d("gd(" + eta + ") on f(x) = x^2", square, trace),
                    "Gradient descent on x^2 with eta = " + eta);
        }
        double[] local = gdCos(2);
        run.say("gd(2) on x cos(0.15 pi x): " + epochLine(local));
        run.figure("11.3-gd-local-minimum", Plots.trace1d("gd(2) on f(x) = x cos(cx)", GradientDescent::fCos, local),
                "A high learning rate on x cos(cx) ends in a poor local minimum");

        List<double[]> gd2 = gd2d();
        run.say("train_2d(gd), eta 0.1, on x1^2 + 2 x2^2: " + Classic.train2dLine(gd2));
        run.figure("11.3-gd-2d", Plots.trace2d("Gradient descent on x1^2 + 2 x2^2, eta 0.1", (a, b) -> a * a + 2 * b * b, gd2),
                "Gradient descent in two dimensions");

        double[] cosh = newtonCosh();
        run.say("newton() on cosh(0.5 x): " + epochLine(cosh));
        run.figure("11.3-newton-cosh", Plots.trace1d("Newton on cosh(cx), c = 0.5", x -> Math.cosh(C_COSH * x), cosh),
                "Newton's method on a convex function");
        for (double eta : new double[] {1, 0.5}) {
            double[] trace = newtonCos(eta);
            run.say("newton(" + PyFormat.repr(eta).replace(".0", "") + ") on x cos(0.15 pi x): " + epochLine(trace));
            run.figure("11.3-newton-cos-eta-" + eta, Plots.trace1d("Newton on x cos(cx), eta " + eta, GradientDescent::fCos, trace),
                    "Newton's method on a nonconvex function, eta = " + eta);
        }
        double[] absNewton = Classic.newton(GradientDescent::gradCos, GradientDescent::hessCos, 10, 1, 10, true);
        run.say("newton with |f''| on x cos(0.15 pi x): " + epochLine(absNewton));

        // Preconditioning on the ill-conditioned 0.1 x1^2 + 2 x2^2: scaling each coordinate by its
        // inverse curvature diag(H)^-1 = (5, 0.25) turns it into a well-conditioned problem.
        DoubleBinaryOperator f2d = (a, b) -> 0.1 * a * a + 2 * b * b;
        java.util.function.UnaryOperator<double[]> grad2d = v -> new double[] {0.2 * v[0], 4 * v[1]};
        List<double[]> plain = Classic.gradientDescent(grad2d, new double[] {-5, -2}, 0.4, 20, null);
        List<double[]> pre = Classic.gradientDescent(grad2d, new double[] {-5, -2}, 0.4, 20, new double[] {5, 0.25});
        run.say("gd, eta 0.4, on 0.1 x1^2 + 2 x2^2:                     " + Classic.train2dLine(plain));
        run.say("gd preconditioned by diag(H)^-1 = (5, 0.25), eta 0.4: " + Classic.train2dLine(pre));
        twoTraces(run, "11.3-preconditioning", "Preconditioning on 0.1 x1^2 + 2 x2^2, eta 0.4", f2d, plain, pre,
                "preconditioned", "Plain gradient descent (orange) and preconditioned (green)");

        // Line search along the negative gradient: exact (bisection on the directional derivative)
        // and backtracking with the Armijo condition.
        List<double[]> exact = lineSearchDescent(grad2d, f2d, true);
        List<double[]> armijo = lineSearchDescent(grad2d, f2d, false);
        run.say("gd with bisection line search:             " + Classic.train2dLine(exact));
        run.say("gd with backtracking (Armijo) line search: " + Classic.train2dLine(armijo));
        twoTraces(run, "11.3-line-search", "Line search on 0.1 x1^2 + 2 x2^2", f2d, exact, armijo, "Armijo",
                "Gradient descent with exact (orange) and Armijo (green) line search");

        // Exercise 2: line search on log(exp(x) + exp(-2x - 3)) over [-2, 2]; the minimum is at (ln 2 - 3) / 3.
        DoubleUnaryOperator derivative = x -> (Math.exp(x) - 2 * Math.exp(-2 * x - 3)) / (Math.exp(x) + Math.exp(-2 * x - 3));
        double t = Classic.bisectionLineSearch(s -> derivative.applyAsDouble(-2 + s), 4, 60);
        run.sayf("bisection on [-2, 2] for log(exp(x) + exp(-2x - 3)): x = %.6f (exact (ln 2 - 3) / 3 = %.6f)",
                -2 + t, (Math.log(2) - 3) / 3);
    }

    /** The contours of f with two traces: {@code first} in the book's orange, {@code second} in green. */
    private static void twoTraces(Run run, String file, String title, DoubleBinaryOperator f, List<double[]> first,
                                  List<double[]> second, String secondName, String caption) throws java.io.IOException {
        XYChart chart = Plots.trace2d(title, f, first);
        addTrace(chart, secondName, second);
        chart.getStyler().setLegendVisible(true);
        run.figure(file, chart, caption);
    }

    private static void addTrace(XYChart chart, String name, List<double[]> trace) {
        double[] x1 = new double[trace.size()], x2 = new double[trace.size()];
        for (int i = 0; i < x1.length; i++) {
            x1[i] = trace.get(i)[0];
            x2[i] = trace.get(i)[1];
        }
        XYSeries s = Plots.lineWithPoints(chart, name, x1, x2);
        s.setLineColor(new java.awt.Color(0x2ca02c));
        s.setMarkerColor(new java.awt.Color(0x2ca02c));
    }

    /** 20 steps from (-5, -2) along -grad f with the step length from a line search. */
    static List<double[]> lineSearchDescent(java.util.function.UnaryOperator<double[]> grad, DoubleBinaryOperator f, boolean exact) {
        double[] x = {-5, -2};
        List<double[]> trace = new ArrayList<>();
        trace.add(x.clone());
        for (int i = 0; i < 20; i++) {
            double[] g = grad.apply(x), d = {-g[0], -g[1]}, x0 = x.clone();
            double slope = g[0] * d[0] + g[1] * d[1];
            if (slope == 0) {
                trace.add(x.clone());
                continue;
            }
            double t = exact
                    ? Classic.bisectionLineSearch(s -> {
                        double[] gs = grad.apply(new double[] {x0[0] + s * d[0], x0[1] + s * d[1]});
                        return gs[0] * d[0] + gs[1] * d[1];
                    }, 10, 60)
                    : Classic.backtrackingArmijo(s -> f.applyAsDouble(x0[0] + s * d[0], x0[1] + s * d[1]), slope, 1, 0.3, 1e-4, 60);
            x = new double[] {x0[0] + t * d[0], x0[1] + t * d[1]};
            trace.add(x.clone());
        }
        return trace;
    }
}
