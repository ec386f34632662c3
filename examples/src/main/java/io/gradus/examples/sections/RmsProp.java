package io.gradus.examples.sections;

import io.gradus.bench.ScratchUpdates;
import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;
import io.gradus.optim.classic.Classic;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/** 11.8: RMSProp's weights on past gradients, its 2-D trace and airfoil. */
public final class RmsProp implements Section {

    @Override public String name() { return "rmsprop"; }

    @Override public String title() { return "11.8 RMSProp"; }

    @Override public String description() {
        return "the gamma weights, rmsprop_2d (0.4, 0.9), RMSProp on airfoil (0.01, 0.9) from scratch and concise";
    }

    /** {@code train_2d(rmsprop_2d)}: {@code s = gamma s + (1 - gamma) g^2; x -= eta g / sqrt(s + 1e-6)}. */
    public static List<double[]> rmsprop2d(double eta, double gamma) {
        return Classic.train2d(st -> {
            double g1 = 0.2 * st[0], g2 = 4 * st[1];
            double s1 = gamma * st[2] + (1 - gamma) * g1 * g1, s2 = gamma * st[3] + (1 - gamma) * g2 * g2;
            return new double[] {st[0] - eta / Math.sqrt(s1 + 1e-6) * g1, st[1] - eta / Math.sqrt(s2 + 1e-6) * g2, s1, s2};
        }, 20);
    }

    @Override
    public void run(Run run) throws Exception {
        XYChart weights = Plots.chart("Weights of past squared gradients", "time", "(1 - gamma) gamma^t");
        double[] t40 = Plots.arange(0, 40, 1);
        for (double gamma : new double[] {0.95, 0.9, 0.8, 0.7}) {
            Plots.line(weights, String.format(Locale.ROOT, "gamma = %.2f", gamma), t40, Plots.map(t40, t -> (1 - gamma) * Math.pow(gamma, t)));
        }
        run.figure("11.8-gamma-weights", weights, "RMSProp's leaky average weights each past squared gradient by (1 - gamma) gamma^t");

        List<double[]> t = rmsprop2d(0.4, 0.9);
        run.say("rmsprop_2d, eta 0.4, gamma 0.9: " + Classic.train2dLine(t));
        run.figure("11.8-rmsprop-2d", Plots.trace2d("RMSProp, eta 0.4, gamma 0.9", Momentum.F_2D, t),
                "RMSProp on 0.1 x1^2 + 2 x2^2");
        AirfoilFigures.scratchAndConcise(run, AirfoilFigures.data(run), "11.8-airfoil", "rmsprop lr 0.01, gamma 0.9",
                () -> ScratchUpdates.rmsprop(0.01, 0.9), () -> Optimizers.rmsprop(), 0.01);
    }
}
