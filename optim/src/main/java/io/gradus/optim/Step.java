package io.gradus.optim;

/**
 * The values one optimizer step hands every implementation of an update rule (scalar, Vector API,
 * OpenCL): the update count, the learning rate, and how to turn the raw accumulated gradient into
 * the one the rule sees. With {@code c = gradScale} and {@code v = clipValue}, coordinate {@code i}
 * of the gradient is
 * <pre>  g'_i = clip(c g_i, -v, v) + lambda x_i</pre>
 * where {@code clip} is skipped when {@code v == 0} and {@code lambda} is the algorithm's coupled
 * weight decay. {@code gradScale} is {@code 1/batchSize} (Gluon's {@code rescale_grad}) times the
 * global-norm clip factor {@code min(1, C / ||g / batchSize||)} (section 11.2.3's projection); the
 * Trainer computes both on the host, so the update kernel reads the gradient once and never writes
 * it. This is MXNet's order: rescale, clip, weight decay, update.
 *
 * @param t         the update count, 1 for the first update (what schedules and Adam's bias
 *                  corrections see)
 * @param lr        the learning rate (already multiplied by the parameter group's multiplier)
 * @param gradScale the factor applied to every raw gradient coordinate
 * @param clipValue the bound of the per-coordinate clip after scaling, or 0 for none
 */
public record Step(long t, double lr, double gradScale, double clipValue) {

    public Step {
        if (t < 1) throw new IllegalArgumentException("t = " + t + ": expected an update count >= 1");
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr = " + lr + ": expected a finite rate >= 0");
        }
        if (!(gradScale >= 0) || Double.isInfinite(gradScale)) {
            throw new IllegalArgumentException("gradScale = " + gradScale + ": expected a finite factor >= 0");
        }
        if (!(clipValue >= 0) || Double.isInfinite(clipValue)) {
            throw new IllegalArgumentException("clipValue = " + clipValue + ": expected a finite bound >= 0 (0: no clip)");
        }
    }

    /** Update {@code t} at rate {@code lr} on gradients used as they are. */
    public static Step of(long t, double lr) {
        return new Step(t, lr, 1, 0);
    }

    /** The effective gradient of one coordinate in double precision (the references' form). */
    public double gradient(double g, double x, double weightDecay) {
        double scaled = g * gradScale;
        if (clipValue > 0) scaled = Math.max(-clipValue, Math.min(clipValue, scaled));
        return scaled + weightDecay * x;
    }
}
