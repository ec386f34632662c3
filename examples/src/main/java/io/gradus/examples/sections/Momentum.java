package io.gradus.examples.sections;

import io.gradus.bench.ScratchUpdates;
import io.gradus.core.data.ArrayDataset;
import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;
import io.gradus.optim.classic.Classic;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.knowm.xchart.XYChart;

/** 11.6: the ill-conditioned problem, momentum's traces, effective sample weights, airfoil, scalar convergence. */
public final class Momentum implements Section {

    static final DoubleBinaryOperator F_2D = (x1, x2) -> 0.1 * x1 * x1 + 2 * x2 * x2;

    @Override public String name() { return "momentum"; }

    @Override public String title() { return "11.6 Momentum"; }

    @Override public String description() {
        return "gd_2d and momentum_2d traces, effective sample weights, momentum on airfoil, scalar convergence";
    }

    /** {@code train_2d(gd_2d)} on 0.1 x1^2 + 2 x2^2. */
    public static List<double[]> gd2d(double eta) {
        return Classic.train2d(s -> new double[] {s[0] - eta * 0.2 * s[0], s[1] - eta * 4 * s[1], 0, 0}, 20);
    }

    /** {@code train_2d(momentum_2d)}: {@code v = beta v + grad; x -= eta v}. */
    public static List<double[]> momentum2d(double eta, double beta) {
        return Classic.train2d(s -> {
            double v1 = beta * s[2] + 0.2 * s[0], v2 = beta * s[3] + 4 * s[1];
            return new double[] {s[0] - eta * v1, s[1] - eta * v2, v1, v2};
        }, 20);
    }

    @Override
    public void run(Run run) throws Exception {
        for (double eta : new double[] {0.4, 0.6}) {
            List<double[]> t = gd2d(eta);
            run.say("gd_2d, eta " + eta + ": " + Classic.train2dLine(t));
            run.figure("11.6-gd-eta-" + eta, Plots.trace2d("Gradient descent, eta " + eta, F_2D, t),
                    "Gradient descent on 0.1 x1^2 + 2 x2^2, eta = " + eta);
        }
        for (double beta : new double[] {0.5, 0.25}) {
            List<double[]> t = momentum2d(0.6, beta);
            run.say("momentum_2d, eta 0.6, beta " + beta + ": " + Classic.train2dLine(t));
            run.figure("11.6-momentum-beta-" + beta, Plots.trace2d("Momentum, eta 0.6, beta " + beta, F_2D, t),
                    "Momentum on 0.1 x1^2 + 2 x2^2, eta = 0.6, beta = " + beta);
        }

        XYChart weights = Plots.chart("Effective sample weight", "time", "beta^t");
        double[] t40 = Plots.arange(0, 40, 1);
        for (double gamma : new double[] {0.95, 0.9, 0.6, 0}) {
            Plots.line(weights, String.format(java.util.Locale.ROOT, "gamma = %.2f", gamma), t40, Plots.map(t40, t -> Math.pow(gamma, t)));
        }
        run.figure("11.6-effective-sample-weight", weights, "Weight of a gradient t steps back in the leaky average");

        ArrayDataset data = AirfoilFigures.data(run);
        for (double[] c : new double[][] {{0.02, 0.5}, {0.01, 0.9}, {0.005, 0.9}}) {
            double lr = c[0], beta = c[1];
            AirfoilFigures.scratchAndConcise(run, data, "11.6-airfoil-" + lr + "-" + beta, "momentum lr " + lr + ", beta " + beta,
                    () -> ScratchUpdates.momentum(lr, beta), () -> Optimizers.momentum().withMomentum(beta), lr);
        }

        // 11.6.3: gradient descent on (lambda / 2) x^2 scales x by (1 - eta lambda) per step.
        XYChart scalar = Plots.chart("Convergence on (lambda / 2) x^2, eta 0.1", "time", "(1 - eta lambda)^t");
        double[] t20 = Plots.arange(0, 20, 1);
        for (double lambda : new double[] {0.1, 1, 10, 19}) {
            Plots.line(scalar, String.format(java.util.Locale.ROOT, "lambda = %.2f", lambda), t20,
                    Plots.map(t20, t -> Math.pow(1 - 0.1 * lambda, t)));
        }
        run.figure("11.6-scalar-convergence", scalar, "Gradient descent converges for 0 < eta lambda < 2 (lambda = 19 oscillates)");
    }
}
