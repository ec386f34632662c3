package io.gradus.optim;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * All parameters of a model in one flat {@code float[]} of values and one of gradients (ARCHITECTURE.md,
 * "One training step"): built from the model's named parameters, it copies their values in and re-points each
 * {@link Parameter} to a view of its slice, with its gradient accumulating into the matching
 * slice of {@link #grads()}. One optimizer step is then one pass over a few flat arrays, however
 * many tensors the model has.
 *
 * <p>Threads: a Params is plain arrays with no locking; one thread (the training loop) owns it.
 * Its slots and layout never change after {@link #of}.
 */
public final class Params {

    /** Where one parameter lives in the flat arrays. */
    public record Slot(String name, int offset, int[] shape, int size) {}

    private final float[] values;
    private final float[] grads;
    private final List<Slot> slots;

    private Params(float[] values, float[] grads, List<Slot> slots) {
        this.values = values;
        this.grads = grads;
        this.slots = slots;
    }

    /**
     * Takes over {@code named} (e.g. {@code model.namedParameters()}): copies the values into the
     * flat array in iteration order and re-points every parameter to its view. The parameters'
     * previous gradients are dropped (the flat gradients start at zero).
     */
    public static Params of(Map<String, Parameter> named) {
        if (named.isEmpty()) throw new IllegalArgumentException("named parameters: expected at least one");
        long total = 0;
        for (Parameter p : named.values()) total += p.size();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(total + " parameters: more than one float[] can hold");
        }
        float[] values = new float[(int) total], grads = new float[(int) total];
        List<Slot> slots = new ArrayList<>();
        int offset = 0;
        for (var e : named.entrySet()) {
            Parameter p = e.getValue();
            int[] shape = p.shape();
            float[] v = p.value().toArray();
            System.arraycopy(v, 0, values, offset, v.length);
            Tensor view = Tensor.wrap(values, offset, shape);
            view.attachGrad(Tensor.wrap(grads, offset, shape));
            p.set(view);
            slots.add(new Slot(e.getKey(), offset, shape, v.length));
            offset += v.length;
        }
        return new Params(values, grads, Collections.unmodifiableList(slots));
    }

    /** The flat values; parameter {@code i} is {@code values()[slot.offset() .. + slot.size())}. */
    public float[] values() {
        return values;
    }

    /** The flat gradients, laid out as {@link #values()}. */
    public float[] grads() {
        return grads;
    }

    public List<Slot> slots() {
        return slots;
    }

    /** Total number of scalars. */
    public int size() {
        return values.length;
    }

    public void zeroGrads() {
        Arrays.fill(grads, 0f);
    }
}
