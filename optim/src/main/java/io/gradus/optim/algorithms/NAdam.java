package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam"): Adam whose step looks ahead
 * with Nesterov's momentum, under the momentum schedule {@code mu_t = beta1 (1 - 0.5 * 0.96^(t psi))}
 * (Sutskever et al.'s warming schedule; {@code psi}, PyTorch's {@code momentum_decay}, is 0.004 =
 * 1/250 as in the paper):
 * <pre>
 *   m &lt;- beta1 m + (1 - beta1) g'
 *   v &lt;- beta2 v + (1 - beta2) g'^2
 *   d  = sqrt(v / (1 - beta2^t)) + eps
 *   x &lt;- x - eta (1 - mu_t) / (1 - P_t) g' / d - eta mu_{t+1} / (1 - P_{t+1}) m / d
 * </pre>
 * with {@code P_t = mu_1 ... mu_t} (computed on the host in double each step from {@code t}, so no
 * state beyond {@code m} and {@code v}) and {@code g' = g + lambda x}. PyTorch 1.13 computes
 * {@code P_{t+1}} as {@code P_t mu_t mu_{t+1}}, counting {@code mu_t} twice (fixed in PyTorch 2.0);
 * the default here is the paper's {@code P_t mu_{t+1}}, and {@code torch113} reproduces 1.13 for
 * comparisons. Defaults as PyTorch: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8},
 * {@code psi = 0.004}; the learning rate PyTorch suggests is 0.002.
 *
 * @param beta1         {@code 0 <= beta1 < 1}
 * @param beta2         {@code 0 <= beta2 < 1}
 * @param eps           {@code > 0}
 * @param weightDecay   {@code lambda >= 0} (coupled L2, as PyTorch)
 * @param momentumDecay {@code psi >= 0}
 * @param torch113      PyTorch 1.13's {@code P_{t+1} = P_t mu_t mu_{t+1}}
 */
public record NAdam(double beta1, double beta2, double eps, WeightDecay weightDecay, double momentumDecay, boolean torch113)
        implements Algorithm {

    public NAdam {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.weightDecay("nadam", weightDecay, true, false);
        Rules.decay("momentumDecay", momentumDecay);
    }

    public NAdam withBetas(double beta1, double beta2) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    public NAdam withEps(double eps) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    public NAdam withMomentumDecay(double momentumDecay) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    public NAdam withTorch113(boolean torch113) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    @Override
    public NAdam withWeightDecay(WeightDecay weightDecay) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    @Override
    public String name() {
        return torch113 ? "nadam-torch113" : "nadam";
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    /** {@code mu_t}. */
    double mu(long t) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
    }

    /**
     * The step's scalars in double: {@code {eta (1 - mu_t) / (1 - P_t), eta mu_{t+1} / (1 - P_{t+1}), 1 - beta2^t}}.
     * {@code P_t} by a loop over {@code t}: a product with no closed form, cheap beside a pass over the parameters.
     */
    /**
     * The momentum products {@code mu_1 ... mu_t}, kept incrementally per {@code (beta1, psi)}: a
     * Trainer stepping forward pays one multiply a step instead of {@code t} powers. The product is
     * always multiplied in the order {@code 1..t}, so it has the same bits however it was reached.
     */
    private static final class Products {
        private record Key(double beta1, double momentumDecay) {}

        private record Last(long t, double product) {}

        private static final Map<Key, Last> LAST = new ConcurrentHashMap<>();

        static double of(NAdam h, long t) {
            Last last = LAST.compute(new Key(h.beta1, h.momentumDecay), (key, old) -> {
                long from = old != null && old.t() <= t ? old.t() : 0;
                double product = from == 0 ? 1 : old.product();
                for (long i = from + 1; i <= t; i++) product *= h.mu(i);
                return new Last(t, product);
            });
            return last.product();
        }
    }

    double[] coefficients(Step step) {
        long t = step.t();
        double product = Products.of(this, t);
        double mu = mu(t), next = mu(t + 1);
        double productNext = torch113 ? product * mu * next : product * next;
        return new double[] {step.lr() * (1 - mu) / (1 - product), step.lr() * next / (1 - productNext), 1 - Math.pow(beta2, t)};
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double[] c = coefficients(step);
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = beta2 * state[1] + (1 - beta2) * gi * gi;
        double d = Math.sqrt(state[1] / c[2]) + eps;
        return x - c[0] * gi / d - c[1] * state[0] / d;
    }

    /**
     * The body: Adam's moments, then {@code x <- x - now g' / d - ahead m / d} with
     * {@code d = sqrt(v / c2) + eps} and the step's {@link #coefficients}.
     */
    static final class Rule extends MomentRule {
        float now, ahead, c2;

        public Rule() {
            super("m", "v");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, mi = 0f, vi = 0f, d = 0f;
            gi = gradient(i);
            mi = firstMoment(i, gi);
            vi = secondMoment(i, gi);
            d = sqrt(vi / c2) + eps;
            p[i] = p[i] - now * gi / d - ahead * mi / d;
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
        double[] c = coefficients(step);
        Rule k = new Rule();
        k.setStep(step, weightDecay.coupledRate());
        k.setMoments(beta1, beta2, eps);
        k.now = (float) c[0];
        k.ahead = (float) c[1];
        k.c2 = (float) c[2];
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] m, float[] v, int off, int len) {
            float scale = k.scale, clip = k.clip, wd = k.wd, b1 = k.b1, b2 = k.b2, rest1 = k.rest1, rest2 = k.rest2, e = k.eps;
            float now = k.now, ahead = k.ahead, c2 = k.c2;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector mi = Lanes.average(Lanes.load(m, i), b1, gi, rest1);
                FloatVector vi = Lanes.average(Lanes.load(v, i), b2, gi.mul(gi), rest2);
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                FloatVector d = vi.div(c2).sqrt().add(e);
                pv.sub(gi.mul(now).div(d)).sub(mi.mul(ahead).div(d)).intoArray(p, i);
            }
            return end;
        }
    }
}
