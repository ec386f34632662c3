package io.gradus.optim;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An update rule over flat arrays: what a {@link Trainer} runs once per step. The built-in rules
 * of chapter 11 are records in {@link io.gradus.optim.algorithms} (build them with
 * {@link Optimizers}); an application can implement its own and run it through the Trainer.
 *
 * <p>The Trainer owns the state ({@link #stateArrays()} flat arrays as long as the parameters,
 * filled with {@link #initialState} at the start, zero by default) and calls {@link #update} on slices of the flat arrays, possibly from several
 * threads at once on disjoint slices: an implementation must not keep per-call state in fields.
 * The gradient passed in is raw; {@link Step#gradient} gives the coordinate the rule should use.
 *
 * <pre>{@code
 * // x <- x - lr * sign(g'): a user-defined rule
 * record SignDescent() implements Optimizer {
 *     public String name() { return "sign-descent"; }
 *     public int stateArrays() { return 0; }
 *     public void update(Step step, float[] p, float[] g, float[][] state, int off, int len) {
 *         for (int i = off; i < off + len; i++) {
 *             p[i] -= (float) (step.lr() * Math.signum(step.gradient(g[i], p[i], 0)));
 *         }
 *     }
 * }
 * }</pre>
 */
public interface Optimizer {

    /** The algorithm's name, e.g. {@code "adam"}; checkpoints compare it. */
    String name();

    /** Flat float arrays of state, each as long as the parameters (momentum, second moments, ...). */
    int stateArrays();

    /**
     * The names of the state arrays, in order (for example {@code m, v}): how a {@link TrainerState}
     * and a checkpoint name them. By default {@code state0, state1, ...}.
     */
    default List<String> stateNames() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < stateArrays(); k++) names.add("state" + k);
        return List.copyOf(names);
    }

    /**
     * Bytes one update moves per parameter (4 per float read or written): {@code p} and {@code g}
     * read, {@code p} written, each state array read and written. A rule with more passes says more.
     * The benchmarks divide by it to report bandwidth.
     */
    default int bytesPerParameter() {
        return 4 * (3 + 2 * stateArrays());
    }

    /**
     * The value state array {@code array} starts at (the Trainer fills it when it is made): zero for
     * every rule but Adagrad with PyTorch's {@code initial_accumulator_value}.
     */
    default double initialState(int array) {
        return 0;
    }

    /**
     * Updates {@code p[off, off + len)} and the state slices from the raw gradient {@code g} of the
     * same slice, as {@code step} says.
     */
    void update(Step step, float[] p, float[] g, float[][] state, int off, int len);

    /**
     * The hyperparameters by name, for checkpoints and reports. A record's components by default
     * (a {@link WeightDecay} as its {@code lambda}: the rule's kind is fixed, or named by another
     * entry where a rule takes both); other implementations override this (values: numbers, booleans
     * or strings).
     */
    default Map<String, Object> hyperparameters() {
        if (!getClass().isRecord()) return Map.of();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            for (RecordComponent c : getClass().getRecordComponents()) {
                Object value = c.getAccessor().invoke(this);
                out.put(c.getName(), value instanceof WeightDecay wd ? (Object) wd.lambda() : value);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getClass().getName() + ": cannot read its record components", e);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The rule's weight decay; {@link WeightDecay#none()} for a rule without one. */
    default WeightDecay weightDecay() {
        return WeightDecay.none();
    }

    /**
     * This rule with another weight decay, for a parameter group that sets its own (for example
     * none on biases). Built-in rules return a copy; the default refuses.
     *
     * @throws UnsupportedOperationException if the rule has no weight decay to set
     * @throws IllegalArgumentException      if the rule does not take this kind of decay
     */
    default Optimizer withWeightDecay(WeightDecay weightDecay) {
        throw new UnsupportedOperationException(name() + " has no weight decay a parameter group could set");
    }
}
