package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Yogi (section 11.10.3; Zaheer et al. 2018), as the book's code: Adam with an additive second
 * moment,
 * <pre>
 *   m &lt;- beta1 m + (1 - beta1) g'
 *   v &lt;- v + (1 - beta2) sign(g'^2 - v) g'^2
 *   x &lt;- x - eta (m / c1) / (sqrt(v / c2) + eps)   with c1 = 1 - beta1^t, c2 = 1 - beta2^t
 * </pre>
 * with {@code g' = g + lambda x}. State: {@code m}, {@code v}, zero at the start as in the book's
 * code (Optax and TF-Addons start {@code v} at 1e-6). Defaults as the book: {@code beta1 = 0.9},
 * {@code beta2 = 0.999}, {@code eps = 1e-3}. The vector kernel forms the sign by comparisons, equal
 * to {@link Math#signum} for finite values.
 *
 * @param beta1       {@code 0 <= beta1 < 1}
 * @param beta2       {@code 0 <= beta2 < 1}
 * @param eps         {@code > 0}
 * @param weightDecay {@code lambda >= 0}
 */
public record Yogi(double beta1, double beta2, double eps, WeightDecay weightDecay) implements Algorithm {

    public Yogi {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.weightDecay("yogi", weightDecay, true, false);
    }

    public Yogi withBetas(double beta1, double beta2) {
        return new Yogi(beta1, beta2, eps, weightDecay);
    }

    public Yogi withEps(double eps) {
        return new Yogi(beta1, beta2, eps, weightDecay);
    }

    @Override
    public Yogi withWeightDecay(WeightDecay weightDecay) {
        return new Yogi(beta1, beta2, eps, weightDecay);
    }

    @Override
    public String name() {
        return "yogi";
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = state[1] + (1 - beta2) * Math.signum(gi * gi - state[1]) * gi * gi;
        double mHat = state[0] / (1 - Math.pow(beta1, step.t())), vHat = state[1] / (1 - Math.pow(beta2, step.t()));
        return x - step.lr() * mHat / (Math.sqrt(vHat) + eps);
    }

    /**
     * The body: {@code m <- beta1 m + (1 - beta1) g'}, {@code v <- v + (1 - beta2) sign(g'^2 - v) g'^2},
     * {@code x <- x - eta (m / c1) / (sqrt(v / c2) + eps)}.
     */
    static final class Rule extends MomentRule {
        float c1, c2;

        public Rule() {
            super("m", "v");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, g2 = 0f, mi = 0f, vi = 0f;
            gi = gradient(i);
            g2 = gi * gi;
            mi = firstMoment(i, gi);
            vi = v[i] + rest2 * sign(g2 - v[i]) * g2;
            v[i] = vi;
            p[i] = p[i] - lr * (mi / c1) / (sqrt(vi / c2) + eps);
        }

        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.update(this, p, g, state[0], state[1], off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    Rule rule(Step step) {
        Rule k = new Rule();
        k.setStep(step, weightDecay.coupledRate());
        k.setMoments(beta1, beta2, eps);
        k.c1 = (float) (1 - Math.pow(beta1, step.t()));
        k.c2 = (float) (1 - Math.pow(beta2, step.t()));
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] m, float[] v, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, wd = k.wd, b1 = k.b1, rest1 = k.rest1, rest2 = k.rest2;
            float e = k.eps, c1 = k.c1, c2 = k.c2;
            FloatVector zero = FloatVector.zero(Lanes.S), one = FloatVector.broadcast(Lanes.S, 1f);
            FloatVector minusOne = FloatVector.broadcast(Lanes.S, -1f);
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector g2 = gi.mul(gi);
                FloatVector mi = Lanes.average(Lanes.load(m, i), b1, gi, rest1);
                FloatVector vOld = Lanes.load(v, i);
                FloatVector diff = g2.sub(vOld);
                VectorMask<Float> up = diff.compare(VectorOperators.GT, 0f), down = diff.compare(VectorOperators.LT, 0f);
                FloatVector sign = zero.blend(one, up).blend(minusOne, down);
                FloatVector vi = vOld.add(sign.mul(rest2).mul(g2));
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                pv.sub(mi.div(c1).mul(lr).div(vi.div(c2).sqrt().add(e))).intoArray(p, i);
            }
            return end;
        }
    }
}
