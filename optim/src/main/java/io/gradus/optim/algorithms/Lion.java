package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an
 * interpolation between the momentum and the gradient, with decoupled weight decay.
 * <pre>
 *   c  = beta1 m + (1 - beta1) g
 *   x &lt;- x - eta (sign(c) + lambda x)
 *   m &lt;- beta2 m + (1 - beta2) g
 * </pre>
 * with {@code sign(0) = 0}. Every coordinate moves by exactly {@code eta} (plus the decay), so
 * Lion wants a learning rate 3-10 times smaller than AdamW's and a decay 3-10 times larger (the
 * paper's advice). State: {@code m}, zero at the start. Defaults as the paper: {@code beta1 = 0.9},
 * {@code beta2 = 0.99}, no decay. PyTorch 1.13 has no Lion; the comparison script implements the
 * paper's rule in PyTorch operations.
 *
 * @param beta1       {@code 0 <= beta1 < 1}: the interpolation that gives the update's sign
 * @param beta2       {@code 0 <= beta2 < 1}: the momentum's decay
 * @param weightDecay {@code lambda >= 0}, decoupled (scaled by {@code eta}, as AdamW)
 */
public record Lion(double beta1, double beta2, WeightDecay weightDecay) implements Algorithm {

    public Lion {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.weightDecay("lion", weightDecay, false, true);
    }

    public Lion withBetas(double beta1, double beta2) {
        return new Lion(beta1, beta2, weightDecay);
    }

    @Override
    public Lion withWeightDecay(WeightDecay weightDecay) {
        return new Lion(beta1, beta2, weightDecay);
    }

    @Override
    public String name() {
        return "lion";
    }

    @Override
    public int stateArrays() {
        return 1;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, 0);
        double c = beta1 * state[0] + (1 - beta1) * gi;
        state[0] = beta2 * state[0] + (1 - beta2) * gi;
        return x - step.lr() * (Math.signum(c) + weightDecay.decoupledRate() * x);
    }

    /**
     * The body: {@code c = beta1 m + (1 - beta1) g}, {@code m <- beta2 m + (1 - beta2) g},
     * {@code x <- x - eta (sign(c) + lambda x)} (the decay decoupled, so {@code g} carries none).
     */
    static final class Rule extends UpdateKernel {
        float[] m;
        float b1, b2, rest1, rest2, decay;

        public Rule() {
            super("m");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, c = 0f;
            gi = gradient(i);
            c = b1 * m[i] + rest1 * gi;
            m[i] = b2 * m[i] + rest2 * gi;
            p[i] = p[i] - lr * (sign(c) + decay * p[i]);
        }

        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.update(this, p, g, state[0], off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    Rule rule(Step step) {
        Rule k = new Rule();
        k.setStep(step, 0);
        k.b1 = (float) beta1;
        k.b2 = (float) beta2;
        k.rest1 = (float) (1 - beta1);
        k.rest2 = (float) (1 - beta2);
        k.decay = (float) weightDecay.decoupledRate();
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] m, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, b1 = k.b1, b2 = k.b2, rest1 = k.rest1, rest2 = k.rest2, wd = k.decay;
            FloatVector zero = FloatVector.zero(Lanes.S), one = FloatVector.broadcast(Lanes.S, 1f), minusOne = one.neg();
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, 0f);
                FloatVector mv = Lanes.load(m, i);
                FloatVector c = Lanes.average(mv, b1, gi, rest1);
                Lanes.average(mv, b2, gi, rest2).intoArray(m, i);
                FloatVector sign = zero.blend(one, c.compare(VectorOperators.GT, 0f)).blend(minusOne, c.compare(VectorOperators.LT, 0f));
                pv.sub(sign.add(pv.mul(wd)).mul(lr)).intoArray(p, i);
            }
            return end;
        }
    }
}
