package io.gradus.optim.schedule;

import java.util.Arrays;

/** {@link LrScheduler#of}: a pure schedule as a scheduler, with nothing to advance and an empty state. */
record PureScheduler(LrSchedule schedule) implements LrScheduler {

    @Override
    public double rate(long t) {
        return schedule.rate(t);
    }

    @Override
    public void advance(long t) {}

    @Override
    public double[] state() {
        return new double[0];
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("schedule state " + Arrays.toString(state) + ": this schedule is pure and keeps none");
        }
    }
}
