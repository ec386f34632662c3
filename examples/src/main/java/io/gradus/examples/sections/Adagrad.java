package io.gradus.examples.sections;

import io.gradus.bench.ScratchUpdates;
import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;
import io.gradus.optim.classic.Classic;
import java.util.List;

/** 11.7: Adagrad's 2-D traces and airfoil, from scratch and through the Trainer. */
public final class Adagrad implements Section {

    @Override public String name() { return "adagrad"; }

    @Override public String title() { return "11.7 Adagrad"; }

    @Override public String description() {
        return "adagrad_2d with eta 0.4 and 2, Adagrad on airfoil (lr 0.1) from scratch and concise";
    }

    /** {@code train_2d(adagrad_2d)}: {@code s += g^2; x -= eta g / sqrt(s + 1e-6)}. */
    public static List<double[]> adagrad2d(double eta) {
        return Classic.train2d(st -> {
            double g1 = 0.2 * st[0], g2 = 4 * st[1];
            double s1 = st[2] + g1 * g1, s2 = st[3] + g2 * g2;
            return new double[] {st[0] - eta / Math.sqrt(s1 + 1e-6) * g1, st[1] - eta / Math.sqrt(s2 + 1e-6) * g2, s1, s2};
        }, 20);
    }

    @Override
    public void run(Run run) throws Exception {
        for (double eta : new double[] {0.4, 2}) {
            List<double[]> t = adagrad2d(eta);
            run.say("adagrad_2d, eta " + eta + ": " + Classic.train2dLine(t));
            run.figure("11.7-adagrad-eta-" + eta, Plots.trace2d("Adagrad, eta " + eta, Momentum.F_2D, t),
                    "Adagrad on 0.1 x1^2 + 2 x2^2, eta = " + eta);
        }
        AirfoilFigures.scratchAndConcise(run, AirfoilFigures.data(run), "11.7-airfoil", "adagrad lr 0.1",
                () -> ScratchUpdates.adagrad(0.1), () -> Optimizers.adagrad(), 0.1);
    }
}
