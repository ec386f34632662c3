package io.gradus.optim.schedule;

/**
 * A learning rate as a function of the update count {@code t} (section 11.11). Defined from
 * {@code t = 0} for plotting; a Trainer passes 1 for the first update, as Gluon's does, and each
 * schedule follows MXNet's {@code lr_scheduler} semantics on that count. Most schedules are pure
 * functions, so a checkpoint needs only the count; {@link Stateful} ones save their state.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The rate for update count {@code t >= 0}. */
    double rate(long t);

    /** A schedule whose value depends on more than the count (the book's FactorScheduler, plateau). */
    interface Stateful extends LrSchedule {
        /** The state as numbers, enough for {@link #restore} to continue exactly. */
        double[] state();

        void restore(double[] state);
    }

    static LrSchedule constant(double lr) {
        Schedules.checkRate("lr", lr);
        return t -> lr;
    }

    /** Validates {@code t}. */
    static long checkCount(long t) {
        if (t < 0) throw new IllegalArgumentException("t = " + t + ": expected an update count >= 0");
        return t;
    }
}
