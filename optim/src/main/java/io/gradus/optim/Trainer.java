package io.gradus.optim;

import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.kernels.Parallel;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Binds {@link Params}, an {@link Optimizer} and a schedule, as Gluon's {@code Trainer}:
 * {@link #step(int)} turns the gradients accumulated over a batch into one update. The arrays live
 * on the CPU ({@link #Trainer(Params, Optimizer, LrScheduler, Parallel)}: Params' own arrays, the
 * passes on a thread pool) or on a device ({@link #Trainer(Params, Optimizer, LrScheduler,
 * DeviceContext)}: an OpenCL GPU, or the host when there is no OpenCL); everything else — the
 * settings, the order of a step, the counters, the schedule, checkpoints — is the same, and a state
 * taken from one restores into the other. ARCHITECTURE.md draws one step on each.
 *
 * <h2>One step</h2>
 * Order as Gluon/MXNet: rescale by {@code 1/batchSize}, check for NaN and infinity, clip (by
 * global norm, then by value), weight decay, update. At most two passes over the gradient:
 * <ol>
 *   <li>when the non-finite check or clipping by norm is on: the sum of squares of the raw gradient,
 *       float partials per chunk of 65,536 added in chunk order in double (the result depends on
 *       neither the thread count nor the device's scheduling). A non-finite sum means a bad
 *       gradient: only then is the first bad index looked for. The clip factor
 *       {@code min(1, C / ||g / batchSize||)} follows from the sum;</li>
 *   <li>the rule over the flat arrays ({@link StepPlan}: per parameter group, in chunks on the CPU's
 *       pool, one launch per group on a device; a layerwise rule such as LAMB in its two passes per
 *       tensor), with the rescale and the clip factor folded into one gradient scale and the
 *       per-coordinate clip applied inside the rule ({@link Step}). The gradient is read, never
 *       written.</li>
 * </ol>
 * The update count starts at 1 and is what the schedule sees; the schedule is read with
 * {@link LrScheduler#rate} (which changes nothing) and committed with {@link LrScheduler#advance}
 * after the update. A non-finite gradient is reported with the update count and the first bad
 * index and never written into the parameters ({@link NonFinite}): the Trainer throws
 * {@link NonFiniteGradientException} or skips the step (the count does not advance); either way
 * nothing has changed, the gradients included.
 *
 * <h2>Parameter groups</h2>
 * {@link #paramGroup} gives named parameters their own learning-rate multiplier and weight decay;
 * each group's slices run the same rule with its own settings.
 *
 * <h2>On a device</h2>
 * The parameters are uploaded once, when the Trainer is built; values come back only when asked
 * ({@link #downloadParameters()}) or when a state is taken. Gradients are either produced on the
 * device, in {@link #deviceGradients()}, and {@link #step(int)} uses them, or come from host arrays,
 * and {@link #step(float[], int)} uploads them first. The optimizer must be a
 * {@link io.gradus.optim.algorithms.KernelOptimizer} (a built-in algorithm, or a rule written as an
 * {@link io.gradus.optim.algorithms.UpdateKernel}). Close the Trainer to free its device arrays.
 *
 * <h2>Threads</h2>
 * A Trainer is not for concurrent use: {@link #step} from two threads at once fails fast with an
 * {@link IllegalStateException}. Its own CPU work runs on the pool it was given. Results are
 * identical for any pool size.
 */
public final class Trainer implements AutoCloseable {

    private final Params params;
    private final Optimizer optimizer;
    private final LrScheduler schedule;
    private final ArrayStore arrays;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final AtomicBoolean stepping = new AtomicBoolean();
    private double clipNorm;
    private double clipValue;
    private NonFinite nonFinite = NonFinite.THROW;
    private long updates;
    private Double rateOverride;
    private long skipped;
    private StepPlan plan;
    private int accumulateEvery = 1, pendingBatches;
    private long pendingExamples;

    /** On the CPU, on the common pool ({@link Parallel#common()}). */
    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule) {
        this(params, optimizer, schedule, Parallel.common());
    }

    /** On the CPU, on the common pool, with a pure schedule. */
    public Trainer(Params params, Optimizer optimizer, LrSchedule schedule) {
        this(params, optimizer, scheduler(schedule), Parallel.common());
    }

    /** On the CPU, on {@code pool}, with a pure schedule. */
    public Trainer(Params params, Optimizer optimizer, LrSchedule schedule, Parallel pool) {
        this(params, optimizer, scheduler(schedule), pool);
    }

    /** On {@code device}, with a pure schedule. */
    public Trainer(Params params, Optimizer optimizer, LrSchedule schedule, DeviceContext device) {
        this(params, optimizer, scheduler(schedule), device);
    }

    /** On the CPU: {@link Params}' own arrays, every pass on {@code pool}. */
    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule, Parallel pool) {
        this(checked(params, optimizer, schedule), optimizer, schedule, hostStore(params, optimizer, pool));
    }

    /**
     * On {@code device}: uploads {@code params}' values and allocates the gradients and the state there.
     *
     * @throws IllegalArgumentException if the optimizer has no device kernel
     */
    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule, DeviceContext device) {
        this(checked(params, optimizer, schedule), optimizer, schedule, deviceStore(params, optimizer, device));
    }

    private Trainer(Params params, Optimizer optimizer, LrScheduler schedule, ArrayStore arrays) {
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.arrays = arrays;
    }

    private static LrScheduler scheduler(LrSchedule schedule) {
        return schedule == null ? null : LrScheduler.of(schedule); // null: refused by checked, with the others
    }

    private static Params checked(Params params, Optimizer optimizer, LrScheduler schedule) {
        if (params == null || optimizer == null || schedule == null) {
            throw new IllegalArgumentException("params = " + params + ", optimizer = " + optimizer + ", schedule = "
                    + schedule + ": expected none of them null");
        }
        int states = optimizer.stateArrays();
        if (states < 0 || states > 16) {
            throw new IllegalArgumentException(optimizer.name() + ": stateArrays() = " + states + ", expected 0 to 16");
        }
        return params;
    }

    private static ArrayStore hostStore(Params params, Optimizer optimizer, Parallel pool) {
        if (pool == null) throw new IllegalArgumentException("pool = null: expected a Parallel pool");
        return new HostStore(params, optimizer, pool);
    }

    private static ArrayStore deviceStore(Params params, Optimizer optimizer, DeviceContext device) {
        if (device == null) throw new IllegalArgumentException("device = null: expected a DeviceContext");
        return new DeviceStore(params, optimizer, device);
    }

    // ----- settings -----

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

    /** What to do with a gradient that holds NaN or infinity ({@link NonFinite#THROW} by default). */
    public Trainer nonFinite(NonFinite handling) {
        if (handling == null) throw new IllegalArgumentException("handling = null: expected THROW, SKIP or OFF");
        this.nonFinite = handling;
        return this;
    }

    /** The non-finite handling in force. */
    public NonFinite nonFinite() {
        return nonFinite;
    }

    /**
     * Adds a parameter group: the parameters whose names are listed get {@code lr * lrMultiplier}
     * and, when the group sets one, their own weight decay. Set groups before the first step.
     *
     * @throws IllegalArgumentException for a name no parameter has, a parameter already in a group,
     *                                  a group name used twice, or a decay the rule does not take
     * @throws UnsupportedOperationException if the group sets a weight decay and the rule has none
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
        group.weightDecay().ifPresent(optimizer::withWeightDecay); // fails now, not at the first step
        groups.add(group);
        plan = null;
        return this;
    }

    /**
     * Gradient accumulation: update once every {@code k} calls of {@code step}, from the sum of the
     * {@code k} batches' gradients rescaled by their total number of examples (as one batch of
     * {@code k} times the size, in the memory of one; one extra array, on the host or the device,
     * holds the running sum). Zero the gradients between batches as usual. The schedule, the update
     * count and the clipping see one update per {@code k} batches. A NaN in any batch reaches the
     * update's check, which throws or skips as configured; either way the {@code k} batches are
     * consumed. Take states between updates ({@link #pendingBatches()} 0): the running sum is not
     * part of one. 1, the default, turns it off.
     */
    public Trainer accumulate(int k) {
        if (k < 1) throw new IllegalArgumentException("k = " + k + ": expected the number of batches per update, >= 1");
        if (pendingBatches != 0) {
            throw new IllegalStateException("accumulate(" + k + ") with " + pendingBatches + " batches pending: change it between updates");
        }
        accumulateEvery = k;
        return this;
    }

    // ----- what it holds -----

    public Optimizer optimizer() {
        return optimizer;
    }

    public LrScheduler schedule() {
        return schedule;
    }

    public Params params() {
        return params;
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

    /** Batches added up since the last update (0 between updates). */
    public int pendingBatches() {
        return pendingBatches;
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

    // ----- the device -----

    /** The device the arrays live on; empty for a CPU Trainer. */
    public Optional<DeviceContext> device() {
        return arrays instanceof DeviceStore d ? Optional.of(d.device()) : Optional.empty();
    }

    /** The flat parameters on the device. */
    public DeviceArray deviceParameters() {
        return onDevice("deviceParameters").values;
    }

    /** The flat gradients on the device: kernels that produce gradients write here. */
    public DeviceArray deviceGradients() {
        return onDevice("deviceGradients").grads;
    }

    private DeviceStore onDevice(String what) {
        if (arrays instanceof DeviceStore d) return d;
        throw new IllegalStateException(what + "(): this Trainer's arrays are on the CPU (Params' own: params().values(), params().grads())");
    }

    /**
     * Brings the parameters to {@link Params#values()} (so the host model sees them; a download on a
     * device, nothing on the CPU) and returns that array.
     */
    public float[] downloadParameters() {
        if (arrays instanceof DeviceStore d) d.values.download(params.values());
        return params.values();
    }

    /** Sends {@link Params#values()} to the device after the host changed them (nothing on the CPU). */
    public void uploadParameters() {
        if (arrays instanceof DeviceStore d) d.values.upload(params.values());
    }

    /** Frees the device arrays (nothing on the CPU). */
    @Override
    public void close() {
        arrays.close();
    }

    // ----- steps -----

    /**
     * One update from the accumulated gradients of a batch of {@code batchSize} examples (in
     * {@link Params#grads()} on the CPU, {@link #deviceGradients()} on a device); with
     * {@link #accumulate} every {@code k}-th call updates from the sum of the last {@code k}
     * batches' gradients, the calls between only add them up.
     */
    public void step(int batchSize) {
        if (accumulateEvery == 1) {
            stepOnce(batchSize);
            return;
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + ": expected >= 1");
        if (pendingBatches < accumulateEvery - 1) {
            arrays.addGradientsToSum(pendingBatches == 0);
            pendingBatches++;
            pendingExamples += batchSize;
            return;
        }
        arrays.foldSumIntoGradients();
        long examples = pendingExamples + batchSize;
        pendingBatches = 0;
        pendingExamples = 0;
        if (examples > Integer.MAX_VALUE) throw new IllegalStateException(examples + " examples in one accumulated update");
        stepOnce((int) examples);
    }

    /**
     * {@link #step(int)} from host gradients laid out as {@link Params#grads()}: copied there on the
     * CPU (nothing when they are that array), uploaded in one copy on a device.
     */
    public void step(float[] hostGradients, int batchSize) {
        if (hostGradients == null || hostGradients.length != params.size()) {
            throw new IllegalArgumentException("hostGradients: " + (hostGradients == null ? "null" : hostGradients.length + " floats")
                    + ", expected " + params.size() + " (one per parameter)");
        }
        if (arrays instanceof DeviceStore d) d.grads.upload(hostGradients);
        else if (hostGradients != params.grads()) System.arraycopy(hostGradients, 0, params.grads(), 0, hostGradients.length);
        step(batchSize);
    }

    /** One update from the gradients of a batch of {@code batchSize} examples. */
    private void stepOnce(int batchSize) {
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
            boolean normPass = nonFinite != NonFinite.OFF || clipNorm > 0;
            if (normPass) {
                double norm = Math.sqrt(arrays.gradientSumOfSquares()) * rescale;
                if (!Double.isFinite(norm) && nonFinite != NonFinite.OFF) {
                    int bad = arrays.firstNonFiniteGradient();
                    if (bad >= 0) {
                        String msg = "update " + t + ": gradient is " + arrays.gradientAt(bad) + " at flat index " + bad + " (" + slotOf(bad) + ")";
                        if (nonFinite == NonFinite.THROW) throw new NonFiniteGradientException(msg + "; parameters unchanged");
                        skipped++;
                        return;
                    }
                }
                if (clipNorm > 0 && norm > clipNorm) clipFactor = clipNorm / norm;
            }
            StepPlan p = plan();
            double gradScale = rescale * clipFactor;
            Step[] steps = new Step[p.segmentRates.length];
            for (int s = 0; s < steps.length; s++) steps[s] = new Step(t, lr * p.segmentRates[s], gradScale, clipValue);
            arrays.update(p, steps, normPass);
            updates = t;
            if (rateOverride == null) schedule.advance(t);
        } finally {
            stepping.set(false);
        }
    }

    private StepPlan plan() {
        if (plan == null) plan = StepPlan.of(params, groups, optimizer);
        return plan;
    }

    private String slotOf(int index) {
        for (Params.Slot s : params.slots()) {
            if (index >= s.offset() && index < s.offset() + s.size()) return s.name() + "[" + (index - s.offset()) + "]";
        }
        return "?";
    }

    // ----- state -----

    /**
     * The whole state of the run, as an immutable value: counters, schedule state, groups, the
     * parameter values and the optimizer's state arrays by name (copies; downloaded from a device).
     *
     * @throws IllegalStateException while accumulated batches are pending (their running sum is not part of a state)
     */
    public TrainerState state() {
        return state(false);
    }

    /** {@link #state()}; with {@code live} on the CPU, the arrays themselves (a checkpoint writes them before anything else runs). */
    TrainerState state(boolean live) {
        if (pendingBatches != 0) {
            throw new IllegalStateException(pendingBatches + " accumulated batches are pending: take the state between updates"
                    + " (their running gradient sum is not part of it)");
        }
        boolean share = live && arrays instanceof HostStore;
        float[] values = share ? params.values() : arrays.values();
        float[][] state = share ? ((HostStore) arrays).liveState() : arrays.state();
        return new TrainerState(optimizer.name(), optimizer.hyperparameters(), groups, updates, skipped,
                rateOverride == null ? OptionalDouble.empty() : OptionalDouble.of(rateOverride), schedule.state(), values,
                optimizer.stateNames(), state);
    }

    /**
     * Continues from {@code saved} (taken from this Trainer or another, on the CPU or a device, or
     * read from a {@link Checkpoint}): the values, the optimizer's state, the counters and the
     * schedule's state. Everything is checked before anything changes: the rule's name and
     * hyperparameters, the groups and the sizes must match this Trainer's, and the values and state
     * must be finite (a state of a run that diverged is refused).
     *
     * @throws IllegalArgumentException saying what differs; nothing was restored
     */
    public void restore(TrainerState saved) {
        if (saved == null) throw new IllegalArgumentException("saved = null: expected a TrainerState");
        if (!saved.algorithm().equals(optimizer.name())) {
            throw new IllegalArgumentException("checkpoint of algorithm " + saved.algorithm() + ", this trainer runs " + optimizer.name());
        }
        if (!saved.hyperparameters().equals(optimizer.hyperparameters())) {
            throw new IllegalArgumentException("hyperparameters " + saved.hyperparameters() + " differ from this trainer's "
                    + optimizer.hyperparameters());
        }
        if (!saved.groups().equals(groups)) {
            throw new IllegalArgumentException("parameter groups " + saved.groups() + " differ from this trainer's " + groups);
        }
        if (saved.size() != params.size()) {
            throw new IllegalArgumentException(saved.size() + " parameters, this model has " + params.size());
        }
        float[][] state = saved.stateView();
        if (state.length != optimizer.stateArrays()) {
            throw new IllegalArgumentException(state.length + " state arrays, " + optimizer.name() + " keeps " + optimizer.stateArrays());
        }
        if (!saved.positionalNames() && !saved.stateNames().equals(optimizer.stateNames())) {
            throw new IllegalArgumentException("state arrays " + saved.stateNames() + ", " + optimizer.name() + " keeps " + optimizer.stateNames());
        }
        // the next update is updates + 1: a count of Long.MAX_VALUE would make it negative
        if (saved.updates() < 0 || saved.updates() == Long.MAX_VALUE || saved.skipped() < 0) {
            throw new IllegalArgumentException("update count " + saved.updates() + " and skipped count " + saved.skipped()
                    + ": expected counts >= 0, the update count below " + Long.MAX_VALUE);
        }
        OptionalDouble override = saved.learningRateOverride();
        if (override.isPresent() && !(Double.isFinite(override.getAsDouble()) && override.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("learning rate " + override.getAsDouble() + ": expected a finite rate >= 0");
        }
        for (int k = 0; k < state.length; k++) {
            if (state[k].length != saved.size()) {
                throw new IllegalArgumentException("a state array of " + state[k].length + " for " + saved.size() + " parameters");
            }
            for (int i = 0; i < state[k].length; i++) {
                if (!Float.isFinite(state[k][i])) {
                    throw new IllegalArgumentException("optimizer state " + k + " at " + i + " is " + state[k][i]
                            + ": a checkpoint of a run that diverged is not loaded (resume from an earlier checkpoint)");
                }
            }
        }
        float[] values = saved.parametersView();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("parameter " + i + " is " + values[i] + ": a checkpoint of a run that diverged is"
                        + " not loaded (resume from an earlier checkpoint)");
            }
        }
        if (pendingBatches != 0) {
            throw new IllegalStateException(pendingBatches + " accumulated batches are pending: restore between updates");
        }
        double[] previousScheduleState = schedule.state();
        try {
            schedule.restore(saved.scheduleStateView()); // checks the whole state before it changes anything
        } catch (IllegalArgumentException e) {
            schedule.restore(previousScheduleState);
            throw new IllegalArgumentException("the saved schedule state does not fit this trainer's schedule (" + e.getMessage()
                    + "); nothing was restored", e);
        }
        // Everything checked: apply.
        arrays.restore(values, state);
        updates = saved.updates();
        skipped = saved.skipped();
        rateOverride = override.isPresent() ? override.getAsDouble() : null;
    }

    private static double checkBound(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value >= 0");
        return v;
    }
}
