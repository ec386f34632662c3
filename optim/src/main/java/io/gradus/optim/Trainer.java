package io.gradus.optim;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.OptimizerKernels;
import io.gradus.kernels.Parallel;
import io.gradus.optim.schedule.LrSchedule;

/**
 * Binds {@link Params}, an {@link Optimizer} and a schedule, as Gluon's {@code Trainer}:
 * {@link #step(int)} rescales the gradients by {@code 1/batchSize}, checks them, clips them, and
 * runs the optimizer's fused kernel over the flat arrays (in chunks on the pool; the result does
 * not depend on the thread count). The update count starts at 1 and is what the schedule sees.
 *
 * <p>Order within a step, as Gluon/MXNet: rescale, clip, weight decay (inside the kernel), update.
 * A NaN or infinite gradient is found by the global-norm pass (a non-finite norm), reported with
 * the update count and the first bad index, and never written into the parameters: the policy
 * either throws {@link NonFiniteGradientException} or skips the step (the count does not advance).
 */
public final class Trainer {

    /** What to do with a gradient that holds NaN or infinity. */
    public enum NonFinitePolicy { THROW, SKIP }

    /** Thrown under {@link NonFinitePolicy#THROW}; nothing has been updated. */
    public static final class NonFiniteGradientException extends RuntimeException {
        public NonFiniteGradientException(String message) {
            super(message);
        }
    }

    /** Elements per task of the parallel update (a few hundred kilobytes of each array). */
    static final int CHUNK = 1 << 16;

    private final Params params;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final float[][] state;
    private final Parallel pool;
    private double clipNorm;
    private double clipValue;
    private boolean checkFinite = true;
    private NonFinitePolicy policy = NonFinitePolicy.THROW;
    private long updates;
    private Double rateOverride;
    private long skipped;

    public Trainer(Params params, Optimizer optimizer, LrSchedule schedule) {
        this(params, optimizer, schedule, Parallel.common());
    }

    public Trainer(Params params, Optimizer optimizer, LrSchedule schedule, Parallel pool) {
        if (params == null || optimizer == null || schedule == null || pool == null) {
            throw new IllegalArgumentException("params, optimizer, schedule and pool must not be null");
        }
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.pool = pool;
        this.state = new float[optimizer.stateArrays()][params.size()];
    }

    /** Clip the gradient to global L2 norm at most {@code c} (11.2.3's projection); 0 turns it off. */
    public Trainer clipByNorm(double c) {
        Optimizers.checkDecay("clip norm", c);
        this.clipNorm = c;
        return this;
    }

    /** Clip every gradient coordinate to {@code [-c, c]} (Gluon's {@code clip_gradient}); 0 turns it off. */
    public Trainer clipByValue(double c) {
        Optimizers.checkDecay("clip value", c);
        this.clipValue = c;
        return this;
    }

    /** Whether to check gradients for NaN/infinity, and what to do then. */
    public Trainer nonFinite(boolean check, NonFinitePolicy policy) {
        this.checkFinite = check;
        this.policy = policy;
        return this;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Updates done so far. */
    public long updates() {
        return updates;
    }

    /** Steps skipped for non-finite gradients. */
    public long skipped() {
        return skipped;
    }

    /** The rate the next update will use (Gluon's {@code learning_rate}). */
    public double learningRate() {
        return rateOverride != null ? rateOverride : schedule.rate(updates + 1);
    }

    /** Fixes the rate from now on, overriding the schedule (Gluon's {@code set_learning_rate}). */
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr = " + lr + ": expected a finite rate >= 0");
        rateOverride = lr;
    }

    LrSchedule schedule() {
        return schedule;
    }

    Double rateOverride() {
        return rateOverride;
    }

    Params params() {
        return params;
    }

    /** Sets the counters a checkpoint restores. */
    void restoreCounters(long updates, long skipped, Double rateOverride) {
        this.updates = updates;
        this.skipped = skipped;
        this.rateOverride = rateOverride;
    }

    /** The optimizer's state arrays (for checkpoints and tests). */
    public float[][] state() {
        return state;
    }

    /** One update from the accumulated gradients of a batch of {@code batchSize} examples. */
    public void step(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + ": expected >= 1");
        float[] g = params.grads();
        int n = g.length;
        ArrayKernels k = ArrayKernels.get();
        if (batchSize != 1) k.scale(1f / batchSize, g, 0, n); // a pass over g saved when there is nothing to rescale
        if (checkFinite || clipNorm > 0) {
            double norm = Math.sqrt(sumOfSquares(g));
            if (!Double.isFinite(norm)) {
                int bad = firstNonFinite(g);
                if (bad >= 0) {
                    String msg = "update " + (updates + 1) + ": gradient is " + g[bad] + " at flat index " + bad
                            + " (" + slotOf(bad) + ")";
                    if (policy == NonFinitePolicy.THROW) throw new NonFiniteGradientException(msg + "; parameters unchanged");
                    skipped++;
                    return;
                }
            }
            if (clipNorm > 0 && norm > clipNorm) k.scale((float) (clipNorm / norm), g, 0, n);
        }
        if (clipValue > 0) {
            float c = (float) clipValue;
            for (int i = 0; i < n; i++) g[i] = Math.max(-c, Math.min(c, g[i]));
        }
        long t = ++updates;
        double lr = rateOverride != null ? rateOverride : schedule.rate(t);
        float[] p = params.values();
        OptimizerKernels ok = OptimizerKernels.get();
        int chunks = (n + CHUNK - 1) / CHUNK;
        pool.forEach(chunks, c -> {
            int off = c * CHUNK;
            optimizer.update(ok, p, g, state, off, Math.min(CHUNK, n - off), lr, t);
        });
    }

    /** Sum of squares in double over float chunks, so that a large but finite gradient does not overflow. */
    private double sumOfSquares(float[] g) {
        ArrayKernels k = ArrayKernels.get();
        double s = 0;
        for (int off = 0; off < g.length; off += CHUNK) {
            int len = Math.min(CHUNK, g.length - off);
            float part = k.sumOfSquares(g, off, len);
            if (Float.isInfinite(part)) { // overflow of the float partial, or a genuine infinity
                for (int i = off; i < off + len; i++) s += (double) g[i] * g[i];
            } else {
                s += part;
            }
        }
        return s;
    }

    private static int firstNonFinite(float[] g) {
        for (int i = 0; i < g.length; i++) if (!Float.isFinite(g[i])) return i;
        return -1;
    }

    private String slotOf(int index) {
        for (Params.Slot s : params.slots()) {
            if (index >= s.offset() && index < s.offset() + s.size()) return s.name() + "[" + (index - s.offset()) + "]";
        }
        return "?";
    }
}
