package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * RMSProp (section 11.8; Tieleman and Hinton 2012), plain or centered (Graves 2013):
 * <pre>
 *   s &lt;- gamma s + (1 - gamma) g'^2
 *   m &lt;- gamma m + (1 - gamma) g'          (centered only; the variance is then s - m^2)
 *   x &lt;- x - eta g' / sqrt(s + eps)        (the book's code; sqrt(s) + eps with epsInside = false)
 * </pre>
 * with {@code g' = g + lambda x}. State: {@code s} (and {@code m} when centered), zero at the start.
 * Defaults as the book's code: {@code gamma = 0.9}, {@code eps = 1e-6} inside, not centered.
 *
 * @param gamma       {@code 0 <= gamma < 1}
 * @param eps         {@code > 0}
 * @param epsInside   eps inside the square root (the book) or added after it (PyTorch)
 * @param centered    Graves' centered form
 * @param weightDecay {@code lambda >= 0}
 */
public record RmsProp(double gamma, double eps, boolean epsInside, boolean centered, double weightDecay)
        implements Algorithm {

    public RmsProp {
        Rules.beta("gamma", gamma);
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
    }

    /** The book's defaults: gamma 0.9, eps 1e-6 inside the square root. */
    public RmsProp() {
        this(0.9, 1e-6, true, false, 0);
    }

    public RmsProp withGamma(double gamma) {
        return new RmsProp(gamma, eps, epsInside, centered, weightDecay);
    }

    public RmsProp withEps(double eps) {
        return new RmsProp(gamma, eps, epsInside, centered, weightDecay);
    }

    public RmsProp withEpsInside(boolean epsInside) {
        return new RmsProp(gamma, eps, epsInside, centered, weightDecay);
    }

    public RmsProp withCentered(boolean centered) {
        return new RmsProp(gamma, eps, epsInside, centered, weightDecay);
    }

    @Override
    public RmsProp withWeightDecay(double weightDecay) {
        return new RmsProp(gamma, eps, epsInside, centered, weightDecay);
    }

    @Override
    public String name() {
        return centered ? "rmsprop-centered" : "rmsprop";
    }

    @Override
    public int stateArrays() {
        return centered ? 2 : 1;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay);
        state[0] = gamma * state[0] + (1 - gamma) * gi * gi;
        double var = state[0];
        if (centered) {
            state[1] = gamma * state[1] + (1 - gamma) * gi;
            var -= state[1] * state[1];
        }
        return x - step.lr() * gi / (epsInside ? Math.sqrt(var + eps) : Math.sqrt(var) + eps);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
        float wd = (float) weightDecay, decay = (float) gamma, rest = 1f - decay, e = (float) eps;
        float[] s = state[0], m = centered ? state[1] : null;
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float si = decay * s[i] + rest * (gi * gi);
            s[i] = si;
            float var = si;
            if (m != null) {
                float mi = decay * m[i] + rest * gi;
                m[i] = mi;
                var = si - mi * mi;
            }
            p[i] = p[i] - lr * gi / Rules.denominator(var, e, epsInside);
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        int end = Simd.update(this, step, p, g, state[0], centered ? state[1] : null, off, len);
        updateScalar(step, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body ({@code m} unused unless centered). */
    static final String OPENCL = """
            __kernel void rmsprop(__global float* p, __global const float* g, __global float* s, __global float* m,
                                  const int off, const int n, const float lr, const float scale, const float clip,
                                  const float wd, const float decay, const float rest, const float eps,
                                  const int epsInside, const int centered) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float si = decay * s[i] + rest * (gi * gi);
                s[i] = si;
                float var = si;
                if (centered) {
                    float mi = decay * m[i] + rest * gi;
                    m[i] = mi;
                    var = si - mi * mi;
                }
                p[i] = p[i] - lr * gi / denominator(var, eps, epsInside);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        float decay = (float) gamma;
        DeviceRules.kernel(p.context(), OPENCL, "rmsprop").launchInGroups(len, DeviceRules.GROUP, p, g, state[0],
                centered ? state[1] : state[0], off, len, (float) step.lr(), (float) step.gradScale(),
                (float) step.clipValue(), (float) weightDecay, decay, 1f - decay, (float) eps, epsInside ? 1 : 0,
                centered ? 1 : 0);
    }

    private static final class Simd {
        static int update(RmsProp h, Step step, float[] p, float[] g, float[] s, float[] m, int off, int len) {
            float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
            float wd = (float) h.weightDecay, decay = (float) h.gamma, rest = 1f - decay, e = (float) h.eps;
            boolean inside = h.epsInside;
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
                pv.sub(gi.mul(lr).div(Lanes.denominator(var, e, inside))).intoArray(p, i);
            }
            return end;
        }
    }
}
