package io.gradus.optim.schedule;

/**
 * Reduce-on-plateau: the rate is multiplied by {@code factor} when a metric to minimize (a
 * validation loss) has not improved by more than {@code threshold} (relative) for {@code patience}
 * reports, then waits {@code cooldown} reports before watching again; never below {@code minLr}.
 * Fed through {@link #report(double)}; {@link #rate(long)} returns the current rate.
 */
public final class ReduceOnPlateau implements LrSchedule.Stateful {

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

    /** Reports a new value of the metric; returns the rate from now on. */
    public double report(double metric) {
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
        return lr;
    }

    @Override
    public double rate(long t) {
        return lr;
    }

    @Override
    public double[] state() {
        return new double[] {lr, best, bad, cooling};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 4) throw new IllegalArgumentException("state of length " + state.length + ": expected 4");
        lr = state[0];
        best = state[1];
        bad = (int) state[2];
        cooling = (int) state[3];
    }
}
