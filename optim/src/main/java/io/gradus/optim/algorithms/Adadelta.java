package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Adadelta (section 11.9; Zeiler 2012), as the book's code computes it (its printed formula
 * updates {@code delta} with {@code x^2}; the code, which the printed losses come from, with the
 * rescaled gradient):
 * <pre>
 *   s     &lt;- rho s + (1 - rho) g'^2
 *   u      = sqrt(delta + eps) / sqrt(s + eps) * g'
 *   x     &lt;- x - u
 *   delta &lt;- rho delta + (1 - rho) u^2
 * </pre>
 * with {@code g' = g + lambda x}. No learning rate: the step's rate is ignored. State: {@code s},
 * {@code delta}, zero at the start. Defaults as the book's code: {@code rho = 0.9}, {@code eps = 1e-5}.
 *
 * @param rho         {@code 0 <= rho < 1}
 * @param eps         {@code > 0}
 * @param weightDecay {@code lambda >= 0}
 */
public record Adadelta(double rho, double eps, WeightDecay weightDecay) implements Algorithm {

    public Adadelta {
        Rules.beta("rho", rho);
        Rules.eps("eps", eps);
        Rules.weightDecay("adadelta", weightDecay, true, false);
    }

    public Adadelta withRho(double rho) {
        return new Adadelta(rho, eps, weightDecay);
    }

    public Adadelta withEps(double eps) {
        return new Adadelta(rho, eps, weightDecay);
    }

    @Override
    public Adadelta withWeightDecay(WeightDecay weightDecay) {
        return new Adadelta(rho, eps, weightDecay);
    }

    @Override
    public String name() {
        return "adadelta";
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = rho * state[0] + (1 - rho) * gi * gi;
        double u = Math.sqrt(state[1] + eps) / Math.sqrt(state[0] + eps) * gi;
        state[1] = rho * state[1] + (1 - rho) * u * u;
        return x - u;
    }

    /**
     * The body: {@code s <- rho s + (1 - rho) g'^2}, {@code u = sqrt(delta + eps) / sqrt(s + eps) g'},
     * {@code x <- x - u}, {@code delta <- rho delta + (1 - rho) u^2}.
     */
    static final class Rule extends UpdateKernel {
        float[] s, delta;
        float decay, rest, eps;

        public Rule() {
            super("s", "delta");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, si = 0f, u = 0f;
            gi = gradient(i);
            si = decay * s[i] + rest * (gi * gi);
            s[i] = si;
            u = sqrt(delta[i] + eps) / sqrt(si + eps) * gi;
            p[i] = p[i] - u;
            delta[i] = decay * delta[i] + rest * (u * u);
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
        k.decay = (float) rho;
        k.rest = (float) (1 - rho);
        k.eps = (float) eps;
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] s, float[] delta, int off, int len) {
            float scale = k.scale, clip = k.clip, wd = k.wd, decay = k.decay, rest = k.rest, e = k.eps;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector si = Lanes.average(Lanes.load(s, i), decay, gi.mul(gi), rest);
                si.intoArray(s, i);
                FloatVector di = Lanes.load(delta, i);
                FloatVector u = di.add(e).sqrt().div(si.add(e).sqrt()).mul(gi);
                pv.sub(u).intoArray(p, i);
                Lanes.average(di, decay, u.mul(u), rest).intoArray(delta, i);
            }
            return end;
        }
    }
}
