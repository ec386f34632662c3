package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Adagrad (section 11.7; Duchi, Hazan and Singer 2011):
 * <pre>
 *   s &lt;- s + g'^2
 *   x &lt;- x - eta g' / sqrt(s + eps)      (the book's code: eps inside the square root)
 *   x &lt;- x - eta g' / (sqrt(s) + eps)    (PyTorch's form: epsInside = false)
 * </pre>
 * with {@code g' = g + lambda x}, and PyTorch's two options: the rate decays as
 * {@code eta / (1 + (t - 1) lr_decay)}, and {@code s} starts at {@code initial_accumulator_value}
 * ({@link #initialState}; the Trainer fills the state with it). Defaults as the book's code:
 * {@code eps = 1e-6} inside, no rate decay, {@code s} zero at the start (PyTorch: eps 1e-10
 * outside, the same otherwise).
 *
 * @param eps                {@code > 0}
 * @param epsInside          eps inside the square root (the book) or added after it (PyTorch)
 * @param lrDecay            {@code >= 0}: PyTorch's {@code lr_decay}
 * @param initialAccumulator {@code >= 0}: PyTorch's {@code initial_accumulator_value}
 * @param weightDecay        {@code lambda >= 0}
 */
public record Adagrad(double eps, boolean epsInside, double lrDecay, double initialAccumulator, WeightDecay weightDecay)
        implements Algorithm {

    public Adagrad {
        Rules.eps("eps", eps);
        Rules.decay("lrDecay", lrDecay);
        Rules.decay("initialAccumulator", initialAccumulator);
        Rules.weightDecay("adagrad", weightDecay, true, false);
    }

    public Adagrad withLrDecay(double lrDecay) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    public Adagrad withInitialAccumulator(double initialAccumulator) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    @Override
    public double initialState(int array) {
        return initialAccumulator;
    }

    /** This step's rate: {@code eta / (1 + (t - 1) lr_decay)}. */
    double rate(Step step) {
        return lrDecay == 0 ? step.lr() : step.lr() / (1 + (step.t() - 1) * lrDecay);
    }

    public Adagrad withEps(double eps) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    public Adagrad withEpsInside(boolean epsInside) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    @Override
    public Adagrad withWeightDecay(WeightDecay weightDecay) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public int stateArrays() {
        return 1;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] += gi * gi;
        return x - rate(step) * gi / (epsInside ? Math.sqrt(state[0] + eps) : Math.sqrt(state[0]) + eps);
    }

    /** The body: {@code s <- s + g'^2}, {@code x <- x - eta_t g' / denominator(s)}. */
    static final class Rule extends UpdateKernel {
        float[] s;
        float eps;
        int epsInside;

        public Rule() {
            super("s");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, si = 0f;
            gi = gradient(i);
            si = s[i] + gi * gi;
            s[i] = si;
            p[i] = p[i] - lr * gi / denominator(si, eps, epsInside);
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

    /** The body with this step's rate {@link #rate} as its {@code lr}. */
    Rule rule(Step step) {
        Rule k = new Rule();
        k.setStep(step, weightDecay.coupledRate());
        k.lr = (float) rate(step);
        k.eps = (float) eps;
        k.epsInside = epsInside ? 1 : 0;
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] s, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, wd = k.wd, e = k.eps;
            boolean inside = k.epsInside != 0;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector si = Lanes.load(s, i).add(gi.mul(gi));
                si.intoArray(s, i);
                pv.sub(gi.mul(lr).div(Lanes.denominator(si, e, inside))).intoArray(p, i);
            }
            return end;
        }
    }
}
