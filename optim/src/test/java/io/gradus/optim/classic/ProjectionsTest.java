package io.gradus.optim.classic;

import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ProjectionsTest {

    static double l1(double[] x) {
        double s = 0;
        for (double v : x) s += Math.abs(v);
        return s;
    }

    static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    @Test
    void l2BallScalesOutsidePointsOntoTheSphereAndKeepsInsidePoints() {
        assertArrayEquals(new double[] {0.6, 0.8}, Projections.ontoL2Ball(new double[] {3, 4}, 1), 1e-15);
        assertArrayEquals(new double[] {0.3, 0.4}, Projections.ontoL2Ball(new double[] {0.3, 0.4}, 1), 0);
    }

    @Test
    void l1BallOfSmallExamples() {
        // (2, 1) onto the unit diamond: theta = 1, so (1, 0) — the direction changes.
        assertArrayEquals(new double[] {1, 0}, Projections.ontoL1Ball(new double[] {2, 1}, 1), 1e-15);
        // (0.8, -0.6): theta = 0.2 gives (0.6, -0.4).
        assertArrayEquals(new double[] {0.6, -0.4}, Projections.ontoL1Ball(new double[] {0.8, -0.6}, 1), 1e-15);
        assertArrayEquals(new double[] {0.2, -0.3}, Projections.ontoL1Ball(new double[] {0.2, -0.3}, 1), 0);
    }

    /**
     * Against an independent computation: theta found by bisection on the monotone function
     * {@code sum max(|x_i| - theta, 0) - r}, and against random points of the ball (the projection
     * is the closest one).
     */
    @Test
    void l1BallMatchesBisectionOnThetaAndIsTheClosestPoint() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(20);
            double r = 0.1 + 3 * rnd.nextDouble();
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = 4 * rnd.nextGaussian();
            double[] p = Projections.ontoL1Ball(x, r);
            if (l1(x) <= r) {
                assertArrayEquals(x, p, 0);
                continue;
            }
            double lo = 0, hi = 0;
            for (double v : x) hi = Math.max(hi, Math.abs(v));
            for (int it = 0; it < 200; it++) {
                double mid = 0.5 * (lo + hi), s = 0;
                for (double v : x) s += Math.max(Math.abs(v) - mid, 0);
                if (s > r) lo = mid; else hi = mid;
            }
            double theta = 0.5 * (lo + hi);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.signum(x[i]) * Math.max(Math.abs(x[i]) - theta, 0), p[i], 1e-9, "coordinate " + i);
            }
            assertEquals(r, l1(p), 1e-9);
            for (int k = 0; k < 50; k++) {
                double[] q = new double[n];
                for (int i = 0; i < n; i++) q[i] = rnd.nextGaussian();
                double scale = r * rnd.nextDouble() / l1(q);
                for (int i = 0; i < n; i++) q[i] *= scale;
                assertTrue(dist2(x, p) <= dist2(x, q) + 1e-9);
            }
        }
    }

    @Test
    void badRadiusIsRefusedWithItsValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Projections.ontoL1Ball(new double[] {1}, -1));
        assertTrue(e.getMessage().contains("r = -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Projections.ontoL2Ball(new double[] {1}, Double.NaN));
    }
}
