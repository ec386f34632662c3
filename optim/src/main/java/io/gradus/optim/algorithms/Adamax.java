package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
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
public record Adamax(double beta1, double beta2, double eps, double weightDecay, boolean epsInMax) implements Algorithm {

    public Adamax {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
    }

    /** PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8 inside the max. */
    public Adamax() {
        this(0.9, 0.999, 1e-8, 0, true);
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
    public Adamax withWeightDecay(double weightDecay) {
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
        double gi = step.gradient(g, x, weightDecay);
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = Math.max(beta2 * state[1], Math.abs(gi) + (epsInMax ? eps : 0));
        double u = epsInMax ? state[1] : state[1] + eps;
        return x - step.lr() / (1 - Math.pow(beta1, step.t())) * state[0] / u;
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        float scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) weightDecay;
        float b1 = (float) beta1, b2 = (float) beta2, rest1 = 1f - b1;
        float inMax = epsInMax ? (float) eps : 0f, after = epsInMax ? 0f : (float) eps;
        float clr = (float) (step.lr() / (1 - Math.pow(beta1, step.t())));
        float[] m = state[0], u = state[1];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float mi = b1 * m[i] + rest1 * gi;
            float ui = Math.max(b2 * u[i], Math.abs(gi) + inMax);
            m[i] = mi;
            u[i] = ui;
            p[i] = p[i] - clr * mi / (ui + after);
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        int end = Simd.update(this, step, p, g, state[0], state[1], off, len);
        updateScalar(step, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body. */
    static final String OPENCL = """
            __kernel void adamax(__global float* p, __global const float* g, __global float* m, __global float* u,
                                 const int off, const int n, const float clr, const float scale, const float clip,
                                 const float wd, const float b1, const float b2, const float rest1,
                                 const float inMax, const float after) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float mi = b1 * m[i] + rest1 * gi;
                float ui = fmax(b2 * u[i], fabs(gi) + inMax);
                m[i] = mi;
                u[i] = ui;
                p[i] = p[i] - clr * mi / (ui + after);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        float b1 = (float) beta1;
        DeviceRules.kernel(p.context(), OPENCL, "adamax").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], state[1],
                off, len, (float) (step.lr() / (1 - Math.pow(beta1, step.t()))), (float) step.gradScale(),
                (float) step.clipValue(), (float) weightDecay, b1, (float) beta2, 1f - b1,
                epsInMax ? (float) eps : 0f, epsInMax ? 0f : (float) eps);
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Adamax h, Step step, float[] p, float[] g, float[] m, float[] u, int off, int len) {
            float scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) h.weightDecay;
            float b1 = (float) h.beta1, b2 = (float) h.beta2, rest1 = 1f - b1;
            float inMax = h.epsInMax ? (float) h.eps : 0f, after = h.epsInMax ? 0f : (float) h.eps;
            float clr = (float) (step.lr() / (1 - Math.pow(h.beta1, step.t())));
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
