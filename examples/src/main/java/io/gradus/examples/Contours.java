package io.gradus.examples;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * Contour lines of {@code f(x, y)} on a grid by marching squares, for the contour plots the book
 * draws with matplotlib ({@code show_trace_2d}). XChart has no contour plot, but it breaks a line
 * series at NaN: the result is one series of short segments separated by NaN points.
 */
final class Contours {

    /** Segments as parallel coordinate arrays; each segment's two points are followed by a point with y = NaN. */
    record Segments(double[] x, double[] y) {}

    private Contours() {}

    /** {@code count} evenly spaced levels strictly between the grid's minimum and maximum of f. */
    static double[] levels(DoubleBinaryOperator f, double[] xs, double[] ys, int count) {
        return levels(f, xs, ys, count, false);
    }

    /**
     * Levels between the grid's minimum and maximum of f; with {@code nearMinimum} spaced as
     * {@code (i / (count + 1))^2}, so that a quadratic bowl shows evenly spaced ellipses around its
     * minimum instead of crowding at the grid's edge.
     */
    static double[] levels(DoubleBinaryOperator f, double[] xs, double[] ys, int count, boolean nearMinimum) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            for (double y : ys) {
                double v = f.applyAsDouble(x, y);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double[] levels = new double[count];
        for (int i = 0; i < count; i++) {
            double t = (i + 1.0) / (count + 1);
            levels[i] = lo + (hi - lo) * (nearMinimum ? t * t : t);
        }
        return levels;
    }

    static Segments lines(DoubleBinaryOperator f, double[] xs, double[] ys, double[] levels) {
        int nx = xs.length, ny = ys.length;
        double[][] v = new double[nx][ny];
        for (int i = 0; i < nx; i++) for (int j = 0; j < ny; j++) v[i][j] = f.applyAsDouble(xs[i], ys[j]);
        double[] outX = new double[1024], outY = new double[1024];
        int n = 0;
        double[] px = new double[4], py = new double[4];
        for (double level : levels) {
            for (int i = 0; i + 1 < nx; i++) {
                for (int j = 0; j + 1 < ny; j++) {
                    // Corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1); edges between them.
                    double[] cx = {xs[i], xs[i + 1], xs[i + 1], xs[i]};
                    double[] cy = {ys[j], ys[j], ys[j + 1], ys[j + 1]};
                    double[] cv = {v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1]};
                    int found = 0;
                    for (int e = 0; e < 4; e++) {
                        double a = cv[e] - level, b = cv[(e + 1) % 4] - level;
                        if ((a < 0) != (b < 0)) {
                            double t = a / (a - b); // where the linear interpolant crosses the level
                            px[found] = cx[e] + t * (cx[(e + 1) % 4] - cx[e]);
                            py[found] = cy[e] + t * (cy[(e + 1) % 4] - cy[e]);
                            found++;
                        }
                    }
                    // Two crossings: one segment. Four (a saddle cell): two segments, paired in edge order.
                    for (int s = 0; s + 1 < found; s += 2) {
                        if (n + 3 > outX.length) {
                            outX = Arrays.copyOf(outX, outX.length * 2);
                            outY = Arrays.copyOf(outY, outY.length * 2);
                        }
                        outX[n] = px[s]; outY[n++] = py[s];
                        outX[n] = px[s + 1]; outY[n++] = py[s + 1];
                        outX[n] = px[s + 1]; outY[n++] = Double.NaN; // the break
                    }
                }
            }
        }
        return new Segments(Arrays.copyOf(outX, n), Arrays.copyOf(outY, n));
    }
}
