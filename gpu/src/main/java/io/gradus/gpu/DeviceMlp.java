package io.gradus.gpu;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * A multilayer perceptron (Dense layers with ReLU between them, none after the last) whose
 * forward and backward passes run on a device, on parameters and gradients that live in flat
 * device arrays: those of a device Trainer, so that nothing crosses to the host during training
 * but a batch's per-example losses.
 *
 * <p>The layers are core's {@code Sequential(Dense(n0, n1, RELU), Dense(n1, n2, RELU), ...,
 * Dense(nL-1, nL))}: layer {@code l} has a weight {@code "l.weight"} of shape {@code [out, in]}
 * (MXNet's layout) and a bias {@code "l.bias"}; {@link #bind} takes where each lives in the flat
 * arrays. Forward: {@code a[l+1] = act(a[l] W_l^T + b_l)} (one SGEMM and one bias+ReLU launch per
 * layer). Backward of the summed softmax cross-entropy: {@code dW_l = delta^T a[l]},
 * {@code db_l = column sums of delta}, {@code delta <- (delta W_l) * [a[l] > 0]} (SGEMMs with
 * transposes, column sums, ReLU's gradient). Gradients overwrite the gradient slices; a Trainer's
 * {@code step(batch)} then rescales by {@code 1/batch}, as on the CPU.
 *
 * <p>Not for concurrent use. Close it to free its activation buffers (not the bound arrays).
 */
public final class DeviceMlp implements AutoCloseable {

    private final DeviceContext ctx;
    private final int[] sizes;
    private final int maxBatch;
    private final DeviceArray[] activations; // activations[l] for l = 1 .. L: [maxBatch, sizes[l]]
    private final DeviceArray[] deltas;      // deltas[l]: the gradient of the loss by a[l]
    private final DeviceArray losses, correct;
    private DeviceArray params, grads;
    private int[] weightOffsets, biasOffsets;

    /**
     * @param sizes    layer widths {@code n0, n1, ..., nL} (at least two)
     * @param maxBatch the largest batch {@link #trainBatch} and {@link #correct} will see
     */
    public DeviceMlp(DeviceContext ctx, int[] sizes, int maxBatch) {
        if (ctx == null) throw new IllegalArgumentException("ctx = null: expected a DeviceContext");
        if (sizes == null || sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("sizes = " + Arrays.toString(sizes) + ": expected at least two widths >= 1");
        }
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch = " + maxBatch + ": expected >= 1");
        this.ctx = ctx;
        this.sizes = sizes.clone();
        this.maxBatch = maxBatch;
        int layers = sizes.length - 1;
        activations = new DeviceArray[layers + 1];
        deltas = new DeviceArray[layers + 1];
        for (int l = 1; l <= layers; l++) {
            activations[l] = ctx.allocate(maxBatch * sizes[l]);
            deltas[l] = ctx.allocate(maxBatch * sizes[l]);
        }
        losses = ctx.allocate(maxBatch);
        correct = ctx.allocate(maxBatch);
    }

    /** Parameters in the Sequential's order: "0.weight", "0.bias", "1.weight", ... */
    public String[] parameterNames() {
        String[] out = new String[2 * (sizes.length - 1)];
        for (int l = 0; l < sizes.length - 1; l++) {
            out[2 * l] = l + ".weight";
            out[2 * l + 1] = l + ".bias";
        }
        return out;
    }

    /**
     * Uses {@code params} and {@code grads} (of this context) for the weights and biases, each at
     * {@code offsetOf.applyAsInt(name)} for the names of {@link #parameterNames()}.
     */
    public void bind(DeviceArray params, DeviceArray grads, ToIntFunction<String> offsetOf) {
        if (params.context() != ctx || grads.context() != ctx) {
            throw new IllegalArgumentException("params and grads: expected arrays of " + ctx);
        }
        int layers = sizes.length - 1;
        int[] w = new int[layers], b = new int[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = offsetOf.applyAsInt(l + ".weight");
            b[l] = offsetOf.applyAsInt(l + ".bias");
            long wEnd = w[l] + (long) sizes[l] * sizes[l + 1], bEnd = b[l] + (long) sizes[l + 1];
            if (w[l] < 0 || b[l] < 0 || wEnd > params.length() || bEnd > params.length() || wEnd > grads.length() || bEnd > grads.length()) {
                throw new IllegalArgumentException("layer " + l + ": weight at " + w[l] + " and bias at " + b[l]
                        + " do not fit arrays of " + params.length() + " and " + grads.length() + " floats");
            }
        }
        this.params = params;
        this.grads = grads;
        this.weightOffsets = w;
        this.biasOffsets = b;
    }

    /** Forward pass of {@code batch} rows of {@code x} from {@code xOff}; returns the logits array ({@code [batch, nL]} at 0). */
    public DeviceArray forward(DeviceArray x, int xOff, int batch) {
        checkBatch(batch);
        if (params == null) throw new IllegalStateException("bind the parameters first");
        DeviceArray in = x;
        int inOff = xOff;
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            DeviceArray out = activations[l + 1];
            DeviceBlas.sgemm(false, true, batch, sizes[l + 1], sizes[l], 1f, in, inOff, sizes[l], params, weightOffsets[l], sizes[l],
                    0f, out, 0, sizes[l + 1]);
            DeviceNn.biasActivation(out, params, biasOffsets[l], batch, sizes[l + 1], l + 1 < layers);
            in = out;
            inOff = 0;
        }
        return activations[layers];
    }

    /** A training batch's summed loss and how many of its examples the forward pass classified right. */
    public record BatchResult(double lossSum, int correct) {}

    /**
     * Forward, softmax cross-entropy against {@code labels[yOff, yOff + batch)}, backward: the
     * gradients of the summed loss overwrite the bound gradient slices. Returns the summed loss
     * and the forward pass's correct count (the batch's losses and hits are the downloads).
     */
    public BatchResult trainBatch(DeviceArray x, int xOff, DeviceArray labels, int yOff, int batch) {
        int layers = sizes.length - 1;
        DeviceArray logits = forward(x, xOff, batch);
        DeviceNn.softmaxCrossEntropy(logits, labels, yOff, batch, sizes[layers], losses, deltas[layers]);
        DeviceNn.argmaxCorrect(logits, labels, yOff, batch, sizes[layers], correct);
        backward(x, xOff, batch);
        float[] perExample = new float[batch], hits = new float[batch];
        losses.download(0, perExample, 0, batch);
        correct.download(0, hits, 0, batch);
        double sum = 0;
        int right = 0;
        for (int i = 0; i < batch; i++) {
            sum += perExample[i];
            right += (int) hits[i];
        }
        return new BatchResult(sum, right);
    }

    /**
     * Forward, Gluon's L2 loss against {@code targets[yOff, yOff + batch)} (a network with one output),
     * backward; returns the summed loss. The airfoil regressions of sections 11.5-11.10 train so.
     */
    public double trainBatchL2(DeviceArray x, int xOff, DeviceArray targets, int yOff, int batch) {
        int layers = sizes.length - 1;
        if (sizes[layers] != 1) throw new IllegalStateException("the L2 loss needs one output, this network has " + sizes[layers]);
        DeviceArray out = forward(x, xOff, batch);
        DeviceNn.l2(out, targets, yOff, batch, losses, deltas[layers]);
        backward(x, xOff, batch);
        float[] perExample = new float[batch];
        losses.download(0, perExample, 0, batch);
        double sum = 0;
        for (float v : perExample) sum += v;
        return sum;
    }

    /** The gradients of the loss whose output gradient is in {@code deltas[L]}, into the bound gradient slices. */
    private void backward(DeviceArray x, int xOff, int batch) {
        int layers = sizes.length - 1;
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l], out = sizes[l + 1];
            DeviceArray a = l == 0 ? x : activations[l];
            int aOff = l == 0 ? xOff : 0;
            DeviceBlas.sgemm(true, false, out, in, batch, 1f, deltas[l + 1], 0, out, a, aOff, in, 0f, grads, weightOffsets[l], in);
            DeviceNn.columnSums(deltas[l + 1], batch, out, grads, biasOffsets[l], false);
            if (l > 0) {
                DeviceBlas.sgemm(false, false, batch, in, out, 1f, deltas[l + 1], 0, out, params, weightOffsets[l], in, 0f,
                        deltas[l], 0, in);
                DeviceNn.reluBackward(deltas[l], activations[l], batch * in);
            }
        }
    }

    /** How many of {@code batch} rows the network classifies as their label (forward and argmax on the device). */
    public int correct(DeviceArray x, int xOff, DeviceArray labels, int yOff, int batch) {
        int layers = sizes.length - 1;
        DeviceArray logits = forward(x, xOff, batch);
        DeviceNn.argmaxCorrect(logits, labels, yOff, batch, sizes[layers], correct);
        float[] hits = new float[batch];
        correct.download(0, hits, 0, batch);
        int n = 0;
        for (float h : hits) n += (int) h;
        return n;
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch = " + batch + ": expected 1 to " + maxBatch);
    }

    @Override
    public void close() {
        for (DeviceArray a : activations) if (a != null) a.close();
        for (DeviceArray a : deltas) if (a != null) a.close();
        losses.close();
        correct.close();
    }
}
