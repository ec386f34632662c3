package io.gradus.optim;

import io.gradus.kernels.Parallel;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.algorithms.LayerwiseAlgorithm;
import io.gradus.optim.schedule.LrScheduler;

/**
 * Binds {@link Params}, an {@link Optimizer} and a schedule on the CPU, as Gluon's {@code Trainer}:
 * {@link #step(int)} turns the gradients accumulated over a batch into one update. (On an OpenCL
 * device: {@link DeviceTrainer}, with the same settings and checkpoints.)
 *
 * <h2>One step</h2>
 * Order as Gluon/MXNet: rescale by {@code 1/batchSize}, check for NaN and infinity, clip (by
 * global norm, then by value), weight decay, update. At most two passes over the gradient:
 * <ol>
 *   <li>when the non-finite check or clipping by norm is on: one parallel pass that sums the
 *       squares of the raw gradient in float chunks added in double, in a fixed order (the result
 *       does not depend on the thread count). A non-finite sum means a bad gradient: only then is
 *       the first bad index looked for. The clip factor {@code min(1, C / ||g / batchSize||)}
 *       follows from the sum;</li>
 *   <li>the optimizer's fused kernel over the flat arrays, in chunks on the pool, with the rescale
 *       and the clip factor folded into one gradient scale and the per-coordinate clip applied inside
 *       the kernel ({@link Step}). The gradient is read, never written.</li>
 * </ol>
 * The update count starts at 1 and is what the schedule sees; the schedule is read with
 * {@link LrScheduler#rate} (which changes nothing) and committed with {@link LrScheduler#advance}
 * after the update. A non-finite gradient is reported with the update count and the first bad
 * index and never written into the parameters: the policy either throws
 * {@link NonFiniteGradientException} or skips the step (the count does not advance); either way
 * nothing has changed, the gradients included.
 *
 * <h2>Parameter groups</h2>
 * {@link #paramGroup} gives named parameters their own learning-rate multiplier and weight decay;
 * each group's slices run the same kernel with its own settings.
 *
 * <h2>Threads</h2>
 * A Trainer is not for concurrent use: {@link #step} from two threads at once fails fast with an
 * {@link IllegalStateException}. Its own work runs on the pool it was given. Results are identical
 * for any pool size.
 */
public final class Trainer extends TrainerBase<Trainer> {

    private final float[][] state;
    private final Parallel pool;

    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule) {
        this(params, optimizer, schedule, Parallel.common());
    }

    public Trainer(Params params, Optimizer optimizer, LrScheduler schedule, Parallel pool) {
        super(params, optimizer, schedule);
        if (pool == null) throw new IllegalArgumentException("pool = null: expected a Parallel pool");
        this.pool = pool;
        this.state = new float[optimizer.stateArrays()][params.size()];
        for (int k = 0; k < state.length; k++) java.util.Arrays.fill(state[k], (float) optimizer.initialState(k));
    }

    /** The optimizer's state arrays (for checkpoints and tests). */
    public float[][] state() {
        return state;
    }

    /**
     * One update from the accumulated gradients of a batch of {@code batchSize} examples; with
     * {@link #accumulate} every {@code k}-th call updates from the sum of the last {@code k}
     * batches' gradients, the calls between only add them up.
     */
    public void step(int batchSize) {
        stepAccumulating(batchSize);
    }

    /** The running sum of {@link #accumulate}, allocated at its first use. */
    private float[] gradientSum;

    @Override
    void addGradientsToSum(boolean first) {
        float[] g = params.grads();
        if (gradientSum == null) gradientSum = new float[g.length];
        float[] sum = gradientSum;
        pool.forEach((g.length + CHUNK - 1) / CHUNK, c -> {
            int from = c * CHUNK, to = Math.min(g.length, from + CHUNK);
            if (first) System.arraycopy(g, from, sum, from, to - from);
            else for (int i = from; i < to; i++) sum[i] += g[i];
        });
    }

    @Override
    void foldSumIntoGradients() {
        float[] g = params.grads(), sum = gradientSum;
        pool.forEach((g.length + CHUNK - 1) / CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(g.length, i + CHUNK); i < end; i++) g[i] = sum[i] + g[i];
        });
    }

    /**
     * Sum of squares of the gradient on the pool: float partials per chunk (a chunk whose float sum
     * overflows is summed again in double), added in chunk order in double, so the result does not
     * depend on the thread count. Where the vector width changes the float partials' summation
     * order, the sum may differ in its last bits between machines.
     */
    @Override
    double gradientSumOfSquares() {
        float[] g = params.grads();
        int chunks = (g.length + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        pool.forEach(chunks, c -> {
            int off = c * CHUNK, len = Math.min(CHUNK, g.length - off);
            float part = Algorithm.sumOfSquares(g, off, len);
            if (Float.isInfinite(part)) { // overflow of the float partial, or a genuine infinity
                double s = 0;
                for (int i = off; i < off + len; i++) s += (double) g[i] * g[i];
                partial[c] = s;
            } else {
                partial[c] = part;
            }
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    @Override
    int firstNonFiniteGradient() {
        float[] g = params.grads();
        for (int i = 0; i < g.length; i++) if (!Float.isFinite(g[i])) return i;
        return -1;
    }

    @Override
    float gradientAt(int index) {
        return params.grads()[index];
    }

    @Override
    void update(Plan p, Step[] steps, boolean normPassRan) {
        if (optimizer() instanceof LayerwiseAlgorithm) {
            updateLayerwise(p, steps);
            return;
        }
        float[] values = params.values(), g = params.grads();
        int tasks = p.taskOffsets().length;
        pool.forEach(tasks, order -> {
            // After the norm pass, the end of the gradient is what the caches still hold: update
            // from the end. Each task's result does not depend on the order.
            int task = normPassRan ? tasks - 1 - order : order;
            int segment = p.taskSegments()[task];
            p.segmentOptimizers()[segment].update(steps[segment], values, g, state, p.taskOffsets()[task], p.taskLengths()[task]);
        });
    }

    /** The tasks of a layerwise rule: each slot cut into chunks, none across two slots. */
    private record LayerPlan(int[] taskSegment, int[] taskSlot, int[] taskOffset, int[] taskLength, int slots) {}

    private LayerPlan layerPlan;

    private LayerPlan layerPlan(Plan p) {
        if (layerPlan != null) return layerPlan;
        java.util.List<int[]> tasks = new java.util.ArrayList<>();
        java.util.List<Params.Slot> slots = params.slots();
        for (int k = 0; k < slots.size(); k++) {
            Params.Slot slot = slots.get(k);
            int segment = 0;
            while (!(slot.offset() >= p.segmentOffsets()[segment] && slot.offset() < p.segmentOffsets()[segment] + p.segmentLengths()[segment])) {
                segment++;
            }
            for (int off = slot.offset(); off < slot.offset() + slot.size(); off += CHUNK) {
                tasks.add(new int[] {segment, k, off, Math.min(CHUNK, slot.offset() + slot.size() - off)});
            }
        }
        layerPlan = new LayerPlan(tasks.stream().mapToInt(t -> t[0]).toArray(), tasks.stream().mapToInt(t -> t[1]).toArray(),
                tasks.stream().mapToInt(t -> t[2]).toArray(), tasks.stream().mapToInt(t -> t[3]).toArray(), slots.size());
        return layerPlan;
    }

    /**
     * A layerwise rule (LAMB): pass one on every chunk in parallel, each chunk's sums added per
     * slot in chunk order (so the factor does not depend on the thread count), pass two in parallel.
     */
    private void updateLayerwise(Plan p, Step[] steps) {
        LayerPlan lp = layerPlan(p);
        float[] values = params.values(), g = params.grads();
        int tasks = lp.taskOffset().length;
        double[][] sums = new double[tasks][];
        pool.forEach(tasks, t -> {
            int segment = lp.taskSegment()[t];
            sums[t] = ((LayerwiseAlgorithm) p.segmentOptimizers()[segment]).firstPass(steps[segment], values, g, state,
                    lp.taskOffset()[t], lp.taskLength()[t]);
        });
        double[] sumX = new double[lp.slots()], sumR = new double[lp.slots()];
        for (int t = 0; t < tasks; t++) {
            sumX[lp.taskSlot()[t]] += sums[t][0];
            sumR[lp.taskSlot()[t]] += sums[t][1];
        }
        pool.forEach(tasks, t -> {
            int segment = lp.taskSegment()[t], slot = lp.taskSlot()[t];
            LayerwiseAlgorithm rule = (LayerwiseAlgorithm) p.segmentOptimizers()[segment];
            rule.secondPass(steps[segment], values, state, lp.taskOffset()[t], lp.taskLength()[t], rule.factor(sumX[slot], sumR[slot]));
        });
    }

    @Override
    float[] hostValues() {
        return params.values();
    }

    @Override
    float[][] hostState() {
        return state;
    }

    @Override
    void restoreArrays(float[] values, float[][] saved) {
        System.arraycopy(values, 0, params.values(), 0, values.length);
        for (int i = 0; i < saved.length; i++) System.arraycopy(saved[i], 0, state[i], 0, values.length);
    }
}
