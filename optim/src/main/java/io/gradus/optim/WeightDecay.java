package io.gradus.optim;

import java.util.Locale;

/**
 * How a rule shrinks the parameters towards zero, chosen explicitly (section 11.2's L2
 * regularization, and Loshchilov and Hutter 2019's decoupled form):
 * <ul>
 *   <li>{@link #coupled coupled(lambda)}: L2 added to the gradient, {@code g' = g + lambda x}, so the
 *       decay passes through the rule's moments and denominators (PyTorch's {@code weight_decay} of
 *       SGD, Adam, RMSProp, Adagrad; Optax's {@code add_decayed_weights} before the rule);</li>
 *   <li>{@link #decoupled decoupled(lambda)}: applied to the parameters beside the rule's step,
 *       {@code x <- x - eta lambda x} (PyTorch's {@code AdamW}; Lion and LAMB define their decay this way;
 *       Optax's {@code adamw}, {@code lion}, {@code lamb});</li>
 *   <li>{@link #none()}: neither ({@code lambda = 0} of either kind is the same as none).</li>
 * </ul>
 * Each rule says which kinds it takes and refuses the other with a message naming both; a
 * {@link ParamGroup} may set its own.
 *
 * @param kind   which form; {@link Kind#NONE} exactly when {@code lambda == 0}
 * @param lambda the coefficient, finite and {@code >= 0}
 */
public record WeightDecay(Kind kind, double lambda) {

    /** The two forms, and none. */
    public enum Kind { NONE, COUPLED, DECOUPLED }

    private static final WeightDecay NONE = new WeightDecay(Kind.NONE, 0);

    public WeightDecay {
        if (kind == null) throw new IllegalArgumentException("kind = null: expected NONE, COUPLED or DECOUPLED");
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("weight decay lambda = " + lambda + ": expected a finite value >= 0");
        }
        if (lambda == 0) kind = Kind.NONE; // coupled(0) and decoupled(0) are none: equal, and saved alike
        if (kind == Kind.NONE && lambda != 0) {
            throw new IllegalArgumentException("kind NONE with lambda = " + lambda + ": expected coupled(lambda) or decoupled(lambda)");
        }
    }

    /** No weight decay. */
    public static WeightDecay none() {
        return NONE;
    }

    /** L2 in the gradient: {@code g' = g + lambda x}. */
    public static WeightDecay coupled(double lambda) {
        return new WeightDecay(Kind.COUPLED, lambda);
    }

    /** Beside the step: {@code x <- x - eta lambda x}. */
    public static WeightDecay decoupled(double lambda) {
        return new WeightDecay(Kind.DECOUPLED, lambda);
    }

    /** {@code lambda} when coupled, else 0: the {@code lambda} of {@code g' = g + lambda x}. */
    public double coupledRate() {
        return kind == Kind.COUPLED ? lambda : 0;
    }

    /** {@code lambda} when decoupled, else 0: the {@code lambda} of {@code x <- x - eta lambda x}. */
    public double decoupledRate() {
        return kind == Kind.DECOUPLED ? lambda : 0;
    }

    /** Whether this decay is decoupled (AdamW's form). */
    public boolean isDecoupled() {
        return kind == Kind.DECOUPLED;
    }

    /**
     * Checks that a rule takes this decay's kind.
     *
     * @param rule       the rule's name, for the message
     * @param decoupled  whether the rule takes the decoupled form
     * @param coupled    whether it takes the coupled form
     * @throws IllegalArgumentException naming the rule, this decay and what it takes
     */
    public WeightDecay checkFor(String rule, boolean coupled, boolean decoupled) {
        boolean ok = kind == Kind.NONE || (kind == Kind.COUPLED ? coupled : decoupled);
        if (!ok) {
            String takes = coupled && decoupled ? "coupled or decoupled" : coupled ? "coupled (L2 in the gradient)" : "decoupled";
            throw new IllegalArgumentException(rule + ": weightDecay = " + this + ", expected " + takes + " weight decay or none");
        }
        return this;
    }

    /** {@code none}, {@code coupled(1.0E-4)}, {@code decoupled(0.01)}. */
    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind.name().toLowerCase(Locale.ROOT) + "(" + lambda + ")";
    }
}
