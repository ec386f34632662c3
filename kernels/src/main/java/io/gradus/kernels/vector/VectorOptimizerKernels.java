package io.gradus.kernels.vector;

import io.gradus.kernels.OptimizerKernels;
import io.gradus.kernels.ScalarOptimizerKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels} with the Vector API: each update is one loop over full vectors, with the
 * scalar rule of {@link ScalarOptimizerKernels} for the tail. The vector code performs the same IEEE
 * operations in the same order as the scalar rule (multiplies and adds kept apart, never fused), so
 * both give identical bits. Yogi's sign is computed by comparisons; for finite inputs it equals
 * {@link Math#signum}. Non-finite gradients never reach these kernels (the trainer checks them first).
 */
public final class VectorOptimizerKernels implements OptimizerKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    public static final VectorOptimizerKernels INSTANCE = new VectorOptimizerKernels();

    private VectorOptimizerKernels() {}

    private static void check(float[] p, float[] g, int off, int len, float[]... state) {
        ScalarOptimizerKernels.check(p, g, off, len, state);
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    /** {@code decay * old + rest * x}: every moving average of the chapter, in the scalar rule's order. */
    private static FloatVector average(FloatVector old, float decay, FloatVector x, float rest) {
        return old.mul(decay).add(x.mul(rest));
    }

    /** {@code sqrt(var + eps)} (the book) or {@code sqrt(var) + eps} (PyTorch). */
    private static FloatVector denominator(FloatVector var, float eps, boolean epsInside) {
        return epsInside ? var.add(eps).sqrt() : var.sqrt().add(eps);
    }

    /** The bias-corrected Adam/Yogi step {@code lr (m / c1) / (sqrt(v / c2) + eps)}. */
    private static FloatVector adamStep(FloatVector m, FloatVector v, float lr, float eps, float c1, float c2) {
        return m.div(c1).mul(lr).div(v.div(c2).sqrt().add(eps));
    }

    /** {@code g + wd p}, skipped when wd is 0 (then the scalar rule's {@code g + 0*p} is g too, for finite p). */
    private static FloatVector decayed(FloatVector g, FloatVector p, float wd) {
        return wd == 0f ? g : g.add(p.mul(wd));
    }

    @Override
    public void sgd(float[] p, float[] g, int off, int len, float lr, float wd) {
        check(p, g, off, len);
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            pv.sub(decayed(load(g, i), pv, wd).mul(lr)).intoArray(p, i);
        }
        for (; i < off + len; i++) ScalarOptimizerKernels.sgdAt(p, g, i, lr, wd);
    }

    @Override
    public void momentum(float[] p, float[] g, float[] v, int off, int len, float lr, float beta, float wd, boolean nesterov) {
        check(p, g, off, len, v);
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            FloatVector gv = decayed(load(g, i), pv, wd);
            FloatVector vv = load(v, i).mul(beta).add(gv);
            vv.intoArray(v, i);
            FloatVector step = nesterov ? gv.add(vv.mul(beta)) : vv;
            pv.sub(step.mul(lr)).intoArray(p, i);
        }
        for (; i < off + len; i++) ScalarOptimizerKernels.momentumAt(p, g, v, i, lr, beta, wd, nesterov);
    }

    @Override
    public void adagrad(float[] p, float[] g, float[] s, int off, int len, float lr, float eps, boolean epsInside, float wd) {
        check(p, g, off, len, s);
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            FloatVector gv = decayed(load(g, i), pv, wd);
            FloatVector sv = load(s, i).add(gv.mul(gv));
            sv.intoArray(s, i);
            FloatVector denom = denominator(sv, eps, epsInside);
            pv.sub(gv.mul(lr).div(denom)).intoArray(p, i);
        }
        for (; i < off + len; i++) ScalarOptimizerKernels.adagradAt(p, g, s, i, lr, eps, epsInside, wd);
    }

    @Override
    public void rmsprop(float[] p, float[] g, float[] s, float[] mean, int off, int len, float lr, float gamma, float eps,
                        boolean epsInside, float wd) {
        check(p, g, off, len, s, mean);
        float rest = 1f - gamma;
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            FloatVector gv = decayed(load(g, i), pv, wd);
            FloatVector sv = average(load(s, i), gamma, gv.mul(gv), rest);
            sv.intoArray(s, i);
            FloatVector var = sv;
            if (mean != null) {
                FloatVector mv = average(load(mean, i), gamma, gv, rest);
                mv.intoArray(mean, i);
                var = sv.sub(mv.mul(mv));
            }
            FloatVector denom = denominator(var, eps, epsInside);
            pv.sub(gv.mul(lr).div(denom)).intoArray(p, i);
        }
        for (; i < off + len; i++) ScalarOptimizerKernels.rmspropAt(p, g, s, mean, i, lr, gamma, eps, epsInside, wd);
    }

    @Override
    public void adadelta(float[] p, float[] g, float[] s, float[] delta, int off, int len, float rho, float eps, float wd) {
        check(p, g, off, len, s, delta);
        float rest = 1f - rho;
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            FloatVector gv = decayed(load(g, i), pv, wd);
            FloatVector sv = average(load(s, i), rho, gv.mul(gv), rest);
            sv.intoArray(s, i);
            FloatVector dv = load(delta, i);
            FloatVector u = dv.add(eps).sqrt().div(sv.add(eps).sqrt()).mul(gv);
            pv.sub(u).intoArray(p, i);
            average(dv, rho, u.mul(u), rest).intoArray(delta, i);
        }
        for (; i < off + len; i++) ScalarOptimizerKernels.adadeltaAt(p, g, s, delta, i, rho, eps, wd);
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int off, int len, float lr, float beta1,
                     float beta2, float eps, float c1, float c2, float wd, float decoupled) {
        check(p, g, off, len, m, v, vmax);
        float rest1 = 1f - beta1, rest2 = 1f - beta2, lrDecay = lr * decoupled;
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            FloatVector shrunk = pv.sub(pv.mul(lrDecay));
            FloatVector gv = decayed(load(g, i), pv, wd);
            FloatVector mv = average(load(m, i), beta1, gv, rest1);
            FloatVector vv = average(load(v, i), beta2, gv.mul(gv), rest2);
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (vmax != null) {
                vv = load(vmax, i).max(vv);
                vv.intoArray(vmax, i);
            }
            shrunk.sub(adamStep(mv, vv, lr, eps, c1, c2)).intoArray(p, i);
        }
        for (; i < off + len; i++) {
            ScalarOptimizerKernels.adamAt(p, g, m, v, vmax, i, lr, beta1, beta2, eps, c1, c2, wd, decoupled);
        }
    }

    @Override
    public void yogi(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr, float beta1, float beta2,
                     float eps, float c1, float c2, float wd) {
        check(p, g, off, len, m, v);
        float rest1 = 1f - beta1, rest2 = 1f - beta2;
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), minusOne = FloatVector.broadcast(S, -1f);
        int i = off, end = off + S.loopBound(len);
        for (; i < end; i += V) {
            FloatVector pv = load(p, i);
            FloatVector gv = decayed(load(g, i), pv, wd);
            FloatVector g2 = gv.mul(gv);
            FloatVector mv = average(load(m, i), beta1, gv, rest1);
            FloatVector vOld = load(v, i);
            FloatVector diff = g2.sub(vOld);
            VectorMask<Float> up = diff.compare(VectorOperators.GT, 0f), down = diff.compare(VectorOperators.LT, 0f);
            FloatVector sign = zero.blend(one, up).blend(minusOne, down);
            FloatVector vv = vOld.add(sign.mul(rest2).mul(g2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            pv.sub(adamStep(mv, vv, lr, eps, c1, c2)).intoArray(p, i);
        }
        for (; i < off + len; i++) ScalarOptimizerKernels.yogiAt(p, g, m, v, i, lr, beta1, beta2, eps, c1, c2, wd);
    }
}
