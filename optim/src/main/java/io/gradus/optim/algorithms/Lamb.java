package io.gradus.optim.algorithms;

import io.gradus.gpu.internal.HostArrays;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceKernel;
import io.gradus.gpu.JavaKernel;
import io.gradus.kernels.ArrayKernels;
import io.gradus.optim.Step;
import io.gradus.optim.WeightDecay;
import jdk.incubator.vector.FloatVector;

import java.util.Map;

import static io.gradus.optim.algorithms.Lanes.V;

/**
 * LAMB (You et al. 2020, "Large Batch Optimization for Deep Learning: Training BERT in 76
 * minutes", Algorithm 2): Adam's direction with decoupled decay, scaled per tensor by the trust
 * ratio {@code ||x|| / ||r||}.
 * <pre>
 *   m &lt;- beta1 m + (1 - beta1) g;   v &lt;- beta2 v + (1 - beta2) g^2
 *   r  = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps) + lambda x
 *   x &lt;- x - eta (phi(||x||) / ||r||) r   (per tensor; the ratio is 1 where phi or ||r|| is 0)
 *   phi(z) = min(max(z, phiLower), phiUpper)   (the paper's bounds gamma_l, gamma_u; identity by default)
 * </pre>
 * The norms need the whole tensor: two passes ({@link LayerwiseAlgorithm}); the second recomputes
 * {@code r} from {@code m}, {@code v} and {@code x}, so no array beyond {@code m} and {@code v} is
 * kept, and a step moves 40 bytes per parameter (24 in the first pass, 16 in the second). With
 * {@code biasCorrection} false the corrections are 1 (as NVIDIA's and some TensorFlow versions).
 * Defaults as the paper: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-6},
 * {@code lambda = 0.01}, the identity for the paper's scaling function {@code phi}. A tensor
 * started near zero moves by about {@code eta ||x||} a step under the identity, so it grows only
 * geometrically; a lower bound (for example 1) lets small and zero-initialized tensors (biases)
 * move at the rate's pace from the start. PyTorch 1.13 has no LAMB; the comparison script
 * implements the paper's rule in PyTorch operations.
 *
 * @param beta1          {@code 0 <= beta1 < 1}
 * @param beta2          {@code 0 <= beta2 < 1}
 * @param eps            {@code > 0}
 * @param weightDecay    {@code lambda >= 0}, decoupled (inside {@code r}, so scaled by the ratio)
 * @param biasCorrection Adam's bias corrections in {@code r}
 * @param phiLower       {@code >= 0}: the lower bound of {@code phi} (0: none)
 * @param phiUpper       {@code > phiLower}, or infinity for none
 */
public record Lamb(double beta1, double beta2, double eps, WeightDecay weightDecay, boolean biasCorrection,
                   double phiLower, double phiUpper) implements LayerwiseAlgorithm {

    public Lamb {
        Rules.beta("beta1", beta1);
        Rules.beta("beta2", beta2);
        Rules.eps("eps", eps);
        Rules.weightDecay("lamb", weightDecay, false, true);
        Rules.decay("phiLower", phiLower);
        if (!(phiUpper > phiLower)) {
            throw new IllegalArgumentException("phiUpper = " + phiUpper + ": expected > phiLower = " + phiLower + " (infinity for no bound)");
        }
    }

    public Lamb withBetas(double beta1, double beta2) {
        return new Lamb(beta1, beta2, eps, weightDecay, biasCorrection, phiLower, phiUpper);
    }

    public Lamb withEps(double eps) {
        return new Lamb(beta1, beta2, eps, weightDecay, biasCorrection, phiLower, phiUpper);
    }

    public Lamb withBiasCorrection(boolean biasCorrection) {
        return new Lamb(beta1, beta2, eps, weightDecay, biasCorrection, phiLower, phiUpper);
    }

    /** The paper's bounds on {@code phi}: {@code min(max(||x||, lower), upper)}. */
    public Lamb withPhiBounds(double lower, double upper) {
        return new Lamb(beta1, beta2, eps, weightDecay, biasCorrection, lower, upper);
    }

    @Override
    public Lamb withWeightDecay(WeightDecay weightDecay) {
        return new Lamb(beta1, beta2, eps, weightDecay, biasCorrection, phiLower, phiUpper);
    }

    @Override
    public String name() {
        return "lamb";
    }

    @Override
    public int stateArrays() {
        return 2;
    }

    /** {@code {1 - beta1^t, 1 - beta2^t}}, or ones without bias correction. */
    double[] corrections(Step step) {
        return biasCorrection ? new double[] {1 - Math.pow(beta1, step.t()), 1 - Math.pow(beta2, step.t())} : new double[] {1, 1};
    }

    @Override
    public double factor(double sumSquaresX, double sumSquaresR) {
        double phi = Math.min(Math.max(Math.sqrt(sumSquaresX), phiLower), phiUpper);
        return phi > 0 && sumSquaresR > 0 ? phi / Math.sqrt(sumSquaresR) : 1;
    }

    /** One coordinate cannot be updated alone: LAMB's ratio needs the tensor ({@link #referenceSlice}). */
    @Override
    public double reference(Step step, double x, double g, double[] state) {
        throw new UnsupportedOperationException("lamb: the trust ratio needs the whole tensor; use referenceSlice");
    }

    @Override
    public void referenceSlice(Step step, double[] x, double[] g, double[][] state) {
        double[] c = corrections(step);
        double[] r = new double[x.length];
        double xx = 0, rr = 0;
        for (int i = 0; i < x.length; i++) {
            double gi = step.gradient(g[i], x[i], 0);
            state[i][0] = beta1 * state[i][0] + (1 - beta1) * gi;
            state[i][1] = beta2 * state[i][1] + (1 - beta2) * gi * gi;
            r[i] = (state[i][0] / c[0]) / (Math.sqrt(state[i][1] / c[1]) + eps) + weightDecay.decoupledRate() * x[i];
            xx += x[i] * x[i];
            rr += r[i] * r[i];
        }
        double ratio = factor(xx, rr);
        for (int i = 0; i < x.length; i++) x[i] -= step.lr() * ratio * r[i];
    }

    /**
     * The body, for both passes. Pass one ({@link #moments}) updates {@code m, v} from {@code g} and
     * returns the direction {@code r}; pass two ({@link #apply}) moves {@code x <- x - rate r} with
     * {@code rate = eta factor}, {@code r} recomputed from {@code m, v, x}. On the device, {@code run}
     * does pass one as a reduction when {@code pass == 1}: each work-group of {@code GROUP} items
     * strides through a chunk of {@code chunk} coordinates, sums {@code x^2} and {@code r^2} in float,
     * adds the items' sums by a fixed tree in local memory and writes one pair to {@code partials} (from
     * {@code partialsOff})
     * (the host adds the pairs in double); otherwise it runs pass two, one item per coordinate.
     */
    static final class Rule extends MomentRule {
        float[] partials;
        @Local
        float[] sumX, sumR;
        float c1, c2, decay, rate;
        int pass, chunk, partialsOff;

        public Rule() {
            super("m", "v");
        }

        /** {@code r = (m / c1) / (sqrt(v / c2) + eps) + lambda x}. */
        float direction(float mi, float vi, float pi) {
            return (mi / c1) / (sqrt(vi / c2) + eps) + decay * pi;
        }

        /** Pass one at coordinate {@code i}: the moments from {@code g'}; returns {@code r_i}. */
        float moments(int i) {
            float gi = 0f, mi = 0f, vi = 0f;
            gi = gradient(i);
            mi = firstMoment(i, gi);
            vi = secondMoment(i, gi);
            return direction(mi, vi, p[i]);
        }

        /** Pass two at coordinate {@code i}. */
        @Override
        public void apply(int i) {
            p[i] = p[i] - rate * direction(m[i], v[i], p[i]);
        }

        @Override
        public void run() {
            int k = 0;
            if (pass == 1) {
                sums();
            } else {
                k = getGlobalId();
                if (k < n) apply(off + k);
            }
        }

        /** Pass one of one work-group on the device: its chunk's partial sums of {@code x^2} and {@code r^2}. */
        void sums() {
            int group = 0, lid = 0, size = 0, start = 0, end = 0, j = 0, stride = 0;
            float ax = 0f, ar = 0f, pi = 0f, ri = 0f;
            group = getGroupId();
            lid = getLocalId();
            size = getLocalSize();
            start = group * chunk;
            end = min(n, start + chunk);
            for (j = start + lid; j < end; j += size) {
                pi = p[off + j];
                ri = moments(off + j);
                ax += pi * pi;
                ar += ri * ri;
            }
            sumX[lid] = ax;
            sumR[lid] = ar;
            localBarrier();
            for (stride = size / 2; stride > 0; stride >>= 1) {
                if (lid < stride) {
                    sumX[lid] = sumX[lid] + sumX[lid + stride];
                    sumR[lid] = sumR[lid] + sumR[lid + stride];
                }
                localBarrier();
            }
            if (lid == 0) {
                partials[partialsOff + 2 * group] = sumX[0];
                partials[partialsOff + 2 * group + 1] = sumR[0];
            }
        }

        /** Pass two's Vector API loop (the twin of {@link #apply}). */
        @Override
        int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
            return Simd.secondPassLoop(this, p, state[0], state[1], off, len);
        }
    }

    @Override
    public UpdateKernel kernel(Step step) {
        return rule(step);
    }

    /** The body with this step's constants; its {@code rate} is {@code eta} (a factor of 1) until the sums give the factor. */
    Rule rule(Step step) {
        double[] c = corrections(step);
        Rule k = new Rule();
        k.setStep(step, 0);
        k.setMoments(beta1, beta2, eps);
        k.c1 = (float) c[0];
        k.c2 = (float) c[1];
        k.decay = (float) weightDecay.decoupledRate();
        k.rate = (float) step.lr();
        return k;
    }

    /** The kernel for pass two: {@code rate = eta factor}, rounded once. */
    private Rule secondPassKernel(Step step, double factor) {
        Rule k = rule(step);
        k.rate = (float) (step.lr() * factor);
        return k;
    }

    /** Both passes over the slice as one tensor, by the body (the fallback). */
    void updateScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        double[] sums = firstPassScalar(step, p, g, state, off, len);
        secondPassScalar(step, p, state, off, len, factor(sums[0], sums[1]));
    }

    /** Both passes over the slice as one tensor, by the Vector API. */
    void updateVector(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        double[] sums = Simd.firstPass(rule(step), p, g, state[0], state[1], off, len);
        Simd.secondPass(secondPassKernel(step, factor(sums[0], sums[1])), p, state[0], state[1], off, len);
    }

    @Override
    public double[] firstPass(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, 2, off, len);
        return Paths.VECTOR ? Simd.firstPass(rule(step), p, g, state[0], state[1], off, len) : firstPassScalar(step, p, g, state, off, len);
    }

    @Override
    public void secondPass(Step step, float[] p, float[][] state, int off, int len, double factor) {
        Rules.check(p, p, state, 2, off, len);
        if (Paths.VECTOR) Simd.secondPass(secondPassKernel(step, factor), p, state[0], state[1], off, len);
        else secondPassScalar(step, p, state, off, len, factor);
    }

    private double[] firstPassScalar(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        float[] lanesX = new float[NORM_LANES], lanesR = new float[NORM_LANES];
        Rule k = rule(step);
        k.bind(p, g, state);
        firstPassTail(k, off, off, off + len, lanesX, lanesR);
        return new double[] {LayerwiseAlgorithm.sumLanes(lanesX), LayerwiseAlgorithm.sumLanes(lanesR)};
    }

    /** Pass one on {@code [from, to)} of a part starting at {@code off}, into the lanes: the scalar loop and the vector loop's tail. */
    private static void firstPassTail(Rule k, int off, int from, int to, float[] lanesX, float[] lanesR) {
        float[] p = k.p;
        for (int i = from; i < to; i++) {
            float pi = p[i];
            float ri = k.moments(i);
            int lane = (i - off) & (NORM_LANES - 1);
            lanesX[lane] = Math.fma(pi, pi, lanesX[lane]);
            lanesR[lane] = Math.fma(ri, ri, lanesR[lane]);
        }
    }

    private void secondPassScalar(Step step, float[] p, float[][] state, int off, int len, double factor) {
        Rule k = secondPassKernel(step, factor);
        k.bind(p, p, state);
        k.applyAll(off, len);
    }

    /** Elements one work-group of pass one covers on the device: the CPU's chunk. */
    private static final int DEVICE_CHUNK = ArrayKernels.REDUCTION_CHUNK;

    /**
     * Both passes on the device over the slice as one tensor (outside a Trainer, which runs the
     * passes of all tensors with one buffer of partial sums and one read-back per step).
     */
    @Override
    public void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        DeviceRules.check(p, g, state, 2, off, len);
        try (DeviceArray partials = p.context().allocate(2 * Math.max(1, LayerwiseAlgorithm.deviceParts(len)))) {
            firstPassDevice(step, p, g, state, off, len, partials, 0);
            float[] sums = partials.download();
            double sumX = 0, sumR = 0;
            for (int q = 0; q < LayerwiseAlgorithm.deviceParts(len); q++) {
                sumX += sums[2 * q];
                sumR += sums[2 * q + 1];
            }
            secondPassDevice(step, p, state, off, len, factor(sumX, sumR));
        }
    }

    /**
     * Pass one on the device: the body's {@code sums} with one work-group of {@link DeviceRules#GROUP}
     * items per chunk; on the host device, the CPU's pass one per chunk.
     */
    @Override
    public void firstPassDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len, DeviceArray partials,
                                int partialsOffset) {
        DeviceRules.check(p, g, state, 2, off, len);
        int parts = LayerwiseAlgorithm.deviceParts(len);
        if (partialsOffset < 0 || (long) partialsOffset + 2L * parts > partials.length()) {
            throw new IndexOutOfBoundsException("partials: " + parts + " pairs from " + partialsOffset + " do not fit in " + partials);
        }
        if (len == 0) return;
        if (!p.context().isOpenCL()) {
            float[][] s = {HostArrays.of(state[0]), HostArrays.of(state[1])};
            float[] out = HostArrays.of(partials);
            for (int q = 0; q < parts; q++) {
                int start = off + q * DEVICE_CHUNK;
                double[] sums = firstPass(step, HostArrays.of(p), HostArrays.of(g), s, start, Math.min(DEVICE_CHUNK, off + len - start));
                out[partialsOffset + 2 * q] = (float) sums[0]; // float sums widened: exact
                out[partialsOffset + 2 * q + 1] = (float) sums[1];
            }
            return;
        }
        Rule first = rule(step);
        first.pass = 1;
        first.off = off;
        first.n = len;
        first.chunk = DEVICE_CHUNK;
        first.partialsOff = partialsOffset;
        JavaKernel translated = JavaKernel.of(Rule.class);
        translated.launch(p.context(), first, parts * DeviceRules.GROUP, DeviceRules.GROUP, deviceBuffers(translated, first, p, g, state, partials));
    }

    @Override
    public void secondPassDevice(Step step, DeviceArray p, DeviceArray[] state, int off, int len, double factor) {
        DeviceRules.check(p, p, state, 2, off, len);
        if (len == 0) return;
        if (!p.context().isOpenCL()) {
            secondPass(step, HostArrays.of(p), new float[][] {HostArrays.of(state[0]), HostArrays.of(state[1])}, off, len, factor);
            return;
        }
        Rule second = secondPassKernel(step, factor);
        second.off = off;
        second.n = len;
        JavaKernel translated = JavaKernel.of(Rule.class);
        translated.launch(p.context(), second, len, DeviceRules.GROUP, deviceBuffers(translated, second, p, p, state, p));
    }

    /** The arrays of both passes by field name; pass two binds {@code partials} to {@code p} (it never reads them). */
    private static Map<String, Object> deviceBuffers(JavaKernel translated, Rule k, DeviceArray p, DeviceArray g, DeviceArray[] state,
                                                     DeviceArray partials) {
        Map<String, Object> buffers = DeviceRules.buffers(translated, k, p, g, state);
        buffers.put("partials", partials);
        buffers.put("sumX", new DeviceKernel.Local(4L * DeviceRules.GROUP));
        buffers.put("sumR", new DeviceKernel.Local(4L * DeviceRules.GROUP));
        return buffers;
    }

    /** Vector API code in a class of its own: loaded only when the module is present. */
    private static final class Simd {
        /** Vectors per 16 lanes of the norm layout; 0 where the width does not divide 16 (the scalar passes then). */
        static final int PER = V <= NORM_LANES && NORM_LANES % V == 0 ? NORM_LANES / V : 0;

        static double[] firstPass(Rule k, float[] p, float[] g, float[] m, float[] v, int off, int len) {
            float[] lanesX = new float[NORM_LANES], lanesR = new float[NORM_LANES];
            int i = off, end = off + len;
            if (PER > 0) {
                float scale = k.scale, clip = k.clip, wd = k.decay, b1 = k.b1, b2 = k.b2, rest1 = k.rest1, rest2 = k.rest2;
                float e = k.eps, c1 = k.c1, c2 = k.c2;
                // Accumulators for the 16 lanes, PER vectors of V: vector q of each 16-element block adds
                // into x0 (r0), then they rotate by one, so that after PER vectors each is back in place.
                // One vector per iteration, written out in the loop (a helper returning r was not
                // inlined by C2 and boxed its vectors).
                FloatVector x0 = FloatVector.zero(Lanes.S), x1 = x0, x2 = x0, x3 = x0, r0 = x0, r1 = x0, r2 = x0, r3 = x0;
                int blocks = off + (len / NORM_LANES) * NORM_LANES;
                for (; i < blocks; i += V) {
                    FloatVector pv = Lanes.load(p, i);
                    FloatVector gi = Lanes.gradient(Lanes.load(g, i), pv, scale, clip, 0f);
                    FloatVector mi = Lanes.average(Lanes.load(m, i), b1, gi, rest1);
                    FloatVector vi = Lanes.average(Lanes.load(v, i), b2, gi.mul(gi), rest2);
                    mi.intoArray(m, i);
                    vi.intoArray(v, i);
                    FloatVector ri = mi.div(c1).div(vi.div(c2).sqrt().add(e)).add(pv.mul(wd));
                    FloatVector nx = pv.fma(pv, x0), nr = ri.fma(ri, r0);
                    if (PER == 1) {
                        x0 = nx;
                        r0 = nr;
                    } else if (PER == 2) {
                        x0 = x1;
                        x1 = nx;
                        r0 = r1;
                        r1 = nr;
                    } else {
                        x0 = x1;
                        x1 = x2;
                        x2 = x3;
                        x3 = nx;
                        r0 = r1;
                        r1 = r2;
                        r2 = r3;
                        r3 = nr;
                    }
                }
                x0.intoArray(lanesX, 0);
                r0.intoArray(lanesR, 0);
                if (PER > 1) {
                    x1.intoArray(lanesX, V);
                    r1.intoArray(lanesR, V);
                }
                if (PER > 2) {
                    x2.intoArray(lanesX, 2 * V);
                    r2.intoArray(lanesR, 2 * V);
                    x3.intoArray(lanesX, 3 * V);
                    r3.intoArray(lanesR, 3 * V);
                }
            }
            k.bind(p, g, new float[][] {m, v});
            firstPassTail(k, off, i, end, lanesX, lanesR);
            return new double[] {LayerwiseAlgorithm.sumLanes(lanesX), LayerwiseAlgorithm.sumLanes(lanesR)};
        }

        static void secondPass(Rule k, float[] p, float[] m, float[] v, int off, int len) {
            int end = secondPassLoop(k, p, m, v, off, len);
            k.bind(p, p, new float[][] {m, v});
            k.applyAll(end, off + len - end);
        }

        static int secondPassLoop(Rule k, float[] p, float[] m, float[] v, int off, int len) {
            float wd = k.decay, e = k.eps, rate = k.rate, c1 = k.c1, c2 = k.c2;
            int i = off, end = Lanes.bound(off, len);
            for (; i < end; i += V) {
                FloatVector pv = Lanes.load(p, i);
                FloatVector ri = Lanes.load(m, i).div(c1).div(Lanes.load(v, i).div(c2).sqrt().add(e)).add(pv.mul(wd));
                pv.sub(ri.mul(rate)).intoArray(p, i);
            }
            return end;
        }
    }
}
