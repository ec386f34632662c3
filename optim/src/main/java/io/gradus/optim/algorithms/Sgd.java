package io.gradus.optim.algorithms;

import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
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
public record Sgd(WeightDecay weightDecay) implements Algorithm {

    public Sgd {
        Rules.weightDecay("sgd", weightDecay, true, false);
    }

    @Override
    public Sgd withWeightDecay(WeightDecay weightDecay) {
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
        return x - step.lr() * step.gradient(g, x, weightDecay.coupledRate());
    }

    /** The body of one coordinate: {@code x <- x - eta g'}. */
    static final class Rule extends UpdateKernel {
        public Rule() {
            super();
        }

        @Override
        public void apply(int i) {
            float gi = gradient(i);
            p[i] = p[i] - lr * gi;
        }

        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.update(this, p, g, off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    Rule rule(Step step) {
        Rule k = new Rule();
        k.setStep(step, weightDecay.coupledRate());
        return k;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        static int update(Rule k, float[] p, float[] g, int off, int len) {
            float lr = k.lr, scale = k.scale, clip = k.clip, wd = k.wd;
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
