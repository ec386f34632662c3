package io.gradus.examples.sections;

import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.classic.Projections;
import java.awt.Color;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** 11.2: convex and nonconvex functions with a secant, Jensen's inequality, level sets, projections. */
public final class Convexity implements Section {

    @Override public String name() { return "convexity"; }

    @Override public String title() { return "11.2 Convexity"; }

    @Override public String description() {
        return "convex vs nonconvex functions with a secant, a Jensen check, projections onto the l2 and l1 balls";
    }

    @Override
    public void run(Run run) throws Exception {
        double[] x = Plots.arange(-2, 2, 0.01), segment = {-1.5, 1};
        String[] names = {"0.5 x^2 (convex)", "cos(pi x) (nonconvex)", "exp(0.5 x) (convex)"};
        DoubleUnaryOperator[] fs = {v -> 0.5 * v * v, v -> Math.cos(Math.PI * v), v -> Math.exp(0.5 * v)};
        String[] files = {"11.2-convex-square", "11.2-nonconvex-cos", "11.2-convex-exp"};
        for (int i = 0; i < fs.length; i++) {
            XYChart c = Plots.chart(names[i], "x", "f(x)");
            c.getStyler().setLegendVisible(false);
            Plots.line(c, "f", x, Plots.map(x, fs[i]));
            Plots.lineWithPoints(c, "secant", segment, Plots.map(segment, fs[i]));
            boolean above = secantAbove(fs[i], segment[0], segment[1]);
            run.sayf("%-22s secant over [-1.5, 1] lies above the graph: %s", names[i], above);
            run.figure(files[i], c, names[i] + " with the secant over [-1.5, 1]");
        }

        // Jensen's inequality (11.2.3) with seeded random points and weights.
        Random rnd = new Random(run.seed());
        double[] xs = new double[8], alpha = new double[8];
        double sum = 0;
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 4 * rnd.nextDouble() - 2;
            alpha[i] = rnd.nextDouble();
            sum += alpha[i];
        }
        for (int i = 0; i < alpha.length; i++) alpha[i] /= sum;
        for (int k : new int[] {0, 2}) {
            double lhs = 0, mean = 0;
            for (int i = 0; i < xs.length; i++) {
                lhs += alpha[i] * fs[k].applyAsDouble(xs[i]);
                mean += alpha[i] * xs[i];
            }
            double rhs = fs[k].applyAsDouble(mean);
            run.sayf("Jensen for %s: sum_i a_i f(x_i) = %.6f >= f(sum_i a_i x_i) = %.6f: %s", names[k], lhs, rhs, lhs >= rhs);
        }

        // A local minimum that is not global: (x - 1)^2 (x + 1).
        DoubleUnaryOperator cubic = v -> (v - 1) * (v - 1) * (v + 1);
        XYChart local = Plots.chart("f(x) = (x - 1)^2 (x + 1)", "x", "f(x)");
        local.getStyler().setLegendVisible(false);
        Plots.line(local, "f", x, Plots.map(x, cubic));
        Plots.lineWithPoints(local, "secant", segment, Plots.map(segment, cubic));
        run.figure("11.2-local-minimum", local, "(x - 1)^2 (x + 1): a local minimum at x = 1 that is not global");

        // Level sets of 0.5 x^2 + cos(2 pi y) (the book's code: x^2 + 0.5 cos(2 pi y)) are not convex.
        double[] g = Plots.linspace(-1, 1, 101);
        XYChart levels = Plots.chart("f(x, y) = x^2 + 0.5 cos(2 pi y)", "x", "y");
        levels.getStyler().setLegendVisible(false);
        Plots.contour(levels, (a, b) -> a * a + 0.5 * Math.cos(2 * Math.PI * b), g, g, 8);
        run.figure("11.2-level-sets", levels, "Nonconvex level sets of x^2 + 0.5 cos(2 pi y)");

        // f'' >= 0: the graph lies below the chord between a and b.
        double[] axb = {-1.5, -0.5, 1}, ab = {-1.5, 1};
        XYChart chord = Plots.chart("f(x) = 0.5 x^2 below its chord", "x", "f(x)");
        chord.getStyler().setLegendVisible(false);
        Plots.line(chord, "f", x, Plots.map(x, fs[0]));
        Plots.lineWithPoints(chord, "a x b", axb, Plots.map(axb, fs[0]));
        Plots.line(chord, "a b", ab, Plots.map(ab, fs[0]));
        Plots.annotate(chord, "a", -1.5, fs[0].applyAsDouble(-1.5), -1.5, 1.5);
        Plots.annotate(chord, "b", 1, fs[0].applyAsDouble(1), 1, 1.5);
        Plots.annotate(chord, "x", -0.5, fs[0].applyAsDouble(-0.5), -1.5, fs[0].applyAsDouble(-0.5));
        run.figure("11.2-chord", chord, "A convex function lies below its chord");

        // Projections (Fig. 11.2.4 and exercise 8): onto the unit l2 ball and the unit l1 ball.
        XYChart proj = Plots.chart("Projections onto the unit l2 and l1 balls", "x1", "x2");
        proj.getStyler().setLegendVisible(true);
        double[] t = Plots.linspace(0, 2 * Math.PI, 200);
        Plots.line(proj, "l2 ball", Plots.map(t, Math::cos), Plots.map(t, Math::sin)).setLineColor(Plots.BLUE_LINE);
        Plots.line(proj, "l1 ball", new double[] {1, 0, -1, 0, 1}, new double[] {0, 1, 0, -1, 0}).setLineColor(Color.GRAY);
        double[][] points = {{1.6, 0.9}, {-0.7, 1.4}, {-1.5, -0.4}, {0.3, -1.3}, {0.2, 0.3}};
        for (double[] p : points) {
            double[] p2 = Projections.ontoL2Ball(p, 1), p1 = Projections.ontoL1Ball(p, 1);
            arrow(proj, p, p2, Plots.BLUE_LINE);
            arrow(proj, p, p1, Color.GRAY);
            run.sayf("(%5.2f, %5.2f) -> l2 ball (%.6f, %.6f), l1 ball (%.6f, %.6f)", p[0], p[1], p2[0], p2[1], p1[0], p1[1]);
        }
        proj.getStyler().setXAxisMin(-2.0).setXAxisMax(2.0).setYAxisMin(-2.0).setYAxisMax(2.0);
        run.figure("11.2-projections", proj, "Points outside a ball move to its closest point; inside points stay");

        double[] w = new double[10];
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextGaussian();
        double[] pw = Projections.ontoL1Ball(w, 1);
        long zeros = Arrays.stream(pw).filter(v -> v == 0).count();
        double l1 = Arrays.stream(pw).map(Math::abs).sum();
        run.sayf("a random w in R^10 (||w||_1 = %.4f) onto the unit l1 ball: ||Proj(w)||_1 = %.6f, %d of 10 coordinates exactly 0",
                Arrays.stream(w).map(Math::abs).sum(), l1, zeros);
    }

    private static void arrow(XYChart chart, double[] from, double[] to, Color color) {
        XYSeries s = chart.addSeries("from (" + from[0] + ", " + from[1] + ") " + color.getRGB(),
                new double[] {from[0], to[0]}, new double[] {from[1], to[1]});
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setShowInLegend(false);
    }

    /** Whether lambda f(a) + (1 - lambda) f(b) >= f(lambda a + (1 - lambda) b) on a fine grid of lambda (eq. 11.2.2). */
    static boolean secantAbove(DoubleUnaryOperator f, double a, double b) {
        for (int i = 0; i <= 1000; i++) {
            double lambda = i / 1000.0;
            double chordValue = lambda * f.applyAsDouble(a) + (1 - lambda) * f.applyAsDouble(b);
            if (chordValue < f.applyAsDouble(lambda * a + (1 - lambda) * b) - 1e-12) return false;
        }
        return true;
    }
}
