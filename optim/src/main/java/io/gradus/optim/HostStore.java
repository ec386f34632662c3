package io.gradus.optim;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.Parallel;
import io.gradus.optim.algorithms.LayerwiseAlgorithm;
import java.util.Arrays;

import static io.gradus.optim.StepPlan.CHUNK;

/**
 * The arrays in the JVM's heap: {@link Params}' own values and gradients (which the model's
 * tensors view) and the state arrays; every pass runs in chunks of {@link StepPlan#CHUNK} on a
 * {@link Parallel} pool, with results that do not depend on the pool's size.
 */
final class HostStore implements ArrayStore {

    private final Params params;
    private final float[][] state;
    private final Parallel pool;
    /** The running sum of gradient accumulation, allocated at its first use. */
    private float[] gradientSum;

    HostStore(Params params, Optimizer optimizer, Parallel pool) {
        this.params = params;
        this.pool = pool;
        this.state = new float[optimizer.stateArrays()][params.size()];
        for (int k = 0; k < state.length; k++) Arrays.fill(state[k], (float) optimizer.initialState(k));
    }

    /**
     * Float partials per chunk on the pool ({@link ArrayKernels#sumOfSquares}), added in chunk order
     * in double. Where the vector width changes the partials' summation order, the sum may differ in
     * its last bits between machines; never between thread counts.
     */
    @Override
    public double gradientSumOfSquares() {
        float[] g = params.grads();
        int chunks = (g.length + CHUNK - 1) / CHUNK;
        float[] partials = new float[chunks];
        pool.forEach(chunks, c -> partials[c] = ArrayKernels.get().sumOfSquares(g, c * CHUNK, Math.min(CHUNK, g.length - c * CHUNK)));
        return ArrayKernels.addChunkPartials(partials, c -> {
            double s = 0;
            for (int i = c * CHUNK, end = Math.min(g.length, i + CHUNK); i < end; i++) s += (double) g[i] * g[i];
            return s;
        });
    }

    @Override
    public int firstNonFiniteGradient() {
        float[] g = params.grads();
        for (int i = 0; i < g.length; i++) if (!Float.isFinite(g[i])) return i;
        return -1;
    }

    @Override
    public float gradientAt(int index) {
        return params.grads()[index];
    }

    @Override
    public void update(StepPlan plan, Step[] steps, boolean normPassRan) {
        float[] values = params.values(), g = params.grads();
        int tasks = plan.tasks();
        if (!plan.layerwise) {
            pool.forEach(tasks, order -> {
                // After the norm pass the end of the gradient is what the caches still hold: update
                // from the end. No task's result depends on the order.
                int task = normPassRan ? tasks - 1 - order : order;
                int segment = plan.taskSegments[task];
                plan.segmentRules[segment].update(steps[segment], values, g, state, plan.taskOffsets[task], plan.taskLengths[task]);
            });
            return;
        }
        // A layerwise rule: pass one on every chunk in parallel, each chunk's sums added per tensor in
        // chunk order (so the factor does not depend on the thread count), then pass two in parallel.
        double[][] sums = new double[tasks][];
        pool.forEach(tasks, t -> {
            int segment = plan.taskSegments[t];
            sums[t] = ((LayerwiseAlgorithm) plan.segmentRules[segment]).firstPass(steps[segment], values, g, state,
                    plan.taskOffsets[t], plan.taskLengths[t]);
        });
        double[] sumX = new double[plan.tensors()], sumR = new double[plan.tensors()];
        for (int t = 0; t < tasks; t++) {
            sumX[plan.taskTensors[t]] += sums[t][0];
            sumR[plan.taskTensors[t]] += sums[t][1];
        }
        pool.forEach(tasks, t -> {
            int segment = plan.taskSegments[t], tensor = plan.taskTensors[t];
            LayerwiseAlgorithm rule = (LayerwiseAlgorithm) plan.segmentRules[segment];
            rule.secondPass(steps[segment], values, state, plan.taskOffsets[t], plan.taskLengths[t], rule.factor(sumX[tensor], sumR[tensor]));
        });
    }

    @Override
    public void addGradientsToSum(boolean first) {
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
    public void foldSumIntoGradients() {
        float[] g = params.grads(), sum = gradientSum;
        pool.forEach((g.length + CHUNK - 1) / CHUNK, c -> {
            for (int i = c * CHUNK, end = Math.min(g.length, i + CHUNK); i < end; i++) g[i] = sum[i] + g[i];
        });
    }

    @Override
    public float[] values() {
        return params.values().clone();
    }

    @Override
    public float[][] state() {
        float[][] out = new float[state.length][];
        for (int k = 0; k < state.length; k++) out[k] = state[k].clone();
        return out;
    }

    /** The live state arrays (for a checkpoint written without copying them). */
    float[][] liveState() {
        return state;
    }

    @Override
    public void restore(float[] values, float[][] saved) {
        System.arraycopy(values, 0, params.values(), 0, values.length);
        for (int k = 0; k < saved.length; k++) System.arraycopy(saved[k], 0, state[k], 0, values.length);
    }

    @Override
    public void close() {}
}
