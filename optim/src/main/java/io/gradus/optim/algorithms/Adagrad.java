package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import jdk.incubator.vector.FloatVector;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * Adagrad (section 11.7; Duchi, Hazan and Singer 2011):
 * <pre>
 *   s <- s + g'^2
 *   x <- x - eta g' / sqrt(s + eps)      (the book's code: eps inside the square root)
 *   x <- x - eta g' / (sqrt(s) + eps)    (PyTorch's form: epsInside = false)
 * </pre>
 * with {@code g' = g + lambda x}. State: {@code s}, zero at the start. Defaults as the book's code:
 * {@code eps = 1e-6} inside.
 *
 * @param eps         {@code > 0}
 * @param epsInside   eps inside the square root (the book) or added after it (PyTorch)
 * @param weightDecay {@code lambda >= 0}
 */
public record Adagrad(double eps, boolean epsInside, double weightDecay) implements Algorithm {

    public Adagrad {
        Rules.eps("eps", eps);
        Rules.decay("weightDecay", weightDecay);
    }

    /** The book's defaults: eps 1e-6 inside the square root. */
    public Adagrad() {
        this(1e-6, true, 0);
    }

    public Adagrad withEps(double eps) {
        return new Adagrad(eps, epsInside, weightDecay);
    }

    public Adagrad withEpsInside(boolean epsInside) {
        return new Adagrad(eps, epsInside, weightDecay);
    }

    @Override
    public Adagrad withWeightDecay(double weightDecay) {
        return new Adagrad(eps, epsInside, weightDecay);
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
        return x - step.lr() * gi / (epsInside ? Math.sqrt(state[0] + eps) : Math.sqrt(state[0]) + eps);
    }

    @Override
    public void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 1, off, len);
        float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
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

    private static final class Simd {
        static int update(Adagrad h, Step step, float[] p, float[] g, float[] s, int off, int len) {
            float lr = (float) step.lr(), scale = (float) step.gradScale(), clip = (float) step.clipValue();
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
