package io.gradus.optim;

import io.gradus.kernels.OptimizerKernels;

/**
 * The algorithms of chapter 11, validated when built. Defaults follow the book's code where it has
 * them (Adagrad and RMSProp: eps 1e-6 inside the square root; Adadelta: eps 1e-5; Adam: eps 1e-6;
 * Yogi: eps 1e-3 and zero initial state). {@code wd} is the coupled L2 weight decay, added to the
 * gradient after clipping, as Gluon does.
 */
public final class Optimizers {
    private Optimizers() {}

    static void checkBeta(String name, double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(name + " = " + v + ": expected 0 <= " + name + " < 1");
    }

    static void checkEps(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value > 0");
    }

    static void checkDecay(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ": expected a finite value >= 0");
    }

    /** Minibatch SGD (11.4-11.5): {@code x -= lr (g + wd x)}. */
    public static Optimizer sgd(double wd) {
        checkDecay("wd", wd);
        return new Optimizer("sgd", 0) {
            public double[] hyperparameters() { return new double[] {wd}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.sgd(p, g, off, len, (float) lr, (float) wd);
            }
        };
    }

    /** Momentum (11.6, Polyak 1964): {@code v = beta v + g}, {@code x -= lr v}; Nesterov optionally (Sutskever et al. 2013). */
    public static Optimizer momentum(double beta, double wd, boolean nesterov) {
        checkBeta("beta", beta);
        checkDecay("wd", wd);
        return new Optimizer(nesterov ? "nesterov" : "momentum", 1) {
            public double[] hyperparameters() { return new double[] {beta, wd}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.momentum(p, g, s[0], off, len, (float) lr, (float) beta, (float) wd, nesterov);
            }
        };
    }

    /**
     * Adagrad (11.7, Duchi et al. 2011): {@code s += g^2}, {@code x -= lr g / sqrt(s + eps)} (the book's
     * form, {@code epsInside}) or {@code / (sqrt(s) + eps)} (PyTorch's).
     */
    public static Optimizer adagrad(double eps, boolean epsInside, double wd) {
        checkEps("eps", eps);
        checkDecay("wd", wd);
        return new Optimizer("adagrad", 1) {
            public double[] hyperparameters() { return new double[] {eps, epsInside ? 1 : 0, wd}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.adagrad(p, g, s[0], off, len, (float) lr, (float) eps, epsInside, (float) wd);
            }
        };
    }

    /** RMSProp (11.8, Tieleman and Hinton 2012), plain or centered (Graves 2013); eps as {@link #adagrad}. */
    public static Optimizer rmsprop(double gamma, double eps, boolean epsInside, boolean centered, double wd) {
        checkBeta("gamma", gamma);
        checkEps("eps", eps);
        checkDecay("wd", wd);
        return new Optimizer(centered ? "rmsprop-centered" : "rmsprop", centered ? 2 : 1) {
            public double[] hyperparameters() { return new double[] {gamma, eps, epsInside ? 1 : 0, wd}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.rmsprop(p, g, s[0], centered ? s[1] : null, off, len, (float) lr, (float) gamma, (float) eps, epsInside, (float) wd);
            }
        };
    }

    /** Adadelta (11.9, Zeiler 2012): no learning rate (the trainer's rate is ignored). */
    public static Optimizer adadelta(double rho, double eps, double wd) {
        checkBeta("rho", rho);
        checkEps("eps", eps);
        checkDecay("wd", wd);
        return new Optimizer("adadelta", 2) {
            public double[] hyperparameters() { return new double[] {rho, eps, wd}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.adadelta(p, g, s[0], s[1], off, len, (float) rho, (float) eps, (float) wd);
            }
        };
    }

    /** Adam (11.10, Kingma and Ba 2014): bias-corrected, eps outside the square root. */
    public static Optimizer adam(double beta1, double beta2, double eps, double wd) {
        return adamFamily("adam", beta1, beta2, eps, wd, 0, false);
    }

    /** AMSGrad (Reddi et al. 2018): Adam with the running maximum of the second moment. */
    public static Optimizer amsgrad(double beta1, double beta2, double eps, double wd) {
        return adamFamily("amsgrad", beta1, beta2, eps, wd, 0, true);
    }

    /** AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay {@code x -= lr decay x}. */
    public static Optimizer adamW(double beta1, double beta2, double eps, double decay) {
        checkDecay("decay", decay);
        return adamFamily("adamw", beta1, beta2, eps, 0, decay, false);
    }

    private static Optimizer adamFamily(String name, double beta1, double beta2, double eps, double wd, double decoupled,
                                        boolean amsgrad) {
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        checkEps("eps", eps);
        checkDecay("wd", wd);
        return new Optimizer(name, amsgrad ? 3 : 2) {
            public double[] hyperparameters() { return new double[] {beta1, beta2, eps, wd, decoupled}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.adam(p, g, s[0], s[1], amsgrad ? s[2] : null, off, len, (float) lr, (float) beta1, (float) beta2,
                        (float) eps, (float) (1 - Math.pow(beta1, t)), (float) (1 - Math.pow(beta2, t)), (float) wd,
                        (float) decoupled);
            }
        };
    }

    /** Yogi (11.10.3, Zaheer et al. 2018) as the book's code: zero initial state, eps 1e-3 by default. */
    public static Optimizer yogi(double beta1, double beta2, double eps, double wd) {
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        checkEps("eps", eps);
        checkDecay("wd", wd);
        return new Optimizer("yogi", 2) {
            public double[] hyperparameters() { return new double[] {beta1, beta2, eps, wd}; }

            protected void update(OptimizerKernels k, float[] p, float[] g, float[][] s, int off, int len, double lr, long t) {
                k.yogi(p, g, s[0], s[1], off, len, (float) lr, (float) beta1, (float) beta2, (float) eps,
                        (float) (1 - Math.pow(beta1, t)), (float) (1 - Math.pow(beta2, t)), (float) wd);
            }
        };
    }
}
