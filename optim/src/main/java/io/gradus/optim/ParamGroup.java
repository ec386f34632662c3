package io.gradus.optim;

import java.util.List;
import java.util.Optional;

/**
 * A group of named parameters with its own learning-rate multiplier and, optionally, its own
 * weight decay, as PyTorch's parameter groups (for example no weight decay on biases and norms).
 * The group's parameters are slices of the flat arrays; the Trainer runs the same rule over each,
 * with {@code lr * lrMultiplier} and the rule rebuilt with the group's weight decay
 * ({@link Optimizer#withWeightDecay}). Parameters in no group use the multiplier 1 and the
 * optimizer as given. Saved in checkpoints and checked when one is loaded.
 *
 * @param name         the group's name, for messages and checkpoints
 * @param parameters   the names of its parameters ({@link Params.Slot#name()})
 * @param lrMultiplier the factor on the schedule's rate, finite and {@code >= 0}
 * @param weightDecay  the group's own weight decay, or empty to keep the optimizer's
 */
public record ParamGroup(String name, List<String> parameters, double lrMultiplier, Optional<WeightDecay> weightDecay) {

    public ParamGroup {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name = '" + name + "': expected a group name");
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("group " + name + ": parameters = " + parameters + ", expected at least one name");
        }
        parameters = List.copyOf(parameters);
        if (!(lrMultiplier >= 0) || Double.isInfinite(lrMultiplier)) {
            throw new IllegalArgumentException("group " + name + ": lrMultiplier = " + lrMultiplier + ", expected a finite value >= 0");
        }
        if (weightDecay == null) {
            throw new IllegalArgumentException("group " + name + ": weightDecay = null, expected Optional.empty() (the optimizer's own) or a WeightDecay");
        }
    }

    /** A group with its own weight decay ({@link WeightDecay#none()} for none, as on biases). */
    public static ParamGroup withDecay(String name, List<String> parameters, double lrMultiplier, WeightDecay weightDecay) {
        if (weightDecay == null) {
            throw new IllegalArgumentException("group " + name + ": weightDecay = null, expected a WeightDecay (WeightDecay.none() for none)");
        }
        return new ParamGroup(name, parameters, lrMultiplier, Optional.of(weightDecay));
    }

    /** A group that keeps the optimizer's weight decay and scales the learning rate. */
    public static ParamGroup withRate(String name, List<String> parameters, double lrMultiplier) {
        return new ParamGroup(name, parameters, lrMultiplier, Optional.empty());
    }
}
