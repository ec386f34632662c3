package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Adam (section 11.10; Kingma and Ba 2014), with AMSGrad (Reddi, Kale and Kumar 2018) and AdamW's
 * decoupled weight decay (Loshchilov and Hutter 2019) as options:
 * <pre>
 *   x &lt;- x - eta lambda x                       (AdamW only: decoupled, before the step)
 *   m &lt;- beta1 m + (1 - beta1) g'
 *   v &lt;- beta2 v + (1 - beta2) g'^2
 *   v &lt;- vmax &lt;- max(vmax, v)                   (AMSGrad only)
 *   x &lt;- x - eta (m / c1) / (sqrt(v / c2) + eps)   with c1 = 1 - beta1^t, c2 = 1 - beta2^t
 * </pre>
 * with {@code g' = g + lambda x} when the decay is coupled (plain Adam's L2) and {@code g' = g} for
 * AdamW. The bias corrections {@code c1, c2} are computed once per step in double precision. State:
 * {@code m}, {@code v} (and {@code vmax} for AMSGrad), zero at the start. Defaults as the book's
 * code: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-6} outside the square root.
 *
 * @param beta1       {@code 0 <= beta1 < 1}
 * @param beta2       {@code 0 <= beta2 < 1}
 * @param eps         {@code > 0}
 * @param weightDecay coupled L2 ({@code g' = g + lambda x}), or AdamW's decoupled decay, or none
 * @param amsgrad     AMSGrad's running maximum of {@code v}
 */
public record Adam(double beta1, double beta2, double eps, WeightDecay weightDecay, boolean amsgrad) implements Algorithm {

    public Adam {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.weightDecay("adam", weightDecay, true, true);
    }

    public Adam withBetas(double beta1, double beta2) {
        return new Adam(beta1, beta2, eps, weightDecay, amsgrad);
    }

    public Adam withEps(double eps) {
        return new Adam(beta1, beta2, eps, weightDecay, amsgrad);
    }

    /** Coupled L2 (Adam's {@code weight_decay}) or decoupled (AdamW). */
    @Override
    public Adam withWeightDecay(WeightDecay weightDecay) {
        return new Adam(beta1, beta2, eps, weightDecay, amsgrad);
    }

    public Adam withAmsgrad(boolean amsgrad) {
        return new Adam(beta1, beta2, eps, weightDecay, amsgrad);
    }

    /** The components, with the decay as {@code weightDecay} (its lambda) and {@code decoupled} (its kind). */
    @Override
    public java.util.Map<String, Object> hyperparameters() {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("beta1", beta1);
        out.put("beta2", beta2);
        out.put("eps", eps);
        out.put("weightDecay", weightDecay.lambda());
        out.put("decoupled", weightDecay.isDecoupled());
        out.put("amsgrad", amsgrad);
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String name() {
        if (weightDecay.isDecoupled()) return amsgrad ? "adamw-amsgrad" : "adamw";
        return amsgrad ? "amsgrad" : "adam";
    }

    @Override
    public int stateArrays() {
        return amsgrad ? 3 : 2;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double eta = step.lr();
        double shrunk = weightDecay.isDecoupled() ? x - eta * weightDecay.decoupledRate() * x : x;
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = beta2 * state[1] + (1 - beta2) * gi * gi;
        double v = state[1];
        if (amsgrad) {
            state[2] = Math.max(state[2], state[1]);
            v = state[2];
        }
        double mHat = state[0] / (1 - Math.pow(beta1, step.t())), vHat = v / (1 - Math.pow(beta2, step.t()));
        return shrunk - eta * mHat / (Math.sqrt(vHat) + eps);
    }

    /**
     * The body: AdamW's decoupled shrink {@code x - lrDecay x} ({@code lrDecay = eta lambda}, rounded
     * once), the moments, AMSGrad's maximum, then {@code x <- x - eta (m / c1) / (sqrt(v / c2) + eps)}.
     */
    static final class Rule extends MomentRule {
        float[] vmax;
        float lrDecay, c1, c2;
        int amsgrad;

        public Rule() {
            super("m", "v");
        }

        Rule(String... stateFields) {
            super(stateFields);
        }

        @Override
        public void apply(int i) {
            float pi = 0f, gi = 0f, mi = 0f, vi = 0f;
            pi = p[i] - lrDecay * p[i];
            gi = gradient(i);
            mi = firstMoment(i, gi);
            vi = secondMoment(i, gi);
            if (amsgrad != 0) {
                vi = max(vmax[i], vi);
                vmax[i] = vi;
            }
            p[i] = pi - lr * (mi / c1) / (sqrt(vi / c2) + eps);
        }

        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.update(this, p, g, state[0], state[1], amsgrad != 0 ? state[2] : null, off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    Rule rule(Step step) {
        Rule k = amsgrad ? new Rule("m", "v", "vmax") : new Rule();
        k.setStep(step, weightDecay.coupledRate());
        k.lrDecay = weightDecay.isDecoupled() ? (float) (step.lr() * weightDecay.decoupledRate()) : 0f;
        k.setMoments(beta1, beta2, eps);
        k.c1 = (float) (1 - Math.pow(beta1, step.t()));
        k.c2 = (float) (1 - Math.pow(beta2, step.t()));
        k.amsgrad = amsgrad ? 1 : 0;
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] m, float[] v, float[] vmax, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, wd = k.wd, lrDecay = k.lrDecay;
            float b1 = k.b1, b2 = k.b2, rest1 = k.rest1, rest2 = k.rest2, e = k.eps, c1 = k.c1, c2 = k.c2;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector shrunk = pv.sub(pv.mul(lrDecay));
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector mi = Lanes.average(Lanes.load(m, i), b1, gi, rest1);
                FloatVector vi = Lanes.average(Lanes.load(v, i), b2, gi.mul(gi), rest2);
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                if (vmax != null) {
                    vi = Lanes.load(vmax, i).max(vi);
                    vi.intoArray(vmax, i);
                }
                shrunk.sub(mi.div(c1).mul(lr).div(vi.div(c2).sqrt().add(e))).intoArray(p, i);
            }
            return end;
        }
    }
}
