package io.gradus.kernels;

/**
 * The per-coordinate updates of chapter 11's optimizers, fused: one pass over the flat arrays
 * ({@code p} parameters, {@code g} gradients, state arrays) for {@code [off, off + len)}. Every
 * algorithm has one signature shared by the scalar implementation ({@link ScalarOptimizerKernels}),
 * the Vector API one, and later the OpenCL one; the scalar and vector ones give identical bits
 * (the same IEEE operations in the same order, no contraction into FMA). Gradients arrive already
 * rescaled and clipped; {@code wd} adds the coupled L2 term {@code wd * p} to the gradient first.
 * The update rules are stated, with their sources, in the optim module's optimizer classes.
 */
public interface OptimizerKernels {

    static OptimizerKernels get() {
        return SimdSupport.optimizerKernels();
    }

    /** {@code p -= lr (g + wd p)}. */
    void sgd(float[] p, float[] g, int off, int len, float lr, float wd);

    /**
     * Heavy ball (11.6): {@code v = beta v + g'}, {@code p -= lr v}; with {@code nesterov},
     * {@code p -= lr (g' + beta v)} (PyTorch's form). {@code g' = g + wd p}.
     */
    void momentum(float[] p, float[] g, float[] v, int off, int len, float lr, float beta, float wd, boolean nesterov);

    /** Adagrad (11.7): {@code s += g'^2}, {@code p -= lr g' / sqrt(s + eps)} (or {@code / (sqrt(s) + eps)}). */
    void adagrad(float[] p, float[] g, float[] s, int off, int len, float lr, float eps, boolean epsInside, float wd);

    /**
     * RMSProp (11.8): {@code s = gamma s + (1 - gamma) g'^2}; centered (Graves 2013) also keeps
     * {@code m = gamma m + (1 - gamma) g'} and uses {@code s - m^2}; {@code p -= lr g' / sqrt(. + eps)}
     * or {@code / (sqrt(.) + eps)}. {@code mean} is null unless centered.
     */
    void rmsprop(float[] p, float[] g, float[] s, float[] mean, int off, int len, float lr, float gamma, float eps,
                 boolean epsInside, float wd);

    /**
     * Adadelta (11.9, as the book's code): {@code s = rho s + (1 - rho) g'^2},
     * {@code u = sqrt(delta + eps) / sqrt(s + eps) * g'}, {@code p -= u},
     * {@code delta = rho delta + (1 - rho) u^2}.
     */
    void adadelta(float[] p, float[] g, float[] s, float[] delta, int off, int len, float rho, float eps, float wd);

    /**
     * Adam (11.10): {@code m = b1 m + (1 - b1) g'}, {@code v = b2 v + (1 - b2) g'^2}, then
     * {@code p -= lr (m / c1) / (sqrt(v' / c2) + eps)} where {@code c1 = 1 - b1^t}, {@code c2 = 1 - b2^t}
     * and {@code v' = v}, or for AMSGrad ({@code vmax} non-null) {@code v' = vmax = max(vmax, v)}.
     * {@code decoupled} is AdamW's {@code p -= lr decoupled p}, applied before the step.
     */
    void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int off, int len, float lr, float beta1,
              float beta2, float eps, float c1, float c2, float wd, float decoupled);

    /**
     * Yogi (11.10.3, as the book's code): Adam with {@code v = v + (1 - b2) sign(g'^2 - v) g'^2}.
     */
    void yogi(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr, float beta1, float beta2,
              float eps, float c1, float c2, float wd);
}
