package io.gradus.optim;

/**
 * The book's update rules in double precision, one coordinate at a time: the oracle the fused
 * float32 kernels ({@link io.gradus.kernels.OptimizerKernels}) are tested against, and what the
 * 2-D traces of sections 11.6-11.10 are computed with. {@code s} holds the coordinate's state
 * (its layout per rule below); each method returns the new parameter. {@code t} counts from 1.
 */
public final class Reference {
    private Reference() {}

    /** 11.4: {@code x - eta (g + wd x)}. */
    public static double sgd(double x, double g, double eta, double wd) {
        return x - eta * (g + wd * x);
    }

    /** 11.6 (Polyak 1964): {@code v = beta v + g}, {@code x - eta v}; Nesterov: {@code x - eta (g + beta v)}. s = {v}. */
    public static double momentum(double x, double g, double[] s, double eta, double beta, double wd, boolean nesterov) {
        double gi = g + wd * x;
        s[0] = beta * s[0] + gi;
        return x - eta * (nesterov ? gi + beta * s[0] : s[0]);
    }

    /** 11.7 (Duchi et al. 2011): {@code s += g^2}, {@code x - eta g / sqrt(s + eps)}. s = {s}. */
    public static double adagrad(double x, double g, double[] s, double eta, double eps, boolean epsInside, double wd) {
        double gi = g + wd * x;
        s[0] += gi * gi;
        return x - eta * gi / (epsInside ? Math.sqrt(s[0] + eps) : Math.sqrt(s[0]) + eps);
    }

    /** 11.8 (Tieleman and Hinton 2012; centered: Graves 2013). s = {s, mean}. */
    public static double rmsprop(double x, double g, double[] s, double eta, double gamma, double eps, boolean epsInside,
                                 boolean centered, double wd) {
        double gi = g + wd * x;
        s[0] = gamma * s[0] + (1 - gamma) * gi * gi;
        double var = s[0];
        if (centered) {
            s[1] = gamma * s[1] + (1 - gamma) * gi;
            var -= s[1] * s[1];
        }
        return x - eta * gi / (epsInside ? Math.sqrt(var + eps) : Math.sqrt(var) + eps);
    }

    /** 11.9 (Zeiler 2012), as the book's code (delta updated with the rescaled gradient). s = {s, delta}. */
    public static double adadelta(double x, double g, double[] s, double rho, double eps, double wd) {
        double gi = g + wd * x;
        s[0] = rho * s[0] + (1 - rho) * gi * gi;
        double u = Math.sqrt(s[1] + eps) / Math.sqrt(s[0] + eps) * gi;
        s[1] = rho * s[1] + (1 - rho) * u * u;
        return x - u;
    }

    /**
     * 11.10 (Kingma and Ba 2014; AMSGrad: Reddi et al. 2018; AdamW: Loshchilov and Hutter 2019).
     * s = {m, v, vmax}.
     */
    public static double adam(double x, double g, double[] s, long t, double eta, double beta1, double beta2, double eps,
                              boolean amsgrad, double wd, double decoupled) {
        double shrunk = x - eta * decoupled * x;
        double gi = g + wd * x;
        s[0] = beta1 * s[0] + (1 - beta1) * gi;
        s[1] = beta2 * s[1] + (1 - beta2) * gi * gi;
        double v = s[1];
        if (amsgrad) {
            s[2] = Math.max(s[2], s[1]);
            v = s[2];
        }
        double mHat = s[0] / (1 - Math.pow(beta1, t)), vHat = v / (1 - Math.pow(beta2, t));
        return shrunk - eta * mHat / (Math.sqrt(vHat) + eps);
    }

    /** 11.10.3 (Zaheer et al. 2018), as the book's code: zero initial state. s = {m, v}. */
    public static double yogi(double x, double g, double[] s, long t, double eta, double beta1, double beta2, double eps,
                              double wd) {
        double gi = g + wd * x;
        s[0] = beta1 * s[0] + (1 - beta1) * gi;
        s[1] = s[1] + (1 - beta2) * Math.signum(gi * gi - s[1]) * gi * gi;
        double mHat = s[0] / (1 - Math.pow(beta1, t)), vHat = s[1] / (1 - Math.pow(beta2, t));
        return x - eta * mHat / (Math.sqrt(vHat) + eps);
    }
}
