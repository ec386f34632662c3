package io.gradus.optim;

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
 * What a CPU {@link Trainer} and a {@link DeviceTrainer} share: the settings (clipping, the
 * non-finite policy, parameter groups), the counters, the schedule, and the order of one step.
 * Subclasses say where the flat arrays live: the norm pass, the search for a bad index and the
 * update kernels, and how a checkpoint reads and writes the values and state.
 *
 * @param <T> the concrete trainer, so that the settings chain
 */
public abstract sealed class TrainerBase<T extends TrainerBase<T>> permits Trainer, DeviceTrainer {

    /** What to do with a gradient that holds NaN or infinity. */
    public enum NonFinitePolicy { THROW, SKIP }

    /** Thrown under {@link NonFinitePolicy#THROW}; nothing has been updated. */
    public static final class NonFiniteGradientException extends RuntimeException {
        public NonFiniteGradientException(String message) {
            super(message);
        }
    }

    /** Elements per task of the CPU's parallel passes and per device reduction chunk. */
    static final int CHUNK = 1 << 16;

    final Params params;
    final Optimizer optimizer;
    final LrScheduler schedule;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final AtomicBoolean stepping = new AtomicBoolean();
    double clipNorm;
    double clipValue;
    boolean checkFinite = true;
    NonFinitePolicy policy = NonFinitePolicy.THROW;
    long updates;
    Double rateOverride;
    long skipped;
    private Plan plan;

    TrainerBase(Params params, Optimizer optimizer, LrScheduler schedule) {
        if (params == null || optimizer == null || schedule == null) {
            throw new IllegalArgumentException("params = " + params + ", optimizer = " + optimizer + ", schedule = "
                    + schedule + ": expected none of them null");
        }
        int states = optimizer.stateArrays();
        if (states < 0 || states > 16) {
            throw new IllegalArgumentException(optimizer.name() + ": stateArrays() = " + states + ", expected 0 to 16");
        }
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Clip the gradient to global L2 norm at most {@code c} (11.2.3's projection); 0 turns it off. */
    public T clipByNorm(double c) {
        this.clipNorm = checkBound("clip norm", c);
        return self();
    }

    /** Clip every gradient coordinate to {@code [-c, c]} (Gluon's {@code clip_gradient}); 0 turns it off. */
    public T clipByValue(double c) {
        this.clipValue = checkBound("clip value", c);
        return self();
    }

    /** Whether to check gradients for NaN/infinity, and what to do then. */
    public T nonFinite(boolean check, NonFinitePolicy policy) {
        if (policy == null) throw new IllegalArgumentException("policy = null: expected THROW or SKIP");
        this.checkFinite = check;
        this.policy = policy;
        return self();
    }

    /**
     * Adds a parameter group: the parameters whose names are listed get {@code lr * lrMultiplier}
     * and, when the group sets one, their own weight decay. Set groups before the first step.
     *
     * @throws IllegalArgumentException for a name no parameter has, a parameter already in a group,
     *                                  or a group name used twice
     * @throws UnsupportedOperationException if the group sets a weight decay the optimizer cannot take
     */
    public T paramGroup(ParamGroup group) {
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
        return self();
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

    public Params params() {
        return params;
    }

    Double rateOverride() {
        return rateOverride;
    }

    /** Sets the counters a checkpoint restores. */
    void restoreCounters(long updates, long skipped, Double rateOverride) {
        this.updates = updates;
        this.skipped = skipped;
        this.rateOverride = rateOverride;
    }

    // ----- where the arrays live: the subclass's part -----

    /** {@code sum g_i^2} of the raw gradient (non-finite when it holds NaN or infinity). */
    abstract double gradientSumOfSquares();

    /** The first flat index whose gradient is NaN or infinite, or -1. */
    abstract int firstNonFiniteGradient();

    /** Runs the update of every task of {@code plan} with its segment's step. */
    abstract void update(Plan plan, Step[] segmentSteps, boolean normPassRan);

    /** The parameter values as a host array (downloaded from a device). */
    abstract float[] hostValues();

    /** The optimizer's state arrays as host arrays (downloaded from a device). */
    abstract float[][] hostState();

    /** Replaces the parameter values and the state (uploaded to a device); sizes already checked. */
    abstract void restoreArrays(float[] values, float[][] state);

    // ----- gradient accumulation: the bookkeeping here, the running sum in the subclass's arrays -----

    private int accumulateEvery = 1, pendingBatches;
    private long pendingExamples;

    /**
     * Gradient accumulation: update once every {@code k} calls of {@code step}, from the sum of the
     * {@code k} batches' gradients rescaled by their total number of examples (as one batch of
     * {@code k} times the size, in the memory of one; one extra array, on the host or the device,
     * holds the running sum). Zero the gradients between batches as usual. The schedule, the update
     * count and the clipping see one update per {@code k} batches. A NaN in any batch reaches the
     * update's check, which throws or skips as configured; either way the {@code k} batches are
     * consumed. Save checkpoints between updates ({@link #pendingBatches()} 0): the running sum is
     * not saved. 1, the default, turns it off.
     */
    public T accumulate(int k) {
        if (k < 1) throw new IllegalArgumentException("k = " + k + ": expected the number of batches per update, >= 1");
        if (pendingBatches != 0) {
            throw new IllegalStateException("accumulate(" + k + ") with " + pendingBatches + " batches pending: change it between updates");
        }
        accumulateEvery = k;
        return self();
    }

    /** Batches added up since the last update (0 between updates). */
    public int pendingBatches() {
        return pendingBatches;
    }

    /** {@code sum <- g} ({@code first}) or {@code sum <- sum + g}: the running sum of the batches' gradients. */
    abstract void addGradientsToSum(boolean first);

    /** {@code g <- sum + g}: the last batch's gradient becomes the window's sum. */
    abstract void foldSumIntoGradients();

    /** A {@code step}: one update, or with {@link #accumulate} one batch of the window. */
    final void stepAccumulating(int batchSize) {
        if (accumulateEvery == 1) {
            stepOnce(batchSize);
            return;
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + ": expected >= 1");
        if (pendingBatches < accumulateEvery - 1) {
            addGradientsToSum(pendingBatches == 0);
            pendingBatches++;
            pendingExamples += batchSize;
            return;
        }
        foldSumIntoGradients();
        long examples = pendingExamples + batchSize;
        pendingBatches = 0;
        pendingExamples = 0;
        if (examples > Integer.MAX_VALUE) throw new IllegalStateException(examples + " examples in one accumulated update");
        stepOnce((int) examples);
    }

    /** One update from the accumulated gradients of a batch of {@code batchSize} examples. */
    final void stepOnce(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + ": expected >= 1");
        if (!stepping.compareAndSet(false, true)) {
            throw new IllegalStateException("Trainer.step called while another thread is in step on the same Trainer: "
                    + "a Trainer is not for concurrent use");
        }
        try {
            long t = updates + 1;
            double lr = rateOverride != null ? rateOverride : schedule.rate(t);
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalStateException("update " + t + ": the schedule " + schedule + " gave lr = " + lr
                        + ", expected a finite rate >= 0; nothing was updated");
            }
            double rescale = 1.0 / batchSize;
            double clipFactor = 1;
            boolean normPass = checkFinite || clipNorm > 0;
            if (normPass) {
                double norm = Math.sqrt(gradientSumOfSquares()) * rescale;
                if (!Double.isFinite(norm)) {
                    int bad = firstNonFiniteGradient();
                    if (bad >= 0) {
                        String msg = "update " + t + ": gradient is " + gradientAt(bad) + " at flat index " + bad + " (" + slotOf(bad) + ")";
                        if (policy == NonFinitePolicy.THROW) throw new NonFiniteGradientException(msg + "; parameters unchanged");
                        skipped++;
                        return;
                    }
                }
                if (clipNorm > 0 && norm > clipNorm) clipFactor = clipNorm / norm;
            }
            Plan p = plan();
            double gradScale = rescale * clipFactor;
            Step[] steps = new Step[p.segmentRates.length];
            for (int s = 0; s < steps.length; s++) steps[s] = new Step(t, lr * p.segmentRates[s], gradScale, clipValue);
            update(p, steps, normPass);
            updates = t;
            if (rateOverride == null) schedule.advance(t);
        } finally {
            stepping.set(false);
        }
    }

    /** The gradient at a flat index, for the non-finite message. */
    abstract float gradientAt(int index);

    /**
     * The update's tasks: the flat arrays cut into segments of consecutive slots with the same group,
     * each segment into chunks of at most {@link #CHUNK} (the CPU's tasks; a device launches once
     * per segment).
     */
    record Plan(Optimizer[] segmentOptimizers, double[] segmentRates, int[] segmentOffsets, int[] segmentLengths,
                int[] taskSegments, int[] taskOffsets, int[] taskLengths) {}

    final Plan plan() {
        if (plan != null) return plan;
        Map<String, ParamGroup> groupOf = new HashMap<>();
        for (ParamGroup grp : groups) for (String name : grp.parameters()) groupOf.put(name, grp);
        List<Optimizer> optimizers = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<int[]> segments = new ArrayList<>();
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
                segments.add(new int[] {segmentStart, segmentEnd - segmentStart});
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
        int[] segOff = segments.stream().mapToInt(a -> a[0]).toArray(), segLen = segments.stream().mapToInt(a -> a[1]).toArray();
        plan = new Plan(optimizers.toArray(Optimizer[]::new), rates.stream().mapToDouble(Double::doubleValue).toArray(),
                segOff, segLen, seg, off, len);
        return plan;
    }

    String slotOf(int index) {
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
