package io.gradus.optim.schedule;

/**
 * The chapter's own {@code FactorScheduler} class (11.11), as written: every call multiplies the
 * rate by {@code factor} first, floored at {@code stopFactorLr}, and ignores the count it is given.
 * Its first value is therefore {@code base * factor} (1.8 for base 2.0 and factor 0.9), and its
 * values come from repeated multiplication (1.8, 1.62, 1.458, ...). Stateful: its checkpoint is
 * the current rate.
 */
public final class BookFactorScheduler implements LrSchedule.Stateful {

    private final double factor;
    private final double stopFactorLr;
    private double lr;

    public BookFactorScheduler(double factor, double stopFactorLr, double baseLr) {
        Schedules.checkFactor("factor", factor);
        Schedules.checkRate("stopFactorLr", stopFactorLr);
        Schedules.checkRate("baseLr", baseLr);
        this.factor = factor;
        this.stopFactorLr = stopFactorLr;
        this.lr = baseLr;
    }

    /** Advances one call and returns the new rate; {@code t} is ignored, as in the book. */
    @Override
    public double rate(long t) {
        lr = Math.max(stopFactorLr, lr * factor);
        return lr;
    }

    @Override
    public double[] state() {
        return new double[] {lr};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 1 || !(state[0] >= 0)) {
            throw new IllegalArgumentException("state of length " + state.length + ": expected one rate >= 0");
        }
        lr = state[0];
    }
}
