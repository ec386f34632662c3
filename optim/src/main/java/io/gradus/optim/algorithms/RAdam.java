package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
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
public record RAdam(double beta1, double beta2, double eps, double weightDecay, double threshold) implements Algorithm {

    public RAdam {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
        if (!(threshold >= 4 && threshold <= 1e6)) {
            throw new IllegalArgumentException("threshold = " + threshold + ": expected 4 <= threshold (5 is PyTorch's, 4 the paper's)");
        }
    }

    /** PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8, threshold 5. */
    public RAdam() {
        this(0.9, 0.999, 1e-8, 0, 5);
    }

    public RAdam withBetas(double beta1, double beta2) {
        return new RAdam(beta1, beta2, eps, weightDecay, threshold);
    }

    public RAdam withThreshold(double threshold) {
        return new RAdam(beta1, beta2, eps, weightDecay, threshold);
    }

    @Override
    public RAdam withWeightDecay(double weightDecay) {
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
        double gi = step.gradient(g, x, weightDecay);
        state[0] = beta1 * state[0] + (1 - beta1) * gi;
        state[1] = beta2 * state[1] + (1 - beta2) * gi * gi;
        double mHat = state[0] / c[0];
        return c[1] < 0 ? x + c[1] * mHat : x - c[1] * mHat / (Math.sqrt(state[1]) + eps);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        updateScalar(step, coefficients(step), p, g, state, off, len);
    }

    private void updateScalar(Step step, double[] c, float[] p, float[] g, float[][] state, int off, int len) {
        float scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) weightDecay;
        float b1 = (float) beta1, b2 = (float) beta2, rest1 = 1f - b1, rest2 = 1f - b2, e = (float) eps;
        float c1 = (float) c[0], k = (float) c[1];
        boolean rectified = k >= 0;
        float[] m = state[0], v = state[1];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float mi = b1 * m[i] + rest1 * gi;
            float vi = b2 * v[i] + rest2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            p[i] = rectified ? p[i] - k * (mi / c1) / ((float) Math.sqrt(vi) + e) : p[i] + k * (mi / c1);
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
            __kernel void radam(__global float* p, __global const float* g, __global float* m, __global float* v,
                                const int off, const int n, const float c1, const float k, const float scale,
                                const float clip, const float wd, const float b1, const float b2, const float rest1,
                                const float rest2, const float eps) {
                int j = get_global_id(0);
                if (j >= n) return;
                int i = off + j;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float mi = b1 * m[i] + rest1 * gi;
                float vi = b2 * v[i] + rest2 * (gi * gi);
                m[i] = mi;
                v[i] = vi;
                p[i] = k >= 0.0f ? p[i] - k * (mi / c1) / (sqrt(vi) + eps) : p[i] + k * (mi / c1);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        double[] c = coefficients(step);
        float b1 = (float) beta1, b2 = (float) beta2;
        DeviceRules.kernel(p.context(), OPENCL, "radam").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], state[1],
                off, len, (float) c[0], (float) c[1], (float) step.gradScale(), (float) step.clipValue(),
                (float) weightDecay, b1, b2, 1f - b1, 1f - b2, (float) eps);
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(RAdam h, Step step, double[] c, float[] p, float[] g, float[] m, float[] v, int off, int len) {
            float scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) h.weightDecay;
            float b1 = (float) h.beta1, b2 = (float) h.beta2, rest1 = 1f - b1, rest2 = 1f - b2, e = (float) h.eps;
            float c1 = (float) c[0], k = (float) c[1];
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
