package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
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
public record Adadelta(double rho, double eps, double weightDecay) implements Algorithm {

    public Adadelta {
        Rules.beta("rho", rho);
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
    }

    /** The book's defaults: rho 0.9, eps 1e-5. */
    public Adadelta() {
        this(0.9, 1e-5, 0);
    }

    public Adadelta withRho(double rho) {
        return new Adadelta(rho, eps, weightDecay);
    }

    public Adadelta withEps(double eps) {
        return new Adadelta(rho, eps, weightDecay);
    }

    @Override
    public Adadelta withWeightDecay(double weightDecay) {
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
        double gi = step.gradient(g, x, weightDecay);
        state[0] = rho * state[0] + (1 - rho) * gi * gi;
        double u = Math.sqrt(state[1] + eps) / Math.sqrt(state[0] + eps) * gi;
        state[1] = rho * state[1] + (1 - rho) * u * u;
        return x - u;
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        float scale = (float) step.gradScale(), clip = (float) step.clipValue();
        float wd = (float) weightDecay, decay = (float) rho, rest = 1f - decay, e = (float) eps;
        float[] s = state[0], delta = state[1];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float si = decay * s[i] + rest * (gi * gi);
            s[i] = si;
            float u = (float) Math.sqrt(delta[i] + e) / (float) Math.sqrt(si + e) * gi;
            p[i] = p[i] - u;
            delta[i] = decay * delta[i] + rest * (u * u);
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
            __kernel void adadelta(__global float* p, __global const float* g, __global float* s, __global float* delta,
                                   const int off, const int n, const float scale, const float clip, const float wd,
                                   const float decay, const float rest, const float eps) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float si = decay * s[i] + rest * (gi * gi);
                s[i] = si;
                float u = sqrt(delta[i] + eps) / sqrt(si + eps) * gi;
                p[i] = p[i] - u;
                delta[i] = decay * delta[i] + rest * (u * u);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        float decay = (float) rho;
        DeviceRules.kernel(p.context(), OPENCL, "adadelta").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], state[1],
                off, len, (float) step.gradScale(), (float) step.clipValue(), (float) weightDecay, decay, 1f - decay,
                (float) eps);
    }

    private static final class Simd {
        static int update(Adadelta h, Step step, float[] p, float[] g, float[] s, float[] delta, int off, int len) {
            float scale = (float) step.gradScale(), clip = (float) step.clipValue();
            float wd = (float) h.weightDecay, decay = (float) h.rho, rest = 1f - decay, e = (float) h.eps;
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
