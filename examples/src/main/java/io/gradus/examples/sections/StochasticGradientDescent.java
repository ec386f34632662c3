package io.gradus.examples.sections;

import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.classic.Classic;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.Schedules;
import java.util.List;
import java.util.Random;
import org.knowm.xchart.XYChart;

/**
 * 11.4: gradient descent on x1^2 + 2 x2^2 with noisy gradients and three learning-rate schedules.
 * The book's noise is {@code np.random.normal(0.1)}: mean 0.1 and standard deviation 1 (the text
 * says mean 0; book/NOTES.md). Its printed numbers come from NumPy's generator, so this section's
 * lines match them in kind, not digit for digit; every run here is seeded ({@code --seed}).
 */
public final class StochasticGradientDescent implements Section {

    @Override public String name() { return "sgd"; }

    @Override public String title() { return "11.4 Stochastic Gradient Descent"; }

    @Override public String description() {
        return "noisy-gradient SGD on x1^2 + 2 x2^2 with constant, exponential and polynomial learning rates";
    }

    /**
     * The book's {@code train_2d(sgd, steps)}: {@code x <- x - eta lr() (grad f(x) + noise)} with
     * eta = 0.1. The book's {@code lr()} closures count from 1 and increment before use, so the
     * i-th step (from 1) uses {@code schedule.rate(i + 1)}; the constant rate ignores the count.
     */
    public static List<double[]> noisySgd(LrSchedule schedule, int steps, long seed) {
        Random rnd = new Random(seed);
        double eta = 0.1;
        long[] ctr = {1};
        return Classic.train2d(s -> {
            double g1 = 2 * s[0] + rnd.nextGaussian() + 0.1, g2 = 4 * s[1] + rnd.nextGaussian() + 0.1;
            double etaT = eta * schedule.rate(++ctr[0]);
            return new double[] {s[0] - etaT * g1, s[1] - etaT * g2, 0, 0};
        }, steps);
    }

    @Override
    public void run(Run run) throws Exception {
        record Config(String name, LrSchedule schedule, int steps) {}
        List<Config> configs = List.of(
                new Config("constant", LrSchedule.constant(1), 50),
                new Config("exponential", Schedules.exponential(1, 0.1), 1000),
                new Config("polynomial", Schedules.polynomialDecay(1, 0.1, 0.5), 50));
        for (Config c : configs) {
            List<double[]> trace = noisySgd(c.schedule(), c.steps(), run.seed());
            run.say(c.name() + " learning rate (seed " + run.seed() + "): " + Classic.train2dLine(trace));
            run.figure("11.4-sgd-" + c.name(), Plots.trace2d("SGD, " + c.name() + " learning rate", (a, b) -> a * a + 2 * b * b, trace),
                    "Noisy-gradient SGD with a " + c.name() + " learning rate");
        }
        // Exercise 1: distance to the optimum (0, 0) over iterations, all three schedules, same noise.
        int steps = 1000;
        XYChart dist = Plots.chart("Distance to the optimum", "iteration", "||x - x*||");
        dist.getStyler().setYAxisLogarithmic(true);
        double[] it = Plots.arange(0, steps + 1, 1);
        for (Config c : configs) {
            List<double[]> trace = noisySgd(c.schedule(), steps, run.seed());
            double[] d = new double[trace.size()];
            for (int i = 0; i < d.length; i++) d[i] = Math.hypot(trace.get(i)[0], trace.get(i)[1]);
            Plots.line(dist, c.name(), it, d);
            run.sayf("%-11s after %d steps: distance %.6f (mean over the last 100: %.6f)", c.name(), steps, d[steps], mean(d, steps - 99, steps));
        }
        run.figure("11.4-distance", dist, "Distance to the optimum: a constant rate stalls at the noise floor, "
                + "the exponential rate stops too early, the polynomial rate keeps converging");
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i <= to; i++) s += v[i];
        return s / (to - from + 1);
    }
}
