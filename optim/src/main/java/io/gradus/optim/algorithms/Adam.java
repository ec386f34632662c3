package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
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
 * @param weightDecay {@code lambda >= 0}: coupled L2, or AdamW's decoupled decay when {@code decoupled}
 * @param decoupled   AdamW
 * @param amsgrad     AMSGrad's running maximum of {@code v}
 */
public record Adam(double beta1, double beta2, double eps, double weightDecay, boolean decoupled, boolean amsgrad)
        implements Algorithm {

    public Adam {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
    }

    /** The book's defaults: beta1 0.9, beta2 0.999, eps 1e-6, no weight decay. */
    public Adam() {
        this(0.9, 0.999, 1e-6, 0, false, false);
    }

    public Adam withBeta1(double beta1) {
        return new Adam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
    }

    public Adam withBeta2(double beta2) {
        return new Adam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
    }

    public Adam withEps(double eps) {
        return new Adam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
    }

    @Override
    public Adam withWeightDecay(double weightDecay) {
        return new Adam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
    }

    public Adam withDecoupled(boolean decoupled) {
        return new Adam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
    }

    public Adam withAmsgrad(boolean amsgrad) {
        return new Adam(beta1, beta2, eps, weightDecay, decoupled, amsgrad);
    }

    @Override
    public String name() {
        if (decoupled) return amsgrad ? "adamw-amsgrad" : "adamw";
        return amsgrad ? "amsgrad" : "adam";
    }

    @Override
    public int stateArrays() {
        return amsgrad ? 3 : 2;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double eta = step.lr();
        double shrunk = decoupled ? x - eta * weightDecay * x : x;
        double gi = step.gradient(g, x, decoupled ? 0 : weightDecay);
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

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
        float wd = decoupled ? 0f : (float) weightDecay, lrDecay = decoupled ? lr * (float) weightDecay : 0f;
        float b1 = (float) beta1, b2 = (float) beta2, rest1 = 1f - b1, rest2 = 1f - b2, e = (float) eps;
        float c1 = (float) (1 - Math.pow(beta1, step.t())), c2 = (float) (1 - Math.pow(beta2, step.t()));
        float[] m = state[0], v = state[1], vmax = amsgrad ? state[2] : null;
        for (int i = off; i < off + len; i++) {
            float pi = p[i] - lrDecay * p[i];
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float mi = b1 * m[i] + rest1 * gi;
            float vi = b2 * v[i] + rest2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            p[i] = pi - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + e);
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        int end = Simd.update(this, step, p, g, state[0], state[1], amsgrad ? state[2] : null, off, len);
        updateScalar(step, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body ({@code vmax} unused unless AMSGrad). */
    static final String OPENCL = """
            __kernel void adam(__global float* p, __global const float* g, __global float* m, __global float* v,
                               __global float* vmax, const int off, const int n, const float lr, const float scale,
                               const float clip, const float wd, const float lrDecay, const float b1, const float b2,
                               const float rest1, const float rest2, const float eps, const float c1, const float c2,
                               const int amsgrad) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float pi = p[i] - lrDecay * p[i];
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float mi = b1 * m[i] + rest1 * gi;
                float vi = b2 * v[i] + rest2 * (gi * gi);
                m[i] = mi;
                v[i] = vi;
                if (amsgrad) {
                    vi = fmax(vmax[i], vi);
                    vmax[i] = vi;
                }
                p[i] = pi - lr * (mi / c1) / (sqrt(vi / c2) + eps);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        float lr = (float) step.lr(), b1 = (float) beta1, b2 = (float) beta2;
        DeviceRules.kernel(p.context(), OPENCL, "adam").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], state[1],
                amsgrad ? state[2] : state[1], off, len, lr, (float) step.gradScale(), (float) step.clipValue(),
                decoupled ? 0f : (float) weightDecay, decoupled ? lr * (float) weightDecay : 0f, b1, b2, 1f - b1, 1f - b2,
                (float) eps, (float) (1 - Math.pow(beta1, step.t())), (float) (1 - Math.pow(beta2, step.t())), amsgrad ? 1 : 0);
    }

    private static final class Simd {
        static int update(Adam h, Step step, float[] p, float[] g, float[] m, float[] v, float[] vmax, int off, int len) {
            float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
            float wd = h.decoupled ? 0f : (float) h.weightDecay, lrDecay = h.decoupled ? lr * (float) h.weightDecay : 0f;
            float b1 = (float) h.beta1, b2 = (float) h.beta2, rest1 = 1f - b1, rest2 = 1f - b2, e = (float) h.eps;
            float c1 = (float) (1 - Math.pow(h.beta1, step.t())), c2 = (float) (1 - Math.pow(h.beta2, step.t()));
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
