package io.gradus.core.nn;

import io.gradus.core.tensor.Tensor;
import java.util.Arrays;

/**
 * A named, trainable tensor of a layer. The layer reads {@link #value()} at every forward pass,
 * so whoever owns the storage (the optim module's flat {@code Params}) can re-point it with
 * {@link #set} to a view into one flat buffer, keeping the values.
 */
public final class Parameter {

    private final String name;
    private Tensor value;

    public Parameter(String name, Tensor value) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name = " + name + ": expected a name");
        this.name = name;
        this.value = value.attachGrad();
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    /** Replaces the tensor (same shape), e.g. by a view into a flat buffer; it must already carry its gradient. */
    public void set(Tensor replacement) {
        if (!Arrays.equals(replacement.shape(), value.shape())) {
            throw new IllegalArgumentException(name + ": replacement of shape " + Arrays.toString(replacement.shape())
                    + ", expected " + Arrays.toString(value.shape()));
        }
        if (!replacement.requiresGrad()) replacement.attachGrad();
        this.value = replacement;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(value.shape());
    }
}
