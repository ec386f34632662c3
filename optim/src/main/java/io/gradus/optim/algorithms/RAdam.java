package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * RAdam (Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond"): Adam whose
 * adaptive rate is switched on only once the variance of {@code v} is tractable, and then
 * rectified.
 * <pre>
 *   m &lt;- beta1 m + (1 - beta1) g';   v &lt;- beta2 v + (1 - beta2) g'^2
 *   rho_inf = 2 / (1 - beta2) - 1;    rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
 *   rho_t &gt; threshold:  r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *                       x &lt;- x - eta r_t (m / (1 - beta1^t)) sqrt(1 - beta2^t) / (sqrt(v) + eps)
 *   otherwise:          x &lt;- x - eta m / (1 - beta1^t)         (un-rectified: SGD with momentum)
 * </pre>
 * with {@code g' = g + lambda x}; {@code rho_t} and {@code r_t} are per-step scalars computed on
 * the host in double. The threshold is 5 in PyTorch (the default) and in the authors' code; the
 * paper's Algorithm 2 says 4 (at 4 the rectification term is 0, so the two differ in one step at most).
 * Defaults as PyTorch: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8}.
 *
 * @param beta1       {@code 0 <= beta1 < 1}
 * @param beta2       {@code 0 <= beta2 < 1}
 * @param eps         {@code > 0}
 * @param weightDecay {@code lambda >= 0} (coupled L2, as PyTorch 1.13)
 * @param threshold   {@code rho_t} above which the adaptive rate is used: 5 (PyTorch) or 4 (the paper)
 */
public record RAdam(double beta1, double beta2, double eps, WeightDecay weightDecay, double threshold) implements Algorithm {

    public RAdam {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.weightDecay("radam", weightDecay, true, false);
        if (!(threshold >= 4 && threshold <= 1e6)) {
            throw new IllegalArgumentException("threshold = " + threshold + ": expected 4 <= threshold (5 is PyTorch's, 4 the paper's)");
        }
    }

    public RAdam withBetas(double beta1, double beta2) {
        return new RAdam(beta1, beta2, eps, weightDecay, threshold);
    }

    public RAdam withEps(double eps) {
        return new RAdam(beta1, beta2, eps, weightDecay, threshold);
    }

    public RAdam withThreshold(double threshold) {
        return new RAdam(beta1, beta2, eps, weightDecay, threshold);
    }

    @Override
    public RAdam withWeightDecay(WeightDecay weightDecay) {
        return new RAdam(beta1, beta2, eps, weightDecay, threshold);
    }

    @Override
    public String name() {
        return "radam";
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    /**
     * The step's scalars: {@code {1 - beta1^t, k}} with {@code k = eta r_t sqrt(1 - beta2^t)} when
     * rectified, or {@code {1 - beta1^t, -eta}} (negative: the un-rectified step) otherwise.
     */
    double[] coefficients(Step step) {
        long t = step.t();
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        double rhoInf = 2 / (1 - beta2) - 1, rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / c2;
        if (!(rhoT > threshold)) return new double[] {c1, -step.lr()};
        double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        return new double[] {c1, step.lr() * r * Math.sqrt(c2)};
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double[] c = coefficients(step);
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = beta2 * state[1] + (1 - beta2) * gi * gi;
        double mHat = state[0] / c[0];
        return c[1] < 0 ? x + c[1] * mHat : x - c[1] * mHat / (Math.sqrt(state[1]) + eps);
    }

    /**
     * The body: Adam's moments, then the rectified step {@code x <- x - rate (m / c1) / (sqrt(v) + eps)}
     * when {@code rate >= 0}, or the unadapted one {@code x <- x + rate (m / c1)} (the step's
     * {@link #coefficients} carry the choice in the sign of {@code rate}).
     */
    static final class Rule extends MomentRule {
        float c1, rate;

        public Rule() {
            super("m", "v");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, mi = 0f, vi = 0f;
            gi = gradient(i);
            mi = firstMoment(i, gi);
            vi = secondMoment(i, gi);
            p[i] = rate >= 0f ? p[i] - rate * (mi / c1) / (sqrt(vi) + eps) : p[i] + rate * (mi / c1);
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
        k.c1 = (float) c[0];
        k.rate = (float) c[1];
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule h, float[] p, float[] g, float[] m, float[] v, int off, int len) {
            float scale = h.scale, clip = h.clip, wd = h.wd, b1 = h.b1, b2 = h.b2, rest1 = h.rest1, rest2 = h.rest2, e = h.eps;
            float c1 = h.c1, k = h.rate;
            boolean rectified = k >= 0;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector mi = Lanes.average(Lanes.load(m, i), b1, gi, rest1);
                FloatVector vi = Lanes.average(Lanes.load(v, i), b2, gi.mul(gi), rest2);
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                FloatVector mHat = mi.div(c1).mul(k);
                (rectified ? pv.sub(mHat.div(vi.sqrt().add(e))) : pv.add(mHat)).intoArray(p, i);
            }
            return end;
        }
    }
}
