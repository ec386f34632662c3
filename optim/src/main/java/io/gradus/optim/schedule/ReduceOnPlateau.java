package io.gradus.optim.schedule;

import java.util.Arrays;

/**
 * Reduce-on-plateau: the rate is multiplied by {@code factor} when a metric to minimize (a
 * validation loss) has not improved by more than {@code threshold} (relative) for {@code patience}
 * reports, then waits {@code cooldown} reports before watching again; never below {@code minLr}.
 * Fed through {@link #report(double)} (a Trainer forwards its {@code report}); {@link #rate(long)}
 * returns the current rate and {@link #advance} does nothing.
 */
public final class ReduceOnPlateau implements LrScheduler {

    private final double factor, threshold, minLr;
    private final int patience, cooldown;
    private double lr, best = Double.POSITIVE_INFINITY;
    private int bad, cooling;

    public ReduceOnPlateau(double baseLr, double factor, int patience, double threshold, int cooldown, double minLr) {
        Schedules.checkRate("baseLr", baseLr);
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("factor = " + factor + ": expected 0 < factor < 1");
        if (patience < 0) throw new IllegalArgumentException("patience = " + patience + ": expected >= 0");
        if (cooldown < 0) throw new IllegalArgumentException("cooldown = " + cooldown + ": expected >= 0");
        Schedules.checkRate("threshold", threshold);
        Schedules.checkRate("minLr", minLr);
        this.lr = baseLr;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    @Override
    public void report(double metric) {
        if (Double.isNaN(metric)) throw new IllegalArgumentException("metric = NaN: expected a number");
        if (metric < best * (1 - threshold)) {
            best = metric;
            bad = 0;
        } else {
            bad++;
        }
        if (cooling > 0) {
            cooling--;
            bad = 0;
        } else if (bad > patience) {
            lr = Math.max(minLr, lr * factor);
            cooling = cooldown;
            bad = 0;
        }
    }

    @Override
    public double rate(long t) {
        LrSchedule.checkCount(t);
        return lr;
    }

    /** Nothing per update: the rate changes only when a metric is reported. */
    @Override
    public void advance(long t) {}

    @Override
    public double[] state() {
        return new double[] {lr, best, bad, cooling};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 4 || !(state[0] >= 0) || Double.isInfinite(state[0]) || Double.isNaN(state[1])
                || state[2] < 0 || state[3] < 0 || state[2] != Math.rint(state[2]) || state[3] != Math.rint(state[3])) {
            throw new IllegalArgumentException("reduce-on-plateau state " + Arrays.toString(state)
                    + ": expected {rate >= 0, best, bad reports >= 0, cooldown >= 0}");
        }
        lr = state[0];
        best = state[1];
        bad = (int) state[2];
        cooling = (int) state[3];
    }
}
