package io.gradus.optim;

import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceOps;
import io.gradus.optim.algorithms.KernelOptimizer;
import io.gradus.optim.algorithms.LayerwiseAlgorithm;
import io.gradus.optim.schedule.LrScheduler;

/**
 * A {@link Trainer} whose flat parameters, gradients and optimizer state live on a device
 * ({@link DeviceContext}: an OpenCL GPU, or the host when there is no OpenCL). The settings,
 * the order of a step (rescale, check, clip, weight decay, update), the schedule and the counters
 * are the CPU Trainer's; only where the arrays live differs:
 * <ul>
 *   <li>the parameters are uploaded once, when the trainer is built; values come back only when
 *       asked ({@link #downloadParameters()}) or when a checkpoint is saved;</li>
 *   <li>gradients either are produced on the device, in {@link #gradients()}, and {@link #step(int)}
 *       uses them, or come from host arrays, and {@link #step(float[], int)} uploads them first
 *       (one copy per step);</li>
 *   <li>the norm pass (when the non-finite check or clipping by norm is on) reduces the gradient on
 *       the device to one float per chunk of 65,536 and adds the partials on the host in double;
 *       a non-finite sum alone brings the gradient back, to name the first bad index;</li>
 *   <li>the update is one launch of the rule's kernel per parameter group: its {@link
 *       io.gradus.optim.algorithms.UpdateKernel} body translated to OpenCL C by Aparapi.</li>
 * </ul>
 * Checkpoints ({@link Checkpoint}) are the same files as a CPU Trainer's: either kind loads the
 * other's.
 *
 * <p>The optimizer must be a {@link KernelOptimizer}: a built-in algorithm, or an application's
 * own rule written as an {@link io.gradus.optim.algorithms.UpdateKernel}.
 * Close the trainer to free its device arrays. Not for concurrent use.
 */
public final class DeviceTrainer extends TrainerBase<DeviceTrainer> implements AutoCloseable {

    private final DeviceContext device;
    private final DeviceArray values;
    private final DeviceArray grads;
    private final DeviceArray[] state;

    /**
     * Uploads {@code params}' values to {@code device} and allocates the gradients and state there.
     *
     * @throws IllegalArgumentException if the optimizer has no device kernel
     */
    public DeviceTrainer(Params params, Optimizer optimizer, LrScheduler schedule, DeviceContext device) {
        super(params, optimizer, schedule);
        if (device == null) throw new IllegalArgumentException("device = null: expected a DeviceContext");
        if (!(optimizer instanceof KernelOptimizer)) {
            throw new IllegalArgumentException("optimizer " + optimizer.name() + " (" + optimizer.getClass().getName()
                    + ") has no device kernel: a DeviceTrainer runs a KernelOptimizer (the built-in algorithms, or a rule"
                    + " written as an UpdateKernel)");
        }
        this.device = device;
        DeviceArray v = null, g = null;
        DeviceArray[] s = new DeviceArray[optimizer.stateArrays()];
        try {
            v = device.upload(params.values());
            g = device.allocate(params.size());
            for (int i = 0; i < s.length; i++) {
                float start = (float) optimizer.initialState(i);
                if (start == 0f) {
                    s[i] = device.allocate(params.size());
                } else {
                    float[] filled = new float[params.size()];
                    java.util.Arrays.fill(filled, start);
                    s[i] = device.upload(filled);
                }
            }
        } catch (RuntimeException e) {
            if (v != null) v.close();
            if (g != null) g.close();
            for (DeviceArray a : s) if (a != null) a.close();
            throw e;
        }
        this.values = v;
        this.grads = g;
        this.state = s;
    }

    public DeviceContext device() {
        return device;
    }

    /** The flat parameters on the device. */
    public DeviceArray parameters() {
        return values;
    }

    /** The flat gradients on the device: kernels that produce gradients write here. */
    public DeviceArray gradients() {
        return grads;
    }

    /** State array {@code i} on the device. */
    public DeviceArray state(int i) {
        return state[i];
    }

    /** One update from the gradients in {@link #gradients()} of a batch of {@code batchSize} examples. */
    public void step(int batchSize) {
        stepAccumulating(batchSize);
    }

    /** The running sum of {@link #accumulate}, on the device, allocated at its first use. */
    private DeviceArray gradientSum;

    @Override
    void addGradientsToSum(boolean first) {
        if (gradientSum == null) gradientSum = device.allocate(grads.length());
        if (first) gradientSum.copyFrom(grads, 0, 0, grads.length());
        else DeviceOps.axpy(1f, grads, 0, gradientSum, 0, grads.length());
    }

    @Override
    void foldSumIntoGradients() {
        DeviceOps.axpy(1f, gradientSum, 0, grads, 0, grads.length());
    }

    /**
     * One update from host gradients (laid out as {@link Params#grads()}): uploaded in one copy, then
     * {@link #step(int)}.
     */
    public void step(float[] hostGradients, int batchSize) {
        if (hostGradients == null || hostGradients.length != params.size()) {
            throw new IllegalArgumentException("hostGradients: " + (hostGradients == null ? "null" : hostGradients.length + " floats")
                    + ", expected " + params.size() + " (one per parameter)");
        }
        grads.upload(hostGradients);
        step(batchSize);
    }

    /** Copies the device's parameters into {@link Params#values()} (so the host model sees them) and returns that array. */
    public float[] downloadParameters() {
        values.download(params.values());
        return params.values();
    }

    /** Copies {@link Params#values()} to the device (after the host changed them). */
    public void uploadParameters() {
        values.upload(params.values());
    }

    /** Frees the device arrays. */
    @Override
    public void close() {
        values.close();
        grads.close();
        for (DeviceArray a : state) a.close();
        if (gradientSum != null) gradientSum.close();
    }

    @Override
    double gradientSumOfSquares() {
        return DeviceOps.sumOfSquares(grads, 0, grads.length());
    }

    @Override
    int firstNonFiniteGradient() {
        return DeviceOps.firstNonFinite(grads, 0, grads.length());
    }

    @Override
    float gradientAt(int index) {
        float[] one = new float[1];
        grads.download(index, one, 0, 1);
        return one[0];
    }

    @Override
    void update(Plan p, Step[] steps, boolean normPassRan) {
        if (optimizer() instanceof LayerwiseAlgorithm) {
            // one launch pair per slot: a layerwise rule (LAMB) treats each call's slice as one tensor
            for (Params.Slot slot : params.slots()) {
                int s = 0;
                while (!(slot.offset() >= p.segmentOffsets()[s] && slot.offset() < p.segmentOffsets()[s] + p.segmentLengths()[s])) s++;
                ((KernelOptimizer) p.segmentOptimizers()[s]).updateDevice(steps[s], values, grads, state, slot.offset(), slot.size());
            }
            return;
        }
        for (int s = 0; s < steps.length; s++) {
            ((KernelOptimizer) p.segmentOptimizers()[s]).updateDevice(steps[s], values, grads, state, p.segmentOffsets()[s],
                    p.segmentLengths()[s]);
        }
    }

    @Override
    float[] hostValues() {
        return downloadParameters().clone();
    }

    @Override
    float[][] hostState() {
        float[][] out = new float[state.length][];
        for (int i = 0; i < state.length; i++) out[i] = state[i].download();
        return out;
    }

    @Override
    void restoreArrays(float[] saved, float[][] savedState) {
        System.arraycopy(saved, 0, params.values(), 0, saved.length);
        values.upload(saved);
        for (int i = 0; i < savedState.length; i++) state[i].upload(savedState[i]);
    }
}
