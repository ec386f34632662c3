package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
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
public record Adagrad(double eps, boolean epsInside, double lrDecay, double initialAccumulator, double weightDecay)
        implements Algorithm {

    public Adagrad {
        Rules.eps("eps", eps);
        Rules.decay("lrDecay", lrDecay);
        Rules.decay("initialAccumulator", initialAccumulator);
        Rules.decay("weightDecay", weightDecay);
    }

    /** Without rate decay, {@code s} starting at zero. */
    public Adagrad(double eps, boolean epsInside, double weightDecay) {
        this(eps, epsInside, 0, 0, weightDecay);
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

    /** The book's defaults: eps 1e-6 inside the square root. */
    public Adagrad() {
        this(1e-6, true, 0);
    }

    public Adagrad withEps(double eps) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    public Adagrad withEpsInside(boolean epsInside) {
        return new Adagrad(eps, epsInside, lrDecay, initialAccumulator, weightDecay);
    }

    @Override
    public Adagrad withWeightDecay(double weightDecay) {
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
        double gi = step.gradient(g, x, weightDecay);
        state[0] += gi * gi;
        return x - rate(step) * gi / (epsInside ? Math.sqrt(state[0] + eps) : Math.sqrt(state[0]) + eps);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 1, off, len);
        float lr = (float) rate(step), scale = (float) step.gradScale(), clip = (float) step.clipValue();
        float wd = (float) weightDecay, e = (float) eps;
        float[] s = state[0];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float si = s[i] + gi * gi;
            s[i] = si;
            p[i] = p[i] - lr * gi / Rules.denominator(si, e, epsInside);
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 1, off, len);
        int end = Simd.update(this, step, p, g, state[0], off, len);
        updateScalar(step, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body. */
    static final String OPENCL = """
            __kernel void adagrad(__global float* p, __global const float* g, __global float* s, const int off, const int n,
                                  const float lr, const float scale, const float clip, const float wd,
                                  const float eps, const int epsInside) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float si = s[i] + gi * gi;
                s[i] = si;
                p[i] = p[i] - lr * gi / denominator(si, eps, epsInside);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        DeviceRules.kernel(p.context(), OPENCL, "adagrad").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], off, len,
                (float) rate(step), (float) step.gradScale(), (float) step.clipValue(), (float) weightDecay,
                (float) eps, epsInside ? 1 : 0);
    }

    private static final class Simd {
        static int update(Adagrad h, Step step, float[] p, float[] g, float[] s, int off, int len) {
            float lr = (float) h.rate(step), scale = (float) step.gradScale(), clip = (float) step.clipValue();
            float wd = (float) h.weightDecay, e = (float) h.eps;
            boolean inside = h.epsInside;
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
