package io.gradus.kernels;

/**
 * Plain loops for {@link OptimizerKernels}: the fallback and the tail of the vector kernels. The
 * static {@code *At} methods update one coordinate; the vector kernels call them for their tails,
 * so both paths share one definition of each rule.
 */
public final class ScalarOptimizerKernels implements OptimizerKernels {

    public static final ScalarOptimizerKernels INSTANCE = new ScalarOptimizerKernels();

    private ScalarOptimizerKernels() {}

    /** Checks the parameter, gradient and state slices; shared with the vector implementation. */
    public static void check(float[] p, float[] g, int off, int len, float[]... state) {
        Checks.slice("p", p, off, len);
        Checks.slice("g", g, off, len);
        for (int i = 0; i < state.length; i++) {
            if (state[i] != null) Checks.slice("state " + i, state[i], off, len);
        }
    }

    public static void sgdAt(float[] p, float[] g, int i, float lr, float wd) {
        float gi = g[i] + wd * p[i];
        p[i] = p[i] - lr * gi;
    }

    public static void momentumAt(float[] p, float[] g, float[] v, int i, float lr, float beta, float wd, boolean nesterov) {
        float gi = g[i] + wd * p[i];
        float vi = beta * v[i] + gi;
        v[i] = vi;
        p[i] = p[i] - lr * (nesterov ? gi + beta * vi : vi);
    }

    public static void adagradAt(float[] p, float[] g, float[] s, int i, float lr, float eps, boolean epsInside, float wd) {
        float gi = g[i] + wd * p[i];
        float si = s[i] + gi * gi;
        s[i] = si;
        float denom = epsInside ? (float) Math.sqrt(si + eps) : (float) Math.sqrt(si) + eps;
        p[i] = p[i] - lr * gi / denom;
    }

    public static void rmspropAt(float[] p, float[] g, float[] s, float[] mean, int i, float lr, float gamma, float eps,
                                 boolean epsInside, float wd) {
        float gi = g[i] + wd * p[i];
        float si = gamma * s[i] + (1f - gamma) * (gi * gi);
        s[i] = si;
        float var = si;
        if (mean != null) {
            float mi = gamma * mean[i] + (1f - gamma) * gi;
            mean[i] = mi;
            var = si - mi * mi;
        }
        float denom = epsInside ? (float) Math.sqrt(var + eps) : (float) Math.sqrt(var) + eps;
        p[i] = p[i] - lr * gi / denom;
    }

    public static void adadeltaAt(float[] p, float[] g, float[] s, float[] delta, int i, float rho, float eps, float wd) {
        float gi = g[i] + wd * p[i];
        float si = rho * s[i] + (1f - rho) * (gi * gi);
        s[i] = si;
        float u = (float) Math.sqrt(delta[i] + eps) / (float) Math.sqrt(si + eps) * gi;
        p[i] = p[i] - u;
        delta[i] = rho * delta[i] + (1f - rho) * (u * u);
    }

    public static void adamAt(float[] p, float[] g, float[] m, float[] v, float[] vmax, int i, float lr, float beta1,
                              float beta2, float eps, float c1, float c2, float wd, float decoupled) {
        float pi = p[i] - lr * decoupled * p[i];
        float gi = g[i] + wd * p[i];
        float mi = beta1 * m[i] + (1f - beta1) * gi;
        float vi = beta2 * v[i] + (1f - beta2) * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        if (vmax != null) {
            vi = Math.max(vmax[i], vi);
            vmax[i] = vi;
        }
        p[i] = pi - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
    }

    public static void yogiAt(float[] p, float[] g, float[] m, float[] v, int i, float lr, float beta1, float beta2,
                              float eps, float c1, float c2, float wd) {
        float gi = g[i] + wd * p[i];
        float g2 = gi * gi;
        float mi = beta1 * m[i] + (1f - beta1) * gi;
        float vi = v[i] + (1f - beta2) * Math.signum(g2 - v[i]) * g2;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
    }

    @Override
    public void sgd(float[] p, float[] g, int off, int len, float lr, float wd) {
        check(p, g, off, len);
        for (int i = off; i < off + len; i++) sgdAt(p, g, i, lr, wd);
    }

    @Override
    public void momentum(float[] p, float[] g, float[] v, int off, int len, float lr, float beta, float wd, boolean nesterov) {
        check(p, g, off, len, v);
        for (int i = off; i < off + len; i++) momentumAt(p, g, v, i, lr, beta, wd, nesterov);
    }

    @Override
    public void adagrad(float[] p, float[] g, float[] s, int off, int len, float lr, float eps, boolean epsInside, float wd) {
        check(p, g, off, len, s);
        for (int i = off; i < off + len; i++) adagradAt(p, g, s, i, lr, eps, epsInside, wd);
    }

    @Override
    public void rmsprop(float[] p, float[] g, float[] s, float[] mean, int off, int len, float lr, float gamma, float eps,
                        boolean epsInside, float wd) {
        check(p, g, off, len, s, mean);
        for (int i = off; i < off + len; i++) rmspropAt(p, g, s, mean, i, lr, gamma, eps, epsInside, wd);
    }

    @Override
    public void adadelta(float[] p, float[] g, float[] s, float[] delta, int off, int len, float rho, float eps, float wd) {
        check(p, g, off, len, s, delta);
        for (int i = off; i < off + len; i++) adadeltaAt(p, g, s, delta, i, rho, eps, wd);
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int off, int len, float lr, float beta1,
                     float beta2, float eps, float c1, float c2, float wd, float decoupled) {
        check(p, g, off, len, m, v, vmax);
        for (int i = off; i < off + len; i++) adamAt(p, g, m, v, vmax, i, lr, beta1, beta2, eps, c1, c2, wd, decoupled);
    }

    @Override
    public void yogi(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr, float beta1, float beta2,
                     float eps, float c1, float c2, float wd) {
        check(p, g, off, len, m, v);
        for (int i = off; i < off + len; i++) yogiAt(p, g, m, v, i, lr, beta1, beta2, eps, c1, c2, wd);
    }
}
