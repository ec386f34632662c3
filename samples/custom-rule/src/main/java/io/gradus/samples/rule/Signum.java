package io.gradus.samples.rule;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import io.gradus.optim.algorithms.KernelOptimizer;
import io.gradus.optim.algorithms.UpdateKernel;

/**
 * signSGD with momentum, "Signum" (Bernstein, Wang, Azizzadenesheli and Anandkumar 2018, "signSGD:
 * Compressed Optimisation for Non-Convex Problems", Algorithm 3), a rule Gradus's catalog lacks:
 * <pre>
 *   m &lt;- beta m + (1 - beta) g'
 *   x &lt;- x - eta (sign(m) + lambda x)        (lambda: decoupled weight decay)
 * </pre>
 * Written once, as the {@link Body} below: the CPU Trainer runs it as Java, the Trainer on a device runs
 * Aparapi's OpenCL translation of it.
 *
 * @param beta        {@code 0 <= beta < 1}
 * @param weightDecay {@link WeightDecay#none()} or {@link WeightDecay#decoupled decoupled(lambda)}, the
 *                    form the paper uses
 */
public record Signum(double beta, WeightDecay weightDecay) implements KernelOptimizer {

    public Signum {
        if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("beta = " + beta + ": expected 0 <= beta < 1");
        weightDecay.checkFor("signum", false, true); // refuses coupled L2, naming what it takes
    }

    /** This rule with another decay, so that a {@code ParamGroup} can set its own (none on biases). */
    @Override
    public Signum withWeightDecay(WeightDecay weightDecay) {
        return new Signum(beta, weightDecay);
    }

    /** One coordinate's update: float fields for the step's constants, float[] fields for the state. */
    public static final class Body extends UpdateKernel {
        float[] m;
        float beta, rest, decay;

        public Body() {
            super("m"); // the state arrays, in the Trainer's order
        }

        @Override
        public void apply(int i) {
            float mi = 0f; // locals at the top of the method (Aparapi's reader wants them so)
            mi = beta * m[i] + rest * gradient(i);
            m[i] = mi;
            p[i] = p[i] - lr * (sign(mi) + decay * p[i]);
        }
    }

    @Override
    public String name() {
        return "signum";
    }

    @Override
    public int stateArrays() {
        return 1;
    }

    @Override
    public UpdateKernel kernel(Step step) {
        Body k = new Body();
        k.setStep(step, 0); // no coupled decay: the decay is decoupled, in apply
        k.beta = (float) beta;
        k.rest = (float) (1 - beta); // computed in double, rounded once
        k.decay = (float) weightDecay.decoupledRate();
        return k;
    }
}
