package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Adamax (Kingma and Ba 2014, section 7.1): Adam with the infinity norm in place of the second
 * moment.
 * <pre>
 *   m &lt;- beta1 m + (1 - beta1) g'
 *   u &lt;- max(beta2 u, |g'| + eps)               (PyTorch's form, the default: epsInMax)
 *   u &lt;- max(beta2 u, |g'|), denominator u + eps (the paper's max without eps; eps keeps 0/0 away)
 *   x &lt;- x - (eta / (1 - beta1^t)) m / u
 * </pre>
 * with {@code g' = g + lambda x}. State: {@code m}, {@code u}, zero at the start. Defaults as
 * PyTorch's {@code Adamax}: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8}
 * inside the max (the paper suggests {@code eta = 0.002}; PyTorch's default learning rate too).
 *
 * @param beta1       {@code 0 <= beta1 < 1}
 * @param beta2       {@code 0 <= beta2 < 1}
 * @param eps         {@code > 0}
 * @param weightDecay {@code lambda >= 0} (coupled L2, as PyTorch)
 * @param epsInMax    eps inside the max (PyTorch) or added to the denominator (the paper, with eps)
 */
public record Adamax(double beta1, double beta2, double eps, WeightDecay weightDecay, boolean epsInMax) implements Algorithm {

    public Adamax {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.weightDecay("adamax", weightDecay, true, false);
    }

    public Adamax withBetas(double beta1, double beta2) {
        return new Adamax(beta1, beta2, eps, weightDecay, epsInMax);
    }

    public Adamax withEps(double eps) {
        return new Adamax(beta1, beta2, eps, weightDecay, epsInMax);
    }

    public Adamax withEpsInMax(boolean epsInMax) {
        return new Adamax(beta1, beta2, eps, weightDecay, epsInMax);
    }

    @Override
    public Adamax withWeightDecay(WeightDecay weightDecay) {
        return new Adamax(beta1, beta2, eps, weightDecay, epsInMax);
    }

    @Override
    public String name() {
        return "adamax";
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = Math.max(beta2 * state[1], Math.abs(gi) + (epsInMax ? eps : 0));
        double u = epsInMax ? state[1] : state[1] + eps;
        return x - step.lr() / (1 - Math.pow(beta1, step.t())) * state[0] / u;
    }

    /**
     * The body: {@code m <- beta1 m + (1 - beta1) g'}, {@code u <- max(beta2 u, |g'| + inMax)},
     * {@code x <- x - clr m / (u + after)} with {@code clr = eta / (1 - beta1^t)}.
     */
    static final class Rule extends MomentRule {
        float inMax, after, clr;

        public Rule() {
            super("m", "v"); // v holds Adamax's u
        }

        @Override
        public void apply(int i) {
            float gi = 0f, mi = 0f, ui = 0f;
            gi = gradient(i);
            mi = firstMoment(i, gi);
            ui = max(b2 * v[i], abs(gi) + inMax);
            v[i] = ui;
            p[i] = p[i] - clr * mi / (ui + after);
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
        k.inMax = epsInMax ? (float) eps : 0f;
        k.after = epsInMax ? 0f : (float) eps;
        k.clr = (float) (step.lr() / (1 - Math.pow(beta1, step.t())));
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] m, float[] u, int off, int len) {
            float scale = k.scale, clip = k.clip, wd = k.wd, b1 = k.b1, b2 = k.b2, rest1 = k.rest1;
            float inMax = k.inMax, after = k.after, clr = k.clr;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector mi = Lanes.average(Lanes.load(m, i), b1, gi, rest1);
                FloatVector ui = Lanes.load(u, i).mul(b2).max(gi.abs().add(inMax));
                mi.intoArray(m, i);
                ui.intoArray(u, i);
                pv.sub(mi.mul(clr).div(ui.add(after))).intoArray(p, i);
            }
            return end;
        }
    }
}
