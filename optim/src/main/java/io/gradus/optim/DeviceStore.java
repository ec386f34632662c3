package io.gradus.optim;

import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceOps;
import io.gradus.optim.algorithms.KernelOptimizer;
import io.gradus.optim.algorithms.LayerwiseAlgorithm;
import java.util.Arrays;

/**
 * The arrays on a device ({@link DeviceContext}: an OpenCL GPU, or the host when there is no
 * OpenCL): uploaded once when the Trainer is built, resident from then on.
 * <ul>
 *   <li>the norm pass reduces the gradient on the device to one float per chunk
 *       ({@link DeviceOps#sumOfSquares}); a non-finite sum alone brings the gradient back, to name
 *       the first bad index;</li>
 *   <li>the update is one launch of the rule's translated kernel per segment; a layerwise rule runs
 *       pass one on every tensor into one resident buffer of partial sums, reads that buffer back
 *       once per step, and runs pass two on every tensor with its factor.</li>
 * </ul>
 * Nothing is allocated or read back per tensor per step.
 */
final class DeviceStore implements ArrayStore {

    private final Params params;
    private final DeviceContext device;
    final DeviceArray values, grads;
    private final DeviceArray[] state;
    /** The running sum of gradient accumulation, allocated at its first use. */
    private DeviceArray gradientSum;
    /** A layerwise rule's partial sums, two floats per chunk of every tensor; where each tensor's start. */
    private DeviceArray partials;
    private int[] tensorPairs;

    DeviceStore(Params params, Optimizer optimizer, DeviceContext device) {
        if (!(optimizer instanceof KernelOptimizer)) {
            throw new IllegalArgumentException("optimizer " + optimizer.name() + " (" + optimizer.getClass().getName()
                    + ") has no device kernel: a Trainer on a device runs a KernelOptimizer (the built-in algorithms, or a rule"
                    + " written as an UpdateKernel)");
        }
        this.params = params;
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
                    Arrays.fill(filled, start);
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

    DeviceContext device() {
        return device;
    }

    @Override
    public double gradientSumOfSquares() {
        return DeviceOps.sumOfSquares(grads, 0, grads.length());
    }

    @Override
    public int firstNonFiniteGradient() {
        return DeviceOps.firstNonFinite(grads, 0, grads.length());
    }

    @Override
    public float gradientAt(int index) {
        float[] one = new float[1];
        grads.download(index, one, 0, 1);
        return one[0];
    }

    @Override
    public void update(StepPlan plan, Step[] steps, boolean normPassRan) {
        if (!plan.layerwise) {
            for (int s = 0; s < steps.length; s++) {
                ((KernelOptimizer) plan.segmentRules[s]).updateDevice(steps[s], values, grads, state, plan.segmentOffsets[s],
                        plan.segmentLengths[s]);
            }
            return;
        }
        if (partials == null) { // once: where each tensor's pairs start in the one buffer
            tensorPairs = new int[plan.tensors() + 1];
            for (int k = 0; k < plan.tensors(); k++) tensorPairs[k + 1] = tensorPairs[k] + LayerwiseAlgorithm.deviceParts(plan.tensorLengths[k]);
            partials = device.allocate(2 * Math.max(1, tensorPairs[plan.tensors()]));
        }
        for (int k = 0; k < plan.tensors(); k++) {
            int s = plan.tensorSegments[k];
            ((LayerwiseAlgorithm) plan.segmentRules[s]).firstPassDevice(steps[s], values, grads, state, plan.tensorOffsets[k],
                    plan.tensorLengths[k], partials, 2 * tensorPairs[k]);
        }
        float[] sums = partials.download(); // one read-back per step, for every tensor
        for (int k = 0; k < plan.tensors(); k++) {
            double sumX = 0, sumR = 0;
            for (int q = tensorPairs[k]; q < tensorPairs[k + 1]; q++) { // in chunk order, in double
                sumX += sums[2 * q];
                sumR += sums[2 * q + 1];
            }
            int s = plan.tensorSegments[k];
            LayerwiseAlgorithm rule = (LayerwiseAlgorithm) plan.segmentRules[s];
            rule.secondPassDevice(steps[s], values, state, plan.tensorOffsets[k], plan.tensorLengths[k], rule.factor(sumX, sumR));
        }
    }

    @Override
    public void addGradientsToSum(boolean first) {
        if (gradientSum == null) gradientSum = device.allocate(grads.length());
        if (first) gradientSum.copyFrom(grads, 0, 0, grads.length());
        else DeviceOps.axpy(1f, grads, 0, gradientSum, 0, grads.length());
    }

    @Override
    public void foldSumIntoGradients() {
        DeviceOps.axpy(1f, gradientSum, 0, grads, 0, grads.length());
    }

    /** Downloads the parameters into {@link Params#values()} and returns a copy. */
    @Override
    public float[] values() {
        values.download(params.values());
        return params.values().clone();
    }

    @Override
    public float[][] state() {
        float[][] out = new float[state.length][];
        for (int i = 0; i < state.length; i++) out[i] = state[i].download();
        return out;
    }

    @Override
    public void restore(float[] saved, float[][] savedState) {
        System.arraycopy(saved, 0, params.values(), 0, saved.length);
        values.upload(saved);
        for (int i = 0; i < savedState.length; i++) state[i].upload(savedState[i]);
    }

    @Override
    public void close() {
        values.close();
        grads.close();
        for (DeviceArray a : state) a.close();
        if (gradientSum != null) gradientSum.close();
        if (partials != null) partials.close();
    }
}
