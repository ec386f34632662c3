package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Step;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Momentum (section 11.6; Polyak 1964's heavy ball), with Nesterov's variant (Sutskever et al.
 * 2013, in PyTorch's form) and PyTorch's dampening as options:
 * <pre>
 *   v &lt;- beta v + (1 - d) g'         (v &lt;- g' at the first update when d &gt; 0, as PyTorch)
 *   x &lt;- x - eta v                 (heavy ball)
 *   x &lt;- x - eta (g' + beta v)     (nesterov; needs d = 0, as PyTorch)
 * </pre>
 * with {@code g' = g + lambda x}. State: {@code v}, zero at the start. Defaults: {@code beta = 0.9}
 * (the book's concise runs), no dampening (PyTorch's default; {@code d = beta} makes {@code v} an
 * exponential moving average), no weight decay, heavy ball.
 *
 * @param momentum    {@code 0 <= beta < 1}
 * @param dampening   {@code 0 <= d <= 1}: PyTorch's {@code dampening}
 * @param weightDecay {@code lambda >= 0}
 * @param nesterov    Nesterov's look-ahead form
 */
public record Momentum(double momentum, double dampening, double weightDecay, boolean nesterov) implements Algorithm {

    public Momentum {
        Rules.beta("momentum", momentum);
        if (!(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("dampening = " + dampening + ": expected 0 <= dampening <= 1");
        }
        if (nesterov && dampening != 0) {
            throw new IllegalArgumentException("dampening = " + dampening + " with nesterov: expected dampening 0 (as PyTorch)");
        }
        Rules.decay("weightDecay", weightDecay);
    }

    /** Without dampening. */
    public Momentum(double momentum, double weightDecay, boolean nesterov) {
        this(momentum, 0, weightDecay, nesterov);
    }

    /** The book's defaults: beta 0.9, heavy ball. */
    public Momentum() {
        this(0.9, 0, false);
    }

    public Momentum withDampening(double dampening) {
        return new Momentum(momentum, dampening, weightDecay, nesterov);
    }

    /**
     * This step's {@code {keep, take}} in {@code v <- keep v + take g'}: {@code {beta, 1 - d}}, and
     * {@code {0, 1}} at the first update when dampening (PyTorch starts its buffer at {@code g'}).
     */
    float[] coefficients(Step step) {
        if (dampening == 0) return new float[] {(float) momentum, 1f};
        return step.t() == 1 ? new float[] {0f, 1f} : new float[] {(float) momentum, (float) (1 - dampening)};
    }

    public Momentum withMomentum(double momentum) {
        return new Momentum(momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public Momentum withWeightDecay(double weightDecay) {
        return new Momentum(momentum, dampening, weightDecay, nesterov);
    }

    public Momentum withNesterov(boolean nesterov) {
        return new Momentum(momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public String name() {
        return nesterov ? "nesterov" : "momentum";
    }

    @Override
    public int stateArrays() {
        return 1;
    }

    @Override
    public double reference(Step step, double x, double g, double[] state) {
        double gi = step.gradient(g, x, weightDecay);
        boolean first = dampening != 0 && step.t() == 1;
        state[0] = (first ? 0 : momentum) * state[0] + (first ? 1 : 1 - dampening) * gi;
        return x - step.lr() * (nesterov ? gi + momentum * state[0] : state[0]);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 1, off, len);
        float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
        float wd = (float) weightDecay, beta = (float) momentum;
        float[] c = coefficients(step);
        float keep = c[0], take = c[1];
        float[] v = state[0];
        for (int i = off; i < off + len; i++) {
            float gi = Rules.gradient(g[i], p[i], scale, clip, wd);
            float vi = keep * v[i] + take * gi;
            v[i] = vi;
            p[i] = p[i] - lr * (nesterov ? gi + beta * vi : vi);
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
            __kernel void momentum(__global float* p, __global const float* g, __global float* v, const int off, const int n,
                                   const float lr, const float scale, const float clip, const float wd,
                                   const float beta, const float keep, const float take, const int nesterov) {
                int k = get_global_id(0);
                if (k >= n) return;
                int i = off + k;
                float gi = gradient(g[i], p[i], scale, clip, wd);
                float vi = keep * v[i] + take * gi;
                v[i] = vi;
                p[i] = p[i] - lr * (nesterov ? gi + beta * vi : vi);
            }
            """;

    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        if (!DeviceRules.checkedForOpenCL(this, step, p, g, state, off, len)) return;
        float[] c = coefficients(step);
        DeviceRules.kernel(p.context(), OPENCL, "momentum").launchInGroups(len, DeviceRules.GROUP, p, g, state[0], off, len,
                (float) step.lr(), (float) step.gradScale(), (float) step.clipValue(), (float) weightDecay,
                (float) momentum, c[0], c[1], nesterov ? 1 : 0);
    }

    private static final class Simd {
        static int update(Momentum h, Step step, float[] p, float[] g, float[] v, int off, int len) {
            float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
            float wd = (float) h.weightDecay, beta = (float) h.momentum;
            float[] c = h.coefficients(step);
            float keep = c[0], take = c[1];
            boolean nesterov = h.nesterov;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector vi = Lanes.load(v, i).mul(keep).add(gi.mul(take));
                vi.intoArray(v, i);
                FloatVector direction = nesterov ? gi.add(vi.mul(beta)) : vi;
                pv.sub(direction.mul(lr)).intoArray(p, i);
            }
            return end;
        }
    }
}
