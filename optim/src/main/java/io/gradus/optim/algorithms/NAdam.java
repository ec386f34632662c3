package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
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
public record NAdam(double beta1, double beta2, double eps, double weightDecay, double momentumDecay, boolean torch113)
        implements Algorithm {

    public NAdam {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
        Rules.decay("momentumDecay", momentumDecay);
    }

    /** PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8, momentum decay 0.004; the paper's P_{t+1}. */
    public NAdam() {
        this(0.9, 0.999, 1e-8, 0, 0.004, false);
    }

    public NAdam withBetas(double beta1, double beta2) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    public NAdam withMomentumDecay(double momentumDecay) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    public NAdam withTorch113(boolean torch113) {
        return new NAdam(beta1, beta2, eps, weightDecay, momentumDecay, torch113);
    }

    @Override
    public NAdam withWeightDecay(double weightDecay) {
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
    double[] coefficients(Step step) {
        long t = step.t();
        double product = 1;
        for (long i = 1; i <= t; i++) product *= mu(i);
        double mu = mu(t), next = mu(t + 1);
        double productNext = torch113 ? product * mu * next : product * next;
        return new double[] {step.lr() * (1 - mu) / (1 - product), step.lr() * next / (1 - productNext), 1 - Math.pow(beta2, t)};
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double[] c = coefficients(step);
        double gi = step.gradient(g, x, weightDecay);
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = beta2 * state[1] + (1 - beta2) * gi * gi;
        double d = Math.sqrt(state[1] / c[2]) + eps;
        return x - c[0] * gi / d - c[1] * state[0] / d;
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        updateScalar(step, coefficients(step), p, g, state, off, len);
    }

    private void updateScalar(Step step, double[] c, float[] p, float[] g, float[][] state, int off, int len) {
        float scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) weightDecay;
        float b1 = (float) beta1, b2 = (float) beta2, rest1 = 1f - b1, rest2 = 1f - b2, e = (float) eps;
        float now = (float) c[0], ahead = (float) c[1], c2 = (float) c[2];
        float[] m = state[0], v = state[1];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float mi = b1 * m[i] + rest1 * gi;
            float vi = b2 * v[i] + rest2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float d = (float) Math.sqrt(vi / c2) + e;
            p[i] = p[i] - now * gi / d - ahead * mi / d;
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        double[] c = coefficients(step);
        int end = Simd.update(this, step, c, p, g, state[0], state[1], off, len);
        updateScalar(step, c, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body. */
    static final String OPENCL = """
            __kernel void nadam(__global float* p, __global const float* g, __global float* m, __global float* v,
                                const int off, const int n, const float now, const float ahead, const float c2,
                                const float scale, const float clip, const float wd, const float b1, const float b2,
                                const float rest1, const float rest2, const float eps) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float mi = b1 * m[i] + rest1 * gi;
                float vi = b2 * v[i] + rest2 * (gi * gi);
                m[i] = mi;
                v[i] = vi;
                float d = sqrt(vi / c2) + eps;
                p[i] = p[i] - now * gi / d - ahead * mi / d;
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        double[] c = coefficients(step);
        float b1 = (float) beta1, b2 = (float) beta2;
        DeviceRules.kernel(p.context(), OPENCL, "nadam").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], state[1],
                off, len, (float) c[0], (float) c[1], (float) c[2], (float) step.gradScale(), (float) step.clipValue(),
                (float) weightDecay, b1, b2, 1f - b1, 1f - b2, (float) eps);
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(NAdam h, Step step, double[] c, float[] p, float[] g, float[] m, float[] v, int off, int len) {
            float scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) h.weightDecay;
            float b1 = (float) h.beta1, b2 = (float) h.beta2, rest1 = 1f - b1, rest2 = 1f - b2, e = (float) h.eps;
            float now = (float) c[0], ahead = (float) c[1], c2 = (float) c[2];
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
