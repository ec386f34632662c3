package io.gradus.core.nn;

import io.gradus.core.tensor.Tensor;
import java.util.Random;

/** How weights start: fills a parameter tensor in place from an explicit seed. */
@FunctionalInterface
public interface Initializer {

    void fill(Tensor weight, long seed);

    /** Normal(0, sigma), as MXNet's {@code init.Normal(sigma)}. */
    static Initializer normal(double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma = " + sigma + ": expected > 0");
        return (w, seed) -> {
            Random r = new Random(seed);
            float[] d = w.storage();
            for (int i = 0; i < w.size(); i++) d[w.offset() + i] = (float) (sigma * r.nextGaussian());
        };
    }

    /**
     * Xavier as MXNet's default {@code init.Xavier()}: uniform on {@code [-a, a]} with
     * {@code a = sqrt(3 / ((fan_in + fan_out) / 2))} (magnitude 3, average fan). For a weight
     * {@code [out, in, k...]}, fan_in = in * prod(k) and fan_out = out * prod(k).
     */
    static Initializer xavier() {
        return (w, seed) -> {
            int[] s = w.shape();
            if (s.length < 2) throw new IllegalArgumentException("xavier: weight " + java.util.Arrays.toString(s) + " has fewer than 2 axes");
            int receptive = 1;
            for (int i = 2; i < s.length; i++) receptive *= s[i];
            double fanIn = (double) s[1] * receptive, fanOut = (double) s[0] * receptive;
            double a = Math.sqrt(3.0 / ((fanIn + fanOut) / 2.0));
            Random r = new Random(seed);
            float[] d = w.storage();
            for (int i = 0; i < w.size(); i++) d[w.offset() + i] = (float) (a * (2 * r.nextDouble() - 1));
        };
    }

    /** All zeros. */
    static Initializer zeros() {
        return (w, seed) -> java.util.Arrays.fill(w.storage(), w.offset(), w.offset() + w.size(), 0f);
    }
}
