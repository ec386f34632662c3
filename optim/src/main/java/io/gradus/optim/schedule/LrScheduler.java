package io.gradus.optim.schedule;


/**
 * A learning rate over the update count that may also keep state (section 11.11). The
 * {@link io.gradus.optim.Trainer} uses it in two steps per update {@code t} (1 for the first):
 * <ol>
 *   <li>{@link #rate(long) rate(t)}: the rate of update {@code t}; a pure read, which changes
 *       nothing however often it is called;</li>
 *   <li>{@link #advance(long) advance(t)}: after the update, the scheduler commits to it. Only here
 *       (and in {@link #report}) may its state change.</li>
 * </ol>
 * Most schedules are pure functions of the count, a separate type ({@link LrSchedule}, adapted by
 * {@link #of}); the stateful ones are the book's own {@link BookFactorScheduler} (which decays once
 * per update) and {@link ReduceOnPlateau} (fed a metric through {@link #report}). A scheduler says
 * how it advances and what its state is: none of the three has a default, so a lambda is a pure
 * {@link LrSchedule}, never a scheduler by accident. Composites
 * ({@link Schedules#warmup}, {@link Schedules#sequence}) forward {@code advance}, {@code report},
 * {@link #state()} and {@link #restore} to all their parts, so a checkpoint saves nested state too.
 */
public interface LrScheduler {

    /** The rate of update {@code t >= 0} given the current state; never changes the state. */
    double rate(long t);

    /** Commits update {@code t} (called once per update, after it, with the same {@code t} as {@link #rate}). */
    void advance(long t);

    /** Reports a metric to minimize (a validation loss); only reduce-on-plateau uses it. */
    default void report(double metric) {}

    /** The state, enough for {@link #restore} to continue exactly; empty for a pure schedule. */
    double[] state();

    /**
     * Restores what {@link #state()} returned. Checks the whole array before changing anything.
     *
     * @throws IllegalArgumentException if the array does not fit this scheduler
     */
    void restore(double[] state);

    /** A pure schedule as a scheduler: nothing to advance, no state. */
    static LrScheduler of(LrSchedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("schedule = null: expected an LrSchedule");
        return new PureScheduler(schedule);
    }
}
