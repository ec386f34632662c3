package io.gradus.optim.classic;

import java.util.Arrays;

/**
 * Euclidean projections onto convex sets (section 11.2.3, eq. 11.2.14:
 * {@code Proj_X(x) = argmin_{x' in X} ||x - x'||_2}).
 */
public final class Projections {
    private Projections() {}

    /**
     * Onto the l2 ball of radius r: {@code x min(1, r / ||x||)} — the gradient-clipping projection
     * of eq. 11.2.13. The direction is kept.
     */
    public static double[] ontoL2Ball(double[] x, double r) {
        checkRadius(r);
        double norm = 0;
        for (double v : x) norm += v * v;
        norm = Math.sqrt(norm);
        double scale = norm <= r ? 1 : r / norm;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] * scale;
        return out;
    }

    /**
     * Onto the l1 ball of radius r (the chapter's exercise 11.2.8), exactly, by sorting: the
     * projection is soft thresholding {@code sign(x_i) max(|x_i| - theta, 0)} with the one theta >= 0
     * that lands on the sphere, found from the sorted magnitudes (Duchi, Shalev-Shwartz, Singer and
     * Chandra, "Efficient projections onto the l1-ball", ICML 2008): with {@code u} the magnitudes in
     * decreasing order, {@code rho = max{j : u_j > (sum_{i<=j} u_i - r) / j}} and
     * {@code theta = (sum_{i<=rho} u_i - r) / rho}. Points inside the ball are returned unchanged.
     * Unlike the l2 case the direction changes, and small coordinates become exactly zero.
     */
    public static double[] ontoL1Ball(double[] x, double r) {
        checkRadius(r);
        double l1 = 0;
        for (double v : x) l1 += Math.abs(v);
        if (l1 <= r) return x.clone();
        double[] u = new double[x.length];
        for (int i = 0; i < x.length; i++) u[i] = Math.abs(x[i]);
        Arrays.sort(u); // ascending; walk it from the end for decreasing order
        double cumulative = 0, theta = 0;
        for (int j = 1; j <= u.length; j++) {
            double uj = u[u.length - j];
            cumulative += uj;
            double candidate = (cumulative - r) / j;
            if (uj > candidate) theta = candidate; else break;
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.signum(x[i]) * Math.max(Math.abs(x[i]) - theta, 0);
        return out;
    }

    private static void checkRadius(double r) {
        if (!(r > 0) || Double.isInfinite(r)) throw new IllegalArgumentException("r = " + r + ": expected a finite radius > 0");
    }
}
