package io.gradus.optim.schedule;

/**
 * A learning rate that is a pure function of the update count {@code t} (section 11.11; Optax's
 * "schedule"): reading it changes nothing, and a checkpoint needs only the count. Defined from
 * {@code t = 0} for plotting; a Trainer passes 1 for the first update, as Gluon's does, and each
 * schedule follows MXNet's {@code lr_scheduler} semantics on that count (ARCHITECTURE.md, "Schedules").
 * A schedule that keeps state (PyTorch's "scheduler") is an {@link LrScheduler}; {@link LrScheduler#of}
 * gives a schedule that interface, and a Trainer takes either.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The rate for update count {@code t >= 0}. */
    double rate(long t);

    /** The same rate for every update. */
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
