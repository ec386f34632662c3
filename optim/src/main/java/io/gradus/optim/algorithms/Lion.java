package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an
 * interpolation between the momentum and the gradient, with decoupled weight decay.
 * <pre>
 *   c  = beta1 m + (1 - beta1) g
 *   x &lt;- x - eta (sign(c) + lambda x)
 *   m &lt;- beta2 m + (1 - beta2) g
 * </pre>
 * with {@code sign(0) = 0}. Every coordinate moves by exactly {@code eta} (plus the decay), so
 * Lion wants a learning rate 3-10 times smaller than AdamW's and a decay 3-10 times larger (the
 * paper's advice). State: {@code m}, zero at the start. Defaults as the paper: {@code beta1 = 0.9},
 * {@code beta2 = 0.99}, no decay. PyTorch 1.13 has no Lion; the comparison script implements the
 * paper's rule in PyTorch operations.
 *
 * @param beta1       {@code 0 <= beta1 < 1}: the interpolation that gives the update's sign
 * @param beta2       {@code 0 <= beta2 < 1}: the momentum's decay
 * @param weightDecay {@code lambda >= 0}, decoupled (scaled by {@code eta}, as AdamW)
 */
public record Lion(double beta1, double beta2, double weightDecay) implements Algorithm {

    public Lion {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.decay("weightDecay", weightDecay);
    }

    /** The paper's defaults: beta1 0.9, beta2 0.99, no weight decay. */
    public Lion() {
        this(0.9, 0.99, 0);
    }

    public Lion withBetas(double beta1, double beta2) {
        return new Lion(beta1, beta2, weightDecay);
    }

    @Override
    public Lion withWeightDecay(double weightDecay) {
        return new Lion(beta1, beta2, weightDecay);
    }

    @Override
    public String name() {
        return "lion";
    }

    @Override
    public int stateArrays() {
        return 1;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, 0);
        double c = beta1 * state[0] + (1 - beta1) * gi;
        state[0] = beta2 * state[0] + (1 - beta2) * gi;
        return x - step.lr() * (Math.signum(c) + weightDecay * x);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 1, off, len);
        float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
        float b1 = (float) beta1, b2 = (float) beta2, rest1 = 1f - b1, rest2 = 1f - b2, wd = (float) weightDecay;
        float[] m = state[0];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, 0f);
            float c = b1 * m[i] + rest1 * gi;
            m[i] = b2 * m[i] + rest2 * gi;
            p[i] = p[i] - lr * (Math.signum(c) + wd * p[i]);
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 1, off, len);
        int end = Simd.update(this, step, p, g, state[0], off, len);
        updateScalar(step, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body (OpenCL's sign(0) is 0). */
    static final String OPENCL = """
            __kernel void lion(__global float* p, __global const float* g, __global float* m, const int off,
                               const int n, const float lr, const float scale, const float clip, const float b1,
                               const float b2, const float rest1, const float rest2, const float wd) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, 0.0f);
                float c = b1 * m[i] + rest1 * gi;
                m[i] = b2 * m[i] + rest2 * gi;
                p[i] = p[i] - lr * (sign(c) + wd * p[i]);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        float b1 = (float) beta1, b2 = (float) beta2;
        DeviceRules.kernel(p.context(), OPENCL, "lion").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], off, len,
                (float) step.lr(), (float) step.gradScale(), (float) step.clipValue(), b1, b2, 1f - b1, 1f - b2,
                (float) weightDecay);
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Lion h, Step step, float[] p, float[] g, float[] m, int off, int len) {
            float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
            float b1 = (float) h.beta1, b2 = (float) h.beta2, rest1 = 1f - b1, rest2 = 1f - b2, wd = (float) h.weightDecay;
            FloatVector zero = FloatVector.zero(Lanes.S), one = FloatVector.broadcast(Lanes.S, 1f), minusOne = one.neg();
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, 0f);
                FloatVector mv = Lanes.load(m, i);
                FloatVector c = Lanes.average(mv, b1, gi, rest1);
                Lanes.average(mv, b2, gi, rest2).intoArray(m, i);
                FloatVector sign = zero.blend(one, c.compare(VectorOperators.GT, 0f)).blend(minusOne, c.compare(VectorOperators.LT, 0f));
                pv.sub(sign.add(pv.mul(wd)).mul(lr)).intoArray(p, i);
            }
            return end;
        }
    }
}
