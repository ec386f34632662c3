package io.gradus.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Everything a {@link Trainer} needs to continue a run exactly, as an immutable value: the rule
 * (name and hyperparameters, which a restore must match), the parameter groups, the update and
 * skip counts, the learning-rate override, the schedule's state, the parameter values and the
 * optimizer's state arrays by name. {@link Trainer#state()} takes one (downloading from a device);
 * {@link Trainer#restore} puts one back (into a CPU or a device Trainer alike); a {@link Checkpoint}
 * is one written to a file. Arrays are copied in and out, so no holder can change it.
 *
 * <p>{@link #withArrays} makes a state with other values and state arrays of the same shapes: what
 * averaging replicas (local SGD, model soups) needs.
 */
public final class TrainerState {

    private final String algorithm;
    private final Map<String, Object> hyperparameters;
    private final List<ParamGroup> groups;
    private final long updates;
    private final long skipped;
    private final OptionalDouble learningRateOverride;
    private final double[] scheduleState;
    private final float[] parameters;
    private final List<String> stateNames;
    private final float[][] optimizerState;

    /** Takes the arrays as they are (callers pass fresh copies or arrays they will not change before use). */
    TrainerState(String algorithm, Map<String, Object> hyperparameters, List<ParamGroup> groups, long updates, long skipped,
                 OptionalDouble learningRateOverride, double[] scheduleState, float[] parameters, List<String> stateNames,
                 float[][] optimizerState) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        this.groups = List.copyOf(groups);
        this.updates = updates;
        this.skipped = skipped;
        this.learningRateOverride = Objects.requireNonNull(learningRateOverride, "learningRateOverride");
        this.scheduleState = scheduleState;
        this.parameters = parameters;
        this.stateNames = List.copyOf(stateNames);
        this.optimizerState = optimizerState;
        if (stateNames.size() != optimizerState.length) {
            throw new IllegalArgumentException("state names " + stateNames + " for " + optimizerState.length + " state arrays");
        }
    }

    /** The rule's name ({@link Optimizer#name()}). */
    public String algorithm() {
        return algorithm;
    }

    /** The rule's hyperparameters ({@link Optimizer#hyperparameters()}). */
    public Map<String, Object> hyperparameters() {
        return hyperparameters;
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    /** Updates done. */
    public long updates() {
        return updates;
    }

    /** Steps skipped for non-finite gradients. */
    public long skipped() {
        return skipped;
    }

    /** The rate fixed by {@link Trainer#setLearningRate}, if any. */
    public OptionalDouble learningRateOverride() {
        return learningRateOverride;
    }

    /** The schedule's state ({@link io.gradus.optim.schedule.LrScheduler#state()}); a copy. */
    public double[] scheduleState() {
        return scheduleState.clone();
    }

    /** The flat parameter values; a copy. */
    public float[] parameters() {
        return parameters.clone();
    }

    /** The number of parameters. */
    public int size() {
        return parameters.length;
    }

    /** The names of the optimizer's state arrays, in the Trainer's order ({@link Optimizer#stateNames()}). */
    public List<String> stateNames() {
        return stateNames;
    }

    /** The state array called {@code name}; a copy. */
    public float[] optimizerState(String name) {
        int k = stateNames.indexOf(name);
        if (k < 0) throw new IllegalArgumentException("state array '" + name + "': expected one of " + stateNames);
        return optimizerState[k].clone();
    }

    /** Every state array by name, in order; copies. */
    public Map<String, float[]> optimizerState() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int k = 0; k < stateNames.size(); k++) out.put(stateNames.get(k), optimizerState[k].clone());
        return Collections.unmodifiableMap(out);
    }

    /**
     * This state with other parameter values and state arrays (by name, every one of this state's,
     * each as long as the parameters); everything else kept.
     *
     * @throws IllegalArgumentException naming the array whose name or length does not fit
     */
    public TrainerState withArrays(float[] parameters, Map<String, float[]> optimizerState) {
        if (parameters == null || parameters.length != this.parameters.length) {
            throw new IllegalArgumentException("parameters: " + (parameters == null ? "null" : parameters.length + " floats")
                    + ", expected " + this.parameters.length);
        }
        if (optimizerState == null || !optimizerState.keySet().equals(new java.util.HashSet<>(stateNames))) {
            throw new IllegalArgumentException("optimizer state " + (optimizerState == null ? null : optimizerState.keySet())
                    + ": expected the arrays " + stateNames);
        }
        float[][] state = new float[stateNames.size()][];
        for (int k = 0; k < state.length; k++) {
            float[] a = optimizerState.get(stateNames.get(k));
            if (a == null || a.length != parameters.length) {
                throw new IllegalArgumentException("optimizer state '" + stateNames.get(k) + "': "
                        + (a == null ? "null" : a.length + " floats") + ", expected " + parameters.length);
            }
            state[k] = a.clone();
        }
        return new TrainerState(algorithm, hyperparameters, groups, updates, skipped, learningRateOverride, scheduleState,
                parameters.clone(), stateNames, state);
    }

    // ----- without copies, for the Trainer and Checkpoint in this package -----

    float[] parametersView() {
        return parameters;
    }

    float[][] stateView() {
        return optimizerState;
    }

    double[] scheduleStateView() {
        return scheduleState;
    }

    /** Whether the names are the positional {@code state0, state1, ...} of a format-2 checkpoint (which did not name them). */
    boolean positionalNames() {
        for (int k = 0; k < stateNames.size(); k++) if (!stateNames.get(k).equals("state" + k)) return false;
        return true;
    }

    static List<String> positional(int count) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < count; k++) names.add("state" + k);
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainerState s && algorithm.equals(s.algorithm) && hyperparameters.equals(s.hyperparameters)
                && groups.equals(s.groups) && updates == s.updates && skipped == s.skipped
                && learningRateOverride.equals(s.learningRateOverride) && Arrays.equals(scheduleState, s.scheduleState)
                && Arrays.equals(parameters, s.parameters) && stateNames.equals(s.stateNames) && Arrays.deepEquals(optimizerState, s.optimizerState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, hyperparameters, groups, updates, skipped, Arrays.hashCode(parameters));
    }

    @Override
    public String toString() {
        return "TrainerState[" + algorithm + " " + hyperparameters + ", " + parameters.length + " parameters, state " + stateNames
                + ", updates " + updates + ", skipped " + skipped + ", groups " + groups + "]";
    }
}
