package io.gradus.optim.schedule;

import java.util.Arrays;

/**
 * The chapter's own {@code FactorScheduler} class (11.11): each update multiplies the rate by
 * {@code factor} first, floored at {@code stopFactorLr}, whatever the count. Its first rate is
 * therefore {@code base * factor} (1.8 for base 2.0 and factor 0.9), and its rates come from
 * repeated multiplication (1.8, 1.62, 1.458, ...; the closed form differs in the last digit).
 *
 * <p>The book's class changes its state on every call; here {@link #rate} only looks ahead (the
 * rate the next update will use) and {@link #advance} commits it, so reading the rate never
 * changes training. To reproduce the book's sequence outside a Trainer, alternate the two:
 * {@code r = s.rate(t); s.advance(t);}. State for checkpoints: the last committed rate.
 */
public final class BookFactorScheduler implements LrScheduler {

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

    /** The rate the next update uses: the committed rate times the factor, floored. */
    @Override
    public double rate(long t) {
        LrSchedule.checkCount(t);
        return Math.max(stopFactorLr, lr * factor);
    }

    @Override
    public void advance(long t) {
        lr = Math.max(stopFactorLr, lr * factor);
    }

    @Override
    public double[] state() {
        return new double[] {lr};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 1 || !(state[0] >= 0) || Double.isInfinite(state[0])) {
            throw new IllegalArgumentException("book factor scheduler state " + Arrays.toString(state)
                    + ": expected one finite rate >= 0");
        }
        lr = state[0];
    }
}
