package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Minibatch stochastic gradient descent (sections 11.3-11.5; Robbins and Monro 1951):
 * <pre>  x &lt;- x - eta g'</pre>
 * with {@code g' = g + lambda x} (coupled L2 weight decay {@code lambda}, added after rescaling and
 * clipping, as Gluon does). No state. The book's default has no weight decay.
 *
 * @param weightDecay {@code lambda >= 0}
 */
public record Sgd(double weightDecay) implements Algorithm {

    public Sgd {
        Rules.decay("weightDecay", weightDecay);
    }

    /** The book's plain SGD. */
    public Sgd() {
        this(0);
    }

    @Override
    public Sgd withWeightDecay(double weightDecay) {
        return new Sgd(weightDecay);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public int stateArrays() {
        return 0;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        return x - step.lr() * step.gradient(g, x, weightDecay);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 0, off, len);
        float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) weightDecay;
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            p[i] = p[i] - lr * gi;
        }
    }

    @Override
    public void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 0, off, len);
        int end = Simd.update(step, weightDecay, p, g, off, len);
        updateScalar(step, p, g, state, end, off + len - end);
    }

    /** The OpenCL kernel: one work-item per coordinate, the scalar loop's body. */
    static final String OPENCL = """
            __kernel void sgd(__global float* p, __global const float* g, const int off, const int n,
                              const float lr, const float scale, const float clip, const float wd) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                p[i] = p[i] - lr * gi;
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        DeviceRules.kernel(p.context(), OPENCL, "sgd").launchInGroups(len, DeviceRules.GROUP, p, g, off, len,
                (float) step.lr(), (float) step.gradScale(), (float) step.clipValue(), (float) weightDecay);
    }

    /** The Vector API loop; returns where the scalar tail starts. */
    private static final class Simd {
        static int update(Step step, double weightDecay, float[] p, float[] g, int off, int len) {
            float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue(), wd = (float) weightDecay;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                pv.sub(gi.mul(lr)).intoArray(p, i);
            }
            return end;
        }
    }
}
