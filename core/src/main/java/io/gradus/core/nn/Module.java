package io.gradus.core.nn;

import io.gradus.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A layer or a network: a forward function and the named parameters it trains. */
public abstract class Module {

    /** The output for a batch {@code x}; recorded by autograd inside {@code Autograd.record()}. */
    public abstract Tensor forward(Tensor x);

    /** This module's own parameters (not its children's). */
    protected List<Parameter> ownParameters() {
        return List.of();
    }

    /** Child modules, in order. */
    protected List<Module> children() {
        return List.of();
    }

    /**
     * Every parameter of this module and its children in a stable order, keyed by path: a child's
     * parameters are prefixed by its index ({@code "0.weight"}, {@code "2.bias"} in a
     * {@link Layers.Sequential}).
     */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Parameter p : ownParameters()) out.put(prefix + p.name(), p);
        List<Module> kids = children();
        for (int i = 0; i < kids.size(); i++) kids.get(i).collect(prefix + i + ".", out);
    }

    /** The values of {@link #namedParameters()}, in the same order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Initializes every weight with {@code weights} and every bias to zero; seeds derive from {@code seed}. */
    public final void initialize(Initializer weights, long seed) {
        long s = seed;
        for (Parameter p : namedParameters().values()) {
            Initializer init = p.name().equals("bias") ? Initializer.zeros() : weights;
            init.fill(p.value(), s++);
        }
    }

    /** Zeroes every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) p.value().zeroGrad();
    }
}
