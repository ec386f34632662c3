package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
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
public record Momentum(double momentum, double dampening, WeightDecay weightDecay, boolean nesterov) implements Algorithm {

    public Momentum {
        Rules.beta("momentum", momentum);
        if (!(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("dampening = " + dampening + ": expected 0 <= dampening <= 1");
        }
        if (nesterov && dampening != 0) {
            throw new IllegalArgumentException("dampening = " + dampening + " with nesterov: expected dampening 0 (as PyTorch)");
        }
        Rules.weightDecay("momentum", weightDecay, true, false);
    }

    public Momentum withDampening(double dampening) {
        return new Momentum(momentum, dampening, weightDecay, nesterov);
    }

    public Momentum withMomentum(double momentum) {
        return new Momentum(momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public Momentum withWeightDecay(WeightDecay weightDecay) {
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
        double gi = step.gradient(g, x, weightDecay.coupledRate());
        boolean first = dampening != 0 && step.t() == 1;
        state[0] = (first ? 0 : momentum) * state[0] + (first ? 1 : 1 - dampening) * gi;
        return x - step.lr() * (nesterov ? gi + momentum * state[0] : state[0]);
    }

    /**
     * The body: {@code v <- keep v + take g'}, then {@code x <- x - eta v} or, Nesterov,
     * {@code x <- x - (eta g' + (eta beta) v)} with {@code eta beta} rounded once from double (closer
     * to the exact trajectory than {@code eta (g' + beta v)}: 6.1e-7 against 1.04e-6 on the PyTorch
     * agreement case, and a lower median over random ones). {@code {keep, take}} is
     * {@code {beta, 1 - d}}, and {@code {0, 1}} at the first update when dampening (PyTorch starts
     * its buffer at {@code g'}).
     */
    static final class Rule extends UpdateKernel {
        float[] v;
        float lrBeta, keep, take;
        int nesterov;

        public Rule() {
            super("v");
        }

        @Override
        public void apply(int i) {
            float gi = 0f, vi = 0f;
            gi = gradient(i);
            vi = keep * v[i] + take * gi;
            v[i] = vi;
            p[i] = p[i] - (nesterov != 0 ? lr * gi + lrBeta * vi : lr * vi);
        }

        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.update(this, p, g, state[0], off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    Rule rule(Step step) {
        Rule k = new Rule();
        k.setStep(step, weightDecay.coupledRate());
        boolean first = dampening != 0 && step.t() == 1;
        k.lrBeta = (float) (step.lr() * momentum);
        k.keep = first ? 0f : (float) momentum;
        k.take = first ? 1f : (float) (1 - dampening);
        k.nesterov = nesterov ? 1 : 0;
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, float[] v, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, wd = k.wd, lrBeta = k.lrBeta, keep = k.keep, take = k.take;
            boolean nesterov = k.nesterov != 0;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, wd);
                FloatVector vi = Lanes.load(v, i).mul(keep).add(gi.mul(take));
                vi.intoArray(v, i);
                FloatVector step = nesterov ? gi.mul(lr).add(vi.mul(lrBeta)) : vi.mul(lr);
                pv.sub(step).intoArray(p, i);
            }
            return end;
        }
    }
}
