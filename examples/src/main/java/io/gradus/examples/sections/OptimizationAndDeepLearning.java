package io.gradus.examples.sections;

import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** 11.1: empirical vs expected risk, local and global minima, saddle points, vanishing gradients. */
public final class OptimizationAndDeepLearning implements Section {

    @Override public String name() { return "optimization"; }

    @Override public String title() { return "11.1 Optimization and Deep Learning"; }

    @Override public String description() {
        return "risk curves, local and global minima of x cos(pi x), saddles of x^3 and x^2 - y^2, the vanishing gradient of tanh";
    }

    /** f(x) = x cos(pi x), eq. 11.1.1. */
    static double f(double x) {
        return x * Math.cos(Math.PI * x);
    }

    @Override
    public void run(Run run) throws Exception {
        // The empirical risk g wiggles around the expected risk f: their minima differ.
        double[] x = Plots.arange(0.5, 1.5, 0.01);
        XYChart risk = Plots.chart("Empirical and expected risk", "x", "risk");
        Plots.line(risk, "expected risk f(x) = x cos(pi x)", x, Plots.map(x, OptimizationAndDeepLearning::f));
        Plots.line(risk, "empirical risk g(x) = f(x) + 0.2 cos(5 pi x)", x,
                Plots.map(x, v -> f(v) + 0.2 * Math.cos(5 * Math.PI * v)));
        Plots.annotate(risk, "min of empirical risk", argmin(v -> f(v) + 0.2 * Math.cos(5 * Math.PI * v), 0.5, 1.5),
                -1.2, 0.55, -1.1);
        Plots.annotate(risk, "min of expected risk", argmin(OptimizationAndDeepLearning::f, 0.5, 1.5), -1.05, 0.95, -0.5);
        run.figure("11.1-risk", risk, "Minimum of the empirical risk vs the expected risk");

        // Local and global minimum on [-1, 2]: every grid point lower than both neighbours, refined.
        double[] grid = Plots.arange(-1.0, 2.0, 0.01);
        XYChart minima = Plots.chart("f(x) = x cos(pi x)", "x", "f(x)");
        minima.getStyler().setLegendVisible(false);
        Plots.line(minima, "f", grid, Plots.map(grid, OptimizationAndDeepLearning::f));
        double local = argmin(OptimizationAndDeepLearning::f, -1.0, 0.5), global = argmin(OptimizationAndDeepLearning::f, 0.5, 2.0);
        run.sayf("local minimum of x cos(pi x) on [-1, 2]: f(%.4f) = %.4f", local, f(local));
        run.sayf("global minimum of x cos(pi x) on [-1, 2]: f(%.4f) = %.4f", global, f(global));
        Plots.annotate(minima, "local minimum", local, f(local), -0.77, -1.0);
        Plots.annotate(minima, "global minimum", global, f(global), 0.6, 0.8);
        run.figure("11.1-minima", minima, "Local and global minimum of x cos(pi x)");

        // Saddle point of x^3 at 0: f' = f'' = 0 there.
        double[] xs = Plots.arange(-2.0, 2.0, 0.01);
        XYChart cubic = Plots.chart("f(x) = x^3", "x", "f(x)");
        cubic.getStyler().setLegendVisible(false);
        Plots.line(cubic, "x^3", xs, Plots.map(xs, v -> v * v * v));
        Plots.annotate(cubic, "saddle point", 0, 0, -0.52, -5.0);
        run.figure("11.1-saddle-x3", cubic, "Saddle point of x^3");

        // x^2 - y^2: a minimum along x, a maximum along y. Contours instead of the book's wireframe.
        double[] g = Plots.linspace(-1, 1, 101);
        XYChart saddle = Plots.chart("f(x, y) = x^2 - y^2", "x", "y");
        saddle.getStyler().setLegendVisible(false);
        Plots.contour(saddle, (a, b) -> a * a - b * b, g, g, 10);
        XYSeries point = saddle.addSeries("saddle", new double[] {0}, new double[] {0});
        point.setMarker(SeriesMarkers.CROSS);
        point.setMarkerColor(java.awt.Color.RED);
        run.figure("11.1-saddle-2d", saddle, "Contours of x^2 - y^2 and its saddle point at (0, 0)");
        run.say("Hessian of x^2 - y^2 at (0, 0): eigenvalues 2 and -2 (one positive, one negative): a saddle point");

        // Vanishing gradient of tanh at 4.
        double[] xt = Plots.arange(-2.0, 5.0, 0.01);
        XYChart tanh = Plots.chart("f(x) = tanh(x)", "x", "f(x)");
        tanh.getStyler().setLegendVisible(false);
        Plots.line(tanh, "tanh", xt, Plots.map(xt, Math::tanh));
        Plots.annotate(tanh, "vanishing gradient", 4, Math.tanh(4), 2, 0.0);
        run.figure("11.1-vanishing-gradient", tanh, "The vanishing gradient of tanh at x = 4");
        double t4 = Math.tanh(4);
        run.sayf("f'(4) = %.4f", 1 - t4 * t4);
    }

    /** The minimiser of f on [lo, hi]: the best point of a 1e-4 grid, then golden-section refinement. */
    static double argmin(DoubleUnaryOperator f, double lo, double hi) {
        double best = lo, fBest = f.applyAsDouble(lo);
        int n = (int) Math.round((hi - lo) / 1e-4);
        for (int i = 1; i <= n; i++) {
            double x = lo + i * 1e-4, v = f.applyAsDouble(x);
            if (v < fBest) {
                best = x;
                fBest = v;
            }
        }
        double a = Math.max(lo, best - 1e-4), b = Math.min(hi, best + 1e-4), r = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 60; i++) {
            double c = b - r * (b - a), d = a + r * (b - a);
            if (f.applyAsDouble(c) < f.applyAsDouble(d)) b = d; else a = c;
        }
        return 0.5 * (a + b);
    }
}
