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
        Warmup w = new Warmup(LrScheduler.of(after), steps, beginLr, mode);
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
        Sequence s = new Sequence(LrScheduler.of(first), until, LrScheduler.of(then));
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

    // ----- beyond the chapter: the schedules PyTorch's and Optax's users reach for -----
    //
    // PyTorch's schedulers count their own steps from 0 and Optax's from the updates already made;
    // a Trainer asks for update t = 1, 2, ... (MXNet's count, above), so each of these gives update
    // t the rate PyTorch or Optax would give at count t - 1 (and count 0 to t = 0, for plots).

    /** How one-cycle anneals from one rate to the next: a half cosine (PyTorch's default) or a line. */
    public enum Anneal { COS, LINEAR }

    /**
     * One-cycle (Smith and Topin 2018), as PyTorch's {@code OneCycleLR(max_lr, total_steps,
     * pct_start, anneal_strategy, div_factor, final_div_factor, three_phase)}: from
     * {@code initial = max / divFactor} up to {@code max} over the first {@code pctStart} of the
     * steps, then down to {@code min = initial / finalDivFactor}; with {@code threePhase}, up, back
     * down to {@code initial} symmetrically, then down to {@code min}. PyTorch refuses a step past
     * {@code totalSteps}; here the rate stays at {@code min}. PyTorch's defaults: pctStart 0.3, COS,
     * divFactor 25, finalDivFactor 1e4, two phases ({@link #oneCycle(long, double)}).
     */
    public static LrSchedule oneCycle(long totalSteps, double maxLr, double pctStart, Anneal anneal, double divFactor,
                                      double finalDivFactor, boolean threePhase) {
        checkPositive("totalSteps", totalSteps);
        checkRate("maxLr", maxLr);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("pctStart = " + pctStart + ": expected 0 < pctStart < 1");
        if (anneal == null) throw new IllegalArgumentException("anneal = null: expected COS or LINEAR");
        if (!(divFactor >= 1) || Double.isInfinite(divFactor)) throw new IllegalArgumentException("divFactor = " + divFactor + ": expected a finite value >= 1");
        if (!(finalDivFactor >= 1) || Double.isInfinite(finalDivFactor)) {
            throw new IllegalArgumentException("finalDivFactor = " + finalDivFactor + ": expected a finite value >= 1");
        }
        double initial = maxLr / divFactor, min = initial / finalDivFactor;
        double up = pctStart * totalSteps - 1; // PyTorch's phase ends, as floats
        double[] ends = threePhase ? new double[] {up, 2 * pctStart * totalSteps - 2, totalSteps - 1} : new double[] {up, totalSteps - 1};
        double[] from = threePhase ? new double[] {initial, maxLr, initial} : new double[] {initial, maxLr};
        double[] to = threePhase ? new double[] {maxLr, initial, min} : new double[] {maxLr, min};
        for (int i = 0; i < ends.length; i++) {
            double start = i == 0 ? 0 : ends[i - 1];
            if (!(ends[i] > start)) {
                throw new IllegalArgumentException("totalSteps = " + totalSteps + " with pctStart = " + pctStart
                        + ": phase " + (i + 1) + " would be empty (PyTorch divides by zero there)");
            }
        }
        return t -> {
            long step = Math.max(0, LrSchedule.checkCount(t) - 1);
            if (step > totalSteps - 1) return min;
            double start = 0;
            for (int i = 0; i < ends.length; i++) {
                if (step <= ends[i] || i == ends.length - 1) {
                    double pct = (step - start) / (ends[i] - start);
                    return anneal == Anneal.COS ? to[i] + (from[i] - to[i]) / 2 * (Math.cos(Math.PI * pct) + 1)
                            : (to[i] - from[i]) * pct + from[i];
                }
                start = ends[i];
            }
            throw new AssertionError("the last phase returns");
        };
    }

    /** {@link #oneCycle(long, double, double, Anneal, double, double, boolean)} with PyTorch's defaults. */
    public static LrSchedule oneCycle(long totalSteps, double maxLr) {
        return oneCycle(totalSteps, maxLr, 0.3, Anneal.COS, 25, 1e4, false);
    }

    /**
     * The triangular cyclic rate (Smith 2017), as PyTorch's {@code CyclicLR(base_lr, max_lr,
     * step_size_up, step_size_down, mode="triangular")}: up from {@code base} to {@code max} in
     * {@code stepsUp} steps, down in {@code stepsDown}, and again (PyTorch also cycles the momentum
     * by default; this is the rate only).
     */
    public static LrSchedule cyclicTriangular(double baseLr, double maxLr, long stepsUp, long stepsDown) {
        checkRate("baseLr", baseLr);
        checkRate("maxLr", maxLr);
        checkPositive("stepsUp", stepsUp);
        checkPositive("stepsDown", stepsDown);
        double total = stepsUp + stepsDown, ratio = stepsUp / total;
        return t -> {
            long step = Math.max(0, LrSchedule.checkCount(t) - 1);
            double cycle = Math.floor(1 + step / total);
            double x = 1 + step / total - cycle;
            double scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
            return baseLr + (maxLr - baseLr) * scale;
        };
    }

    /**
     * Optax's {@code exponential_decay(init_value, transition_steps, decay_rate, transition_begin,
     * staircase, end_value)}: {@code init * rate^(c / steps)} with {@code c} the count past
     * {@code transitionBegin} (0 before), its exponent floored when {@code staircase}, and bounded by
     * {@code endValue} when given (a floor when decaying, a ceiling when growing).
     */
    public static LrSchedule exponentialDecay(double initLr, long transitionSteps, double decayRate, long transitionBegin,
                                              boolean staircase, java.util.OptionalDouble endValue) {
        if (endValue == null) throw new IllegalArgumentException("endValue = null: expected OptionalDouble.empty() for no bound");
        double bound = endValue.orElse(0); // read only when present
        checkRate("initLr", initLr);
        checkPositive("transitionSteps", transitionSteps);
        if (!(decayRate > 0) || Double.isInfinite(decayRate)) throw new IllegalArgumentException("decayRate = " + decayRate + ": expected a finite value > 0");
        if (transitionBegin < 0) throw new IllegalArgumentException("transitionBegin = " + transitionBegin + ": expected >= 0");
        if (endValue.isPresent()) checkRate("endValue", bound);
        return t -> {
            long count = Math.max(0, Math.max(0, LrSchedule.checkCount(t) - 1) - transitionBegin);
            double p = (double) count / transitionSteps;
            if (staircase) p = Math.floor(p);
            double lr = initLr * Math.pow(decayRate, p);
            if (endValue.isEmpty()) return lr;
            return decayRate < 1 ? Math.max(lr, bound) : Math.min(lr, bound);
        };
    }
}
