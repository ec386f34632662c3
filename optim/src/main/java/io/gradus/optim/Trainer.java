package io.gradus.optim;

import io.gradus.optim.algorithms.Algorithm;
import io.gradus.kernels.Parallel;
import io.gradus.optim.schedule.LrScheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Binds {@link Params}, an {@link Optimizer} and a schedule, as Gluon's {@code Trainer}:
 * {@link #step(int)} turns the gradients accumulated over a batch into one update.
 *
 * <h2>One step</h2>
 * Order as Gluon/MXNet: rescale by {@code 1/batchSize}, check for NaN and infinity, clip (by
 * global norm, then by value), weight decay, update. At most two passes over the gradient:
 * <ol>
 *   <li>when the non-finite check or clipping by norm is on: one parallel pass that sums the
 *       squares of the raw gradient in float chunks added in double, in a fixed order (the result
 *       does not depend on the thread count). A non-finite sum means a bad gradient: only then is
 *       the first bad index looked for. The clip factor {@code min(1, C / ||g / batchSize||)}
 *       follows from the sum;</li>
 *   <li>the optimizer's fused kernel over the flat arrays, in chunks on the pool, with the rescale
 *       and the clip factor folded into one gradient scale and the per-coordinate clip applied inside
 *       the kernel ({@link Step}). The gradient is read, never written.</li>
 * </ol>
 * The update count starts at 1 and is what the schedule sees; the schedule is read with
 * {@link LrScheduler#rate} (which changes nothing) and committed with {@link LrScheduler#advance}
 * after the update. A non-finite gradient is reported with the update count and the first bad
 * index and never written into the parameters: the policy either throws
 * {@link NonFiniteGradientException} or skips the step (the count does not advance); either way
 * nothing has changed, the gradients included.
 *
 * <h2>Parameter groups</h2>
 * {@link #paramGroup} gives named parameters their own learning-rate multiplier and weight decay;
 * each group's slices run the same kernel with its own settings.
 *
 * <h2>Threads</h2>
 * A Trainer is not for concurrent use: {@link #step} from two threads at once fails fast with an
 * {@link IllegalStateException}. Its own work runs on the pool it was given. Results are identical
 * for any pool size.
 */
public final class Trainer {

    /** What to do with a gradient that holds NaN or infinity. */
    public enum NonFinitePolicy { THROW, SKIP }

    /** Thrown under {@link NonFinitePolicy#THROW}; nothing has been updated. */
    public static final class NonFiniteGradientException extends RuntimeException {
        public NonFiniteGradientException(String message) {
            super(message);
        }
    }

    /** Elements per task of the parallel passes (a few hundred kilobytes of each array). */
    static final int CHUNK = 1 << 16;

    private final Params params;
    private final Optimizer optimizer;
    private final LrScheduler schedule;
    private final float[][] state;
    private final Parallel pool;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final AtomicBoolean stepping = new AtomicBoolean();
    private double clipNorm;
    private double clipValue;
    private boolean checkFinite = true;
    private NonFinitePolicy policy = NonFinitePolicy.THROW;
    private long updates;
    private Double rateOverride;
    private long skipped;
    private Plan plan;

    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule) {
        this(params, optimizer, schedule, Parallel.common());
    }

    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule, Parallel pool) {
        if (params == null || optimizer == null || schedule == null || pool == null) {
            throw new IllegalArgumentException("params = " + params + ", optimizer = " + optimizer + ", schedule = "
                    + schedule + ", pool = " + pool + ": expected none of them null");
        }
        int states = optimizer.stateArrays();
        if (states < 0 || states > 16) {
            throw new IllegalArgumentException(optimizer.name() + ": stateArrays() = " + states + ", expected 0 to 16");
        }
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.pool = pool;
        this.state = new float[states][params.size()];
    }

    /** Clip the gradient to global L2 norm at most {@code c} (11.2.3's projection); 0 turns it off. */
    public Trainer clipByNorm(double c) {
        this.clipNorm = checkBound("clip norm", c);
        return this;
    }

    /** Clip every gradient coordinate to {@code [-c, c]} (Gluon's {@code clip_gradient}); 0 turns it off. */
    public Trainer clipByValue(double c) {
        this.clipValue = checkBound("clip value", c);
        return this;
    }

    /** Whether to check gradients for NaN/infinity, and what to do then. */
    public Trainer nonFinite(boolean check, NonFinitePolicy policy) {
        if (policy == null) throw new IllegalArgumentException("policy = null: expected THROW or SKIP");
        this.checkFinite = check;
        this.policy = policy;
        return this;
    }

    /**
     * Adds a parameter group: the parameters whose names are listed get {@code lr * lrMultiplier}
     * and, when the group sets one, their own weight decay. Set groups before the first step.
     *
     * @throws IllegalArgumentException for a name no parameter has, a parameter already in a group,
     *                                  or a group name used twice
     * @throws UnsupportedOperationException if the group sets a weight decay the optimizer cannot take
     */
    public Trainer paramGroup(ParamGroup group) {
        if (group == null) throw new IllegalArgumentException("group = null: expected a ParamGroup");
        if (updates > 0 || skipped > 0) {
            throw new IllegalStateException("group " + group.name() + ": groups must be set before the first step");
        }
        Set<String> known = new LinkedHashSet<>();
        for (Params.Slot s : params.slots()) known.add(s.name());
        for (String p : group.parameters()) {
            if (!known.contains(p)) {
                throw new IllegalArgumentException("group " + group.name() + ": no parameter named '" + p + "'; the model has " + known);
            }
            for (ParamGroup other : groups) {
                if (other.parameters().contains(p)) {
                    throw new IllegalArgumentException("group " + group.name() + ": parameter '" + p + "' is already in group " + other.name());
                }
            }
        }
        for (ParamGroup other : groups) {
            if (other.name().equals(group.name())) throw new IllegalArgumentException("group name '" + group.name() + "' used twice");
        }
        if (group.setsWeightDecay()) optimizer.withWeightDecay(group.weightDecay()); // fails now, not at the first step
        groups.add(group);
        plan = null;
        return this;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The parameter groups, in the order they were added. */
    public List<ParamGroup> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** Updates done so far. */
    public long updates() {
        return updates;
    }

    /** Steps skipped for non-finite gradients. */
    public long skipped() {
        return skipped;
    }

    /** The rate the next update will use (Gluon's {@code learning_rate}); reading it changes nothing. */
    public double learningRate() {
        return rateOverride != null ? rateOverride : schedule.rate(updates + 1);
    }

    /** Fixes the rate from now on, overriding the schedule (Gluon's {@code set_learning_rate}). */
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr = " + lr + ": expected a finite rate >= 0");
        rateOverride = lr;
    }

    /** Reports a metric to minimize (a validation loss) to the schedule (reduce-on-plateau uses it). */
    public void report(double metric) {
        schedule.report(metric);
    }

    public LrScheduler schedule() {
        return schedule;
    }

    Double rateOverride() {
        return rateOverride;
    }

    public Params params() {
        return params;
    }

    /** Sets the counters a checkpoint restores. */
    void restoreCounters(long updates, long skipped, Double rateOverride) {
        this.updates = updates;
        this.skipped = skipped;
        this.rateOverride = rateOverride;
    }

    /** The optimizer's state arrays (for checkpoints and tests). */
    public float[][] state() {
        return state;
    }

    /** One update from the accumulated gradients of a batch of {@code batchSize} examples. */
    public void step(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + ": expected >= 1");
        if (!stepping.compareAndSet(false, true)) {
            throw new IllegalStateException("Trainer.step called while another thread is in step on the same Trainer: "
                    + "a Trainer is not for concurrent use");
        }
        try {
            stepLocked(batchSize);
        } finally {
            stepping.set(false);
        }
    }

    private void stepLocked(int batchSize) {
        long t = updates + 1;
        double lr = rateOverride != null ? rateOverride : schedule.rate(t);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalStateException("update " + t + ": the schedule " + schedule + " gave lr = " + lr
                    + ", expected a finite rate >= 0; nothing was updated");
        }
        float[] g = params.grads();
        double rescale = 1.0 / batchSize;
        double clipFactor = 1;
        if (checkFinite || clipNorm > 0) {
            double norm = Math.sqrt(sumOfSquares(g)) * rescale;
            if (!Double.isFinite(norm)) {
                int bad = firstNonFinite(g);
                if (bad >= 0) {
                    String msg = "update " + t + ": gradient is " + g[bad] + " at flat index " + bad + " (" + slotOf(bad) + ")";
                    if (policy == NonFinitePolicy.THROW) throw new NonFiniteGradientException(msg + "; parameters unchanged");
                    skipped++;
                    return;
                }
            }
            if (clipNorm > 0 && norm > clipNorm) clipFactor = clipNorm / norm;
        }
        Plan p = plan();
        float[] values = params.values();
        double gradScale = rescale * clipFactor;
        Step[] steps = new Step[p.segmentRates.length];
        for (int s = 0; s < steps.length; s++) steps[s] = new Step(t, lr * p.segmentRates[s], gradScale, clipValue);
        int tasks = p.taskOffsets.length;
        boolean normPassRan = checkFinite || clipNorm > 0;
        pool.forEach(tasks, order -> {
            // After the norm pass, the end of the gradient is what the caches still hold: update
            // from the end. Each task's result does not depend on the order.
            int task = normPassRan ? tasks - 1 - order : order;
            int segment = p.taskSegments[task];
            p.segmentOptimizers[segment].update(steps[segment], values, g, state, p.taskOffsets[task], p.taskLengths[task]);
        });
        updates = t;
        if (rateOverride == null) schedule.advance(t);
    }

    /**
     * The update's tasks: the flat arrays cut into segments of consecutive slots with the same group,
     * each segment into chunks of at most {@link #CHUNK}.
     */
    private record Plan(Optimizer[] segmentOptimizers, double[] segmentRates, int[] taskSegments, int[] taskOffsets,
                        int[] taskLengths) {}

    private Plan plan() {
        if (plan != null) return plan;
        Map<String, ParamGroup> groupOf = new HashMap<>();
        for (ParamGroup grp : groups) for (String name : grp.parameters()) groupOf.put(name, grp);
        List<Optimizer> optimizers = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<int[]> tasks = new ArrayList<>();
        ParamGroup current = null;
        int segmentStart = 0, segmentEnd = 0;
        boolean open = false;
        List<Params.Slot> slots = params.slots();
        for (int i = 0; i <= slots.size(); i++) {
            ParamGroup grp = i < slots.size() ? groupOf.get(slots.get(i).name()) : null;
            if (open && (i == slots.size() || grp != current)) {
                int segment = optimizers.size();
                optimizers.add(current != null && current.setsWeightDecay() ? optimizer.withWeightDecay(current.weightDecay()) : optimizer);
                rates.add(current == null ? 1.0 : current.lrMultiplier());
                for (int off = segmentStart; off < segmentEnd; off += CHUNK) {
                    tasks.add(new int[] {segment, off, Math.min(CHUNK, segmentEnd - off)});
                }
                open = false;
            }
            if (i == slots.size()) break;
            Params.Slot slot = slots.get(i);
            if (!open) {
                current = grp;
                segmentStart = slot.offset();
                open = true;
            }
            segmentEnd = slot.offset() + slot.size();
        }
        int[] seg = new int[tasks.size()], off = new int[tasks.size()], len = new int[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            seg[i] = tasks.get(i)[0];
            off[i] = tasks.get(i)[1];
            len[i] = tasks.get(i)[2];
        }
        plan = new Plan(optimizers.toArray(Optimizer[]::new), rates.stream().mapToDouble(Double::doubleValue).toArray(), seg, off, len);
        return plan;
    }

    /**
     * Sum of squares of {@code g} on the pool: float partials per chunk (a chunk whose float sum
     * overflows is summed again in double), added in chunk order in double, so the result does not
     * depend on the thread count. Where the vector width changes the float partials' summation
     * order, the sum may differ in its last bits between machines.
     */
    private double sumOfSquares(float[] g) {
        int chunks = (g.length + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        pool.forEach(chunks, c -> {
            int off = c * CHUNK, len = Math.min(CHUNK, g.length - off);
            float part = Algorithm.sumOfSquares(g, off, len);
            if (Float.isInfinite(part)) { // overflow of the float partial, or a genuine infinity
                double s = 0;
                for (int i = off; i < off + len; i++) s += (double) g[i] * g[i];
                partial[c] = s;
            } else {
                partial[c] = part;
            }
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    private static int firstNonFinite(float[] g) {
        for (int i = 0; i < g.length; i++) if (!Float.isFinite(g[i])) return i;
        return -1;
    }

    private String slotOf(int index) {
        for (Params.Slot s : params.slots()) {
            if (index >= s.offset() && index < s.offset() + s.size()) return s.name() + "[" + (index - s.offset()) + "]";
        }
        return "?";
    }

    private static double checkBound(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value >= 0");
        return v;
    }
}
