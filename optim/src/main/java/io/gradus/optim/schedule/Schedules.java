package io.gradus.optim.schedule;

import java.util.Arrays;

/**
 * The schedules of chapter 11 (11.4 and 11.11) and MXNet's built-ins that the chapter uses. Each
 * is validated when built and is a pure function of the update count ({@link LrSchedule}); the
 * composites {@link #warmup} and {@link #sequence} also take stateful schedulers
 * ({@link LrScheduler}) and then carry their state.
 */
public final class Schedules {
    private Schedules() {}

    static void checkRate(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + ": expected a finite rate >= 0");
        }
    }

    static void checkFactor(String name, double v) {
        if (!(v > 0 && v <= 1)) throw new IllegalArgumentException(name + " = " + v + ": expected 0 < factor <= 1");
    }

    static void checkPositive(String name, long v) {
        if (v < 1) throw new IllegalArgumentException(name + " = " + v + ": expected >= 1");
    }

    /** The book's {@code SquareRootScheduler}: {@code lr (t + 1)^-1/2}. */
    public static LrSchedule squareRoot(double lr) {
        checkRate("lr", lr);
        return t -> lr * Math.pow(LrSchedule.checkCount(t) + 1.0, -0.5);
    }

    /** 11.4's exponential decay {@code lr exp(-lambda t)}. */
    public static LrSchedule exponential(double lr, double lambda) {
        checkRate("lr", lr);
        checkRate("lambda", lambda);
        return t -> lr * Math.exp(-lambda * LrSchedule.checkCount(t));
    }

    /** 11.4's polynomial decay {@code lr (1 + alpha t)^-beta} (the book: alpha 0.1, beta 0.5). */
    public static LrSchedule polynomialDecay(double lr, double alpha, double beta) {
        checkRate("lr", lr);
        checkRate("alpha", alpha);
        checkRate("beta", beta);
        return t -> lr * Math.pow(1 + alpha * LrSchedule.checkCount(t), -beta);
    }

    /**
     * MXNet's {@code FactorScheduler(step, factor, stop_factor_lr, base_lr)}: multiplied by
     * {@code factor} each time the count passes another multiple of {@code step} (strictly greater),
     * never below {@code stopFactorLr}; values by repeated multiplication, as MXNet computes them.
     */
    public static LrSchedule mxnetFactor(long step, double factor, double stopFactorLr, double baseLr) {
        checkPositive("step", step);
        checkFactor("factor", factor);
        checkRate("stopFactorLr", stopFactorLr);
        checkRate("baseLr", baseLr);
        return t -> {
            long decays = LrSchedule.checkCount(t) == 0 ? 0 : (t - 1) / step;
            double lr = baseLr;
            for (long i = 0; i < decays && lr > stopFactorLr; i++) lr = Math.max(stopFactorLr, lr * factor);
            return lr;
        };
    }

    /**
     * MXNet's {@code MultiFactorScheduler(step, factor, base_lr)}: multiplied by {@code factor} once
     * the count exceeds each step (0.5 up to 15, 0.25 for 16..30, 0.125 from 31 for steps [15, 30]).
     */
    public static LrSchedule multiFactor(long[] steps, double factor, double baseLr) {
        if (steps.length == 0) throw new IllegalArgumentException("steps = []: expected at least one step");
        for (int i = 0; i < steps.length; i++) {
            checkPositive("steps[" + i + "]", steps[i]);
            if (i > 0 && steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException("steps = " + Arrays.toString(steps) + ": expected strictly increasing");
            }
        }
        checkFactor("factor", factor);
        checkRate("baseLr", baseLr);
        long[] s = steps.clone();
        return t -> {
            LrSchedule.checkCount(t);
            double lr = baseLr;
            for (long step : s) {
                if (t > step) lr *= factor;
            }
            return lr;
        };
    }

    /**
     * MXNet's {@code PolyScheduler} without warmup: {@code final + (base - final)(1 - t/T)^power}
     * up to {@code T = maxUpdate}, then {@code final}.
     */
    public static LrSchedule poly(long maxUpdate, double baseLr, double power, double finalLr) {
        checkPositive("maxUpdate", maxUpdate);
        checkRate("baseLr", baseLr);
        checkRate("finalLr", finalLr);
        if (!(power > 0)) throw new IllegalArgumentException("power = " + power + ": expected > 0");
        return t -> LrSchedule.checkCount(t) >= maxUpdate ? finalLr
                : finalLr + (baseLr - finalLr) * Math.pow(1 - (double) t / maxUpdate, power);
    }

    /**
     * Cosine decay (Loshchilov and Hutter 2016; MXNet's {@code CosineScheduler} without warmup):
     * {@code final + (base - final)(1 + cos(pi t / T))/2} up to {@code T = maxUpdate}, pinned at
     * {@code final} after.
     */
    public static LrSchedule cosine(long maxUpdate, double baseLr, double finalLr) {
        checkPositive("maxUpdate", maxUpdate);
        checkRate("baseLr", baseLr);
        checkRate("finalLr", finalLr);
        return t -> LrSchedule.checkCount(t) >= maxUpdate ? finalLr
                : finalLr + (baseLr - finalLr) * (1 + Math.cos(Math.PI * t / maxUpdate)) / 2;
    }

    /**
     * MXNet's {@code CosineScheduler(max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr,
     * warmup_mode)}: a warmup of {@code warmupSteps} updates, then cosine over the remaining
     * {@code maxUpdate - warmupSteps} ({@code max_update} includes the warmup).
     */
    public static LrSchedule cosineWithWarmup(long maxUpdate, double baseLr, double finalLr, long warmupSteps,
                                              double warmupBeginLr, WarmupMode mode) {
        if (warmupSteps >= maxUpdate) {
            throw new IllegalArgumentException("warmupSteps = " + warmupSteps + ": expected < maxUpdate = " + maxUpdate);
        }
        return warmup(cosine(maxUpdate - warmupSteps, baseLr, finalLr), warmupSteps, warmupBeginLr, mode);
    }

    /** How a warmup rises: linearly to the wrapped schedule's first rate, or held constant. */
    public enum WarmupMode { LINEAR, CONSTANT }

    /**
     * {@code steps} updates of warmup, then {@code after} shifted to start at 0: linear
     * {@code begin + (after(0) - begin) t / steps}, or constant {@code begin} (MXNet's warmup modes).
     * {@code after(0)} is read when a warmup rate is asked for, never when the schedule is built.
     */
    public static LrSchedule warmup(LrSchedule after, long steps, double beginLr, WarmupMode mode) {
        Warmup w = new Warmup(after, steps, beginLr, mode);
        return w::rate;
    }

    /**
     * {@link #warmup(LrSchedule, long, double, WarmupMode)} around a stateful scheduler: its
     * {@code advance} starts once the warmup is over (with the count shifted), and {@code report},
     * {@code state} and {@code restore} reach it.
     */
    public static LrScheduler warmup(LrScheduler after, long steps, double beginLr, WarmupMode mode) {
        return new Warmup(after, steps, beginLr, mode);
    }

    /** {@code first} for counts below {@code until}, then {@code then} shifted to start at 0. */
    public static LrSchedule sequence(LrSchedule first, long until, LrSchedule then) {
        Sequence s = new Sequence(first, until, then);
        return s::rate;
    }

    /** {@link #sequence(LrSchedule, long, LrSchedule)} of schedulers that may keep state; both parts are saved. */
    public static LrScheduler sequence(LrScheduler first, long until, LrScheduler then) {
        return new Sequence(first, until, then);
    }

    private record Warmup(LrScheduler after, long steps, double beginLr, WarmupMode mode) implements LrScheduler {
        Warmup {
            if (after == null) throw new IllegalArgumentException("after = null: expected the schedule after the warmup");
            if (mode == null) throw new IllegalArgumentException("mode = null: expected LINEAR or CONSTANT");
            checkPositive("steps", steps);
            checkRate("beginLr", beginLr);
        }

        @Override
        public double rate(long t) {
            if (LrSchedule.checkCount(t) < steps) {
                return mode == WarmupMode.CONSTANT ? beginLr : beginLr + (after.rate(0) - beginLr) * t / steps;
            }
            return after.rate(t - steps);
        }

        @Override
        public void advance(long t) {
            if (t >= steps) after.advance(t - steps);
        }

        @Override
        public void report(double metric) {
            after.report(metric);
        }

        @Override
        public double[] state() {
            return after.state();
        }

        @Override
        public void restore(double[] state) {
            after.restore(state);
        }
    }

    private record Sequence(LrScheduler first, long until, LrScheduler then) implements LrScheduler {
        Sequence {
            if (first == null || then == null) throw new IllegalArgumentException("first and then: expected two schedules");
            checkPositive("until", until);
        }

        @Override
        public double rate(long t) {
            return LrSchedule.checkCount(t) < until ? first.rate(t) : then.rate(t - until);
        }

        @Override
        public void advance(long t) {
            if (t < until) first.advance(t); else then.advance(t - until);
        }

        @Override
        public void report(double metric) {
            first.report(metric);
            then.report(metric);
        }

        /** {@code [length of first's state, first's state..., then's state...]}. */
        @Override
        public double[] state() {
            double[] a = first.state(), b = then.state();
            double[] out = new double[1 + a.length + b.length];
            out[0] = a.length;
            System.arraycopy(a, 0, out, 1, a.length);
            System.arraycopy(b, 0, out, 1 + a.length, b.length);
            return out;
        }

        @Override
        public void restore(double[] state) {
            if (state.length < 1 || state[0] < 0 || state[0] != Math.rint(state[0]) || state[0] > state.length - 1) {
                throw new IllegalArgumentException("sequence state of length " + state.length
                        + ": expected [length of the first part's state, its state, the second part's state]");
            }
            int n = (int) state[0];
            double[] a = Arrays.copyOfRange(state, 1, 1 + n), b = Arrays.copyOfRange(state, 1 + n, state.length);
            double[] oldA = first.state();
            first.restore(a);
            try {
                then.restore(b);
            } catch (RuntimeException e) {
                first.restore(oldA); // nothing changed after all
                throw e;
            }
        }
    }

    /**
     * Piecewise constant: {@code values[i]} while {@code t < boundaries[i]}, the last value after.
     *
     * @param boundaries strictly increasing counts; one fewer than values
     */
    public static LrSchedule piecewiseConstant(long[] boundaries, double[] values) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException(values.length + " values for " + boundaries.length
                    + " boundaries: expected one more value than boundaries");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("boundaries = " + Arrays.toString(boundaries) + ": expected strictly increasing");
            }
        }
        for (int i = 0; i < values.length; i++) checkRate("values[" + i + "]", values[i]);
        long[] b = boundaries.clone();
        double[] v = values.clone();
        return t -> {
            LrSchedule.checkCount(t);
            int i = 0;
            while (i < b.length && t >= b[i]) i++;
            return v[i];
        };
    }
}
