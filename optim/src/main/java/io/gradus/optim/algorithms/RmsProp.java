package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * RMSProp (section 11.8; Tieleman and Hinton 2012), plain or centered (Graves 2013):
 * <pre>
 *   s &lt;- gamma s + (1 - gamma) g'^2
 *   m &lt;- gamma m + (1 - gamma) g'          (centered only; the variance is then s - m^2)
 *   x &lt;- x - eta g' / sqrt(s + eps)        (the book's code; sqrt(s) + eps with epsInside = false)
 *   b &lt;- mu b + g' / sqrt(s + eps),  x &lt;- x - eta b    (with PyTorch's momentum mu &gt; 0)
 * </pre>
 * with {@code g' = g + lambda x}. State: {@code s}, then {@code m} when centered, then {@code b}
 * when {@code mu > 0}, zero at the start. Defaults as the book's code: {@code gamma = 0.9},
 * {@code eps = 1e-6} inside, not centered, no momentum (PyTorch's defaults: eps 1e-8 outside, gamma
 * 0.99, the same otherwise).
 *
 * @param gamma       {@code 0 <= gamma < 1} (PyTorch's {@code alpha})
 * @param eps         {@code > 0}
 * @param epsInside   eps inside the square root (the book) or added after it (PyTorch)
 * @param centered    Graves' centered form
 * @param momentum    {@code 0 <= mu < 1}: PyTorch's {@code momentum} on the scaled gradient
 * @param weightDecay {@code lambda >= 0}
 */
public record RmsProp(double gamma, double eps, boolean epsInside, boolean centered, double momentum, WeightDecay weightDecay)
        implements Algorithm {

    public RmsProp {
        Rules.beta("gamma", gamma);
        Rules.eps("eps", eps);
        Rules.beta("momentum", momentum);
        Rules.weightDecay("rmsprop", weightDecay, true, false);
    }

    public RmsProp withMomentum(double momentum) {
        return new RmsProp(gamma, eps, epsInside, centered, momentum, weightDecay);
    }

    public RmsProp withGamma(double gamma) {
        return new RmsProp(gamma, eps, epsInside, centered, momentum, weightDecay);
    }

    public RmsProp withEps(double eps) {
        return new RmsProp(gamma, eps, epsInside, centered, momentum, weightDecay);
    }

    public RmsProp withEpsInside(boolean epsInside) {
        return new RmsProp(gamma, eps, epsInside, centered, momentum, weightDecay);
    }

    public RmsProp withCentered(boolean centered) {
        return new RmsProp(gamma, eps, epsInside, centered, momentum, weightDecay);
    }

    @Override
    public RmsProp withWeightDecay(WeightDecay weightDecay) {
        return new RmsProp(gamma, eps, epsInside, centered, momentum, weightDecay);
    }

    @Override
    public String name() {
        return centered ? "rmsprop-centered" : "rmsprop";
    }

    @Override
    public int stateArrays() {
        return 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
    }

    /** The index of the momentum buffer {@code b} among the state arrays. */
    private int bufferIndex() {
        return centered ? 2 : 1;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = gamma * state[0] + (1 - gamma) * gi * gi;
        double var = state[0];
        if (centered) {
            state[1] = gamma * state[1] + (1 - gamma) * gi;
            var -= state[1] * state[1];
        }
        double scaled = gi / (epsInside ? Math.sqrt(var + eps) : Math.sqrt(var) + eps);
        if (momentum > 0) {
            int b = bufferIndex();
            state[b] = momentum * state[b] + scaled;
            return x - step.lr() * state[b];
        }
        return x - step.lr() * scaled;
    }

    /**
     * The body: {@code s <- gamma s + (1 - gamma) g'^2} (and the centered mean {@code m}), then the
     * step, through PyTorch's momentum buffer {@code b} when {@code mu > 0}.
     */
    static final class Rule extends UpdateKernel {
        float[] s, m, b;
        float decay, rest, eps, mu;
        int epsInside, centered;

        public Rule() {
            super("s");
        }

        Rule(String... stateFields) {
            super(stateFields);
        }

        @Override
        public void apply(int i) {
            float gi = 0f, si = 0f, var = 0f, mi = 0f, bi = 0f;
            gi = gradient(i);
            si = decay * s[i] + rest * (gi * gi);
            s[i] = si;
            var = si;
            if (centered != 0) {
                mi = decay * m[i] + rest * gi;
                m[i] = mi;
                var = si - mi * mi;
            }
            if (mu > 0f) {
                bi = mu * b[i] + gi / denominator(var, eps, epsInside);
                b[i] = bi;
                p[i] = p[i] - lr * bi;
            } else {
                p[i] = p[i] - lr * gi / denominator(var, eps, epsInside);
            }
        }

        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.update(this, p, g, state[0], centered != 0 ? state[1] : null, mu > 0f ? state[centered != 0 ? 2 : 1] : null, off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    Rule rule(Step step) {
        Rule k = centered ? (momentum > 0 ? new Rule("s", "m", "b") : new Rule("s", "m")) : (momentum > 0 ? new Rule("s", "b") : new Rule());
        k.setStep(step, weightDecay.coupledRate());
        k.decay = (float) gamma;
        k.rest = (float) (1 - gamma);
        k.eps = (float) eps;
        k.mu = (float) momentum;
        k.epsInside = epsInside ? 1 : 0;
        k.centered = centered ? 1 : 0;
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] s, float[] m, float[] b, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, wd = k.wd, decay = k.decay, rest = k.rest, e = k.eps, mu = k.mu;
            boolean inside = k.epsInside != 0;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector si = Lanes.average(Lanes.load(s, i), decay, gi.mul(gi), rest);
                si.intoArray(s, i);
                FloatVector var = si;
                if (m != null) {
                    FloatVector mi = Lanes.average(Lanes.load(m, i), decay, gi, rest);
                    mi.intoArray(m, i);
                    var = si.sub(mi.mul(mi));
                }
                if (b != null) {
                    FloatVector bi = Lanes.load(b, i).mul(mu).add(gi.div(Lanes.denominator(var, e, inside)));
                    bi.intoArray(b, i);
                    pv.sub(bi.mul(lr)).intoArray(p, i);
                } else {
                    pv.sub(gi.mul(lr).div(Lanes.denominator(var, e, inside))).intoArray(p, i);
                }
            }
            return end;
        }
    }
}
