package io.gradus.optim;

import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
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
     * The hyperparameters by name, for checkpoints and reports. A record's components by default;
     * other implementations override this (values: numbers, booleans or strings).
     */
    default Map<String, Object> hyperparameters() {
        if (!getClass().isRecord()) return Map.of();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            for (RecordComponent c : getClass().getRecordComponents()) {
                out.put(c.getName(), c.getAccessor().invoke(this));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getClass().getName() + ": cannot read its record components", e);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * This rule with another weight decay, for a parameter group that sets its own (for example
     * none on biases). Built-in rules return a copy; the default refuses.
     *
     * @throws UnsupportedOperationException if the rule has no weight decay to set
     */
    default Optimizer withWeightDecay(double weightDecay) {
        throw new UnsupportedOperationException(name() + " has no weight decay a parameter group could set");
    }
}
