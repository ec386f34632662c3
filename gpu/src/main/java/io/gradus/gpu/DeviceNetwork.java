package io.gradus.gpu;

import io.gradus.gpu.DeviceLayer.Activation;
import io.gradus.gpu.LayerKernels.ActivationBackward;
import io.gradus.gpu.LayerKernels.BiasActivation;
import io.gradus.gpu.LayerKernels.ConvForward;
import io.gradus.gpu.LayerKernels.ConvInputGradient;
import io.gradus.gpu.LayerKernels.ConvWeightPartial;
import io.gradus.gpu.LayerKernels.PlaneSums;
import io.gradus.gpu.LayerKernels.PoolBackward;
import io.gradus.gpu.LayerKernels.PoolForward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A feed-forward network (core's {@code Sequential} of Dense, Conv2D, MaxPool2D and AvgPool2D
 * layers) whose forward and backward passes run on a device, on parameters and gradients that live
 * in flat device arrays: those of a device {@code Trainer}, so that nothing crosses to the host
 * during training but a batch's per-example losses and hits. {@link #lenet} is section 11.11's
 * LeNet, {@link #mlp} a multilayer perceptron.
 *
 * <p>Layer {@code l} with parameters has a weight {@code "l.weight"} and a bias {@code "l.bias"}
 * (core's {@code Sequential} names, pooling layers counted), shaped as core shapes them
 * ({@code [out, in]}, {@code [out, in, k, k]}); {@link #bind} takes where each lives in the flat
 * arrays. Per layer, forward: Dense is one SGEMM ({@link DeviceBlas}) and one bias + activation
 * launch; Conv2d one direct-convolution launch (bias and activation fused); pooling one launch.
 * Backward of the summed loss, from the last layer: the activation's gradient (from its output),
 * then Dense {@code dW = delta^T a}, {@code db = column sums of delta}, {@code delta <- delta W};
 * Conv2d per-example partial weight and bias gradients summed over the batch by column sums, and
 * the input gradient by a direct launch; pooling's input gradient by a direct launch. The first
 * layer's input gradient is not computed. Gradients overwrite the gradient slices; the Trainer's
 * {@code step(batch)} then rescales by {@code 1/batch}, as on the CPU. The per-element kernels are
 * in {@link LayerKernels} (written once in Java, translated for OpenCL).
 *
 * <p>Not for concurrent use. Close it to free its activation buffers (not the bound arrays).
 */
public final class DeviceNetwork implements AutoCloseable {

    private final DeviceContext ctx;
    private final List<DeviceLayer> layers;
    private final int maxBatch;
    /** Per layer l: its output's channels, height and width ({@code [out, 1, 1]} for Dense); index 0 is the input. */
    private final int[] channels, heights, widths;
    private final DeviceArray[] activations; // activations[l + 1]: layer l's output, [maxBatch, size(l + 1)]
    private final DeviceArray[] deltas;      // deltas[l + 1]: the loss's gradient by that output
    private final DeviceArray partials;      // per-example partial gradients of a convolution, or null
    private final DeviceArray losses, correct;
    private DeviceArray params, grads;
    private int[] weightOffsets, biasOffsets;

    /**
     * @param input    the input's {@code {channels, height, width}} ({@code {width, 1, 1}} for rows of features)
     * @param layers   the layers in order, each fitting its predecessor's output
     * @param maxBatch the largest batch {@link #trainBatch} and {@link #correct} will see
     */
    public DeviceNetwork(DeviceContext ctx, int[] input, List<DeviceLayer> layers, int maxBatch) {
        if (ctx == null) throw new IllegalArgumentException("ctx = null: expected a DeviceContext");
        if (input == null || input.length != 3 || Arrays.stream(input).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("input = " + Arrays.toString(input) + ": expected {channels, height, width}, each >= 1");
        }
        if (layers == null || layers.isEmpty()) throw new IllegalArgumentException("layers = " + layers + ": expected at least one layer");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch = " + maxBatch + ": expected >= 1");
        this.ctx = ctx;
        this.layers = List.copyOf(layers);
        this.maxBatch = maxBatch;
        int count = layers.size();
        channels = new int[count + 1];
        heights = new int[count + 1];
        widths = new int[count + 1];
        channels[0] = input[0];
        heights[0] = input[1];
        widths[0] = input[2];
        long partialSize = 0;
        for (int l = 0; l < count; l++) {
            int c = channels[l], h = heights[l], w = widths[l];
            switch (layers.get(l)) {
                case DeviceLayer.Dense d -> {
                    if (d.in() != c * h * w) {
                        throw new IllegalArgumentException("layer " + l + ": " + d + " after an output of " + c * h * w
                                + " values per example; expected in = " + c * h * w);
                    }
                    set(l + 1, d.out(), 1, 1);
                }
                case DeviceLayer.Conv2d conv -> {
                    int oh = (h + 2 * conv.padding() - conv.kernel()) / conv.stride() + 1;
                    int ow = (w + 2 * conv.padding() - conv.kernel()) / conv.stride() + 1;
                    if (conv.inChannels() != c || h + 2 * conv.padding() < conv.kernel() || w + 2 * conv.padding() < conv.kernel()) {
                        throw new IllegalArgumentException("layer " + l + ": " + conv + " on an input of " + c + " x " + h + " x " + w
                                + "; expected " + c + " input channels and a kernel that fits");
                    }
                    set(l + 1, conv.outChannels(), oh, ow);
                    partialSize = Math.max(partialSize, (long) maxBatch * conv.outChannels() * c * conv.kernel() * conv.kernel());
                }
                case DeviceLayer.MaxPool2d p -> set(l + 1, c, pooled(l, p.window(), p.stride(), h), pooled(l, p.window(), p.stride(), w));
                case DeviceLayer.AvgPool2d p -> set(l + 1, c, pooled(l, p.window(), p.stride(), h), pooled(l, p.window(), p.stride(), w));
            }
            long size = (long) maxBatch * channels[l + 1] * heights[l + 1] * widths[l + 1];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("layer " + l + ": " + maxBatch + " outputs of " + size / maxBatch
                        + " values do not fit one device array; expected a smaller maxBatch");
            }
        }
        activations = new DeviceArray[count + 1];
        deltas = new DeviceArray[count + 1];
        for (int l = 1; l <= count; l++) {
            activations[l] = ctx.allocate(maxBatch * size(l));
            deltas[l] = ctx.allocate(maxBatch * size(l));
        }
        partials = partialSize == 0 ? null : ctx.allocate((int) Math.max(partialSize, (long) maxBatch * maxChannels()));
        losses = ctx.allocate(maxBatch);
        correct = ctx.allocate(maxBatch);
    }

    private void set(int l, int c, int h, int w) {
        channels[l] = c;
        heights[l] = h;
        widths[l] = w;
    }

    private int pooled(int layer, int window, int stride, int size) {
        if (window > size) {
            throw new IllegalArgumentException("layer " + layer + ": a pooling window of " + window + " on an input of side " + size
                    + "; expected a window <= the side");
        }
        return (size - window) / stride + 1;
    }

    private int maxChannels() {
        return Arrays.stream(channels).max().orElse(1);
    }

    /** Values per example of layer {@code l}'s output ({@code l = 0}: the input). */
    private int size(int l) {
        return channels[l] * heights[l] * widths[l];
    }

    /**
     * Section 11.11's LeNet on {@code 1 x 28 x 28} images, as core's {@code LeNet.create()}:
     * Conv2d 6@5x5 (padding 2) ReLU, MaxPool 2x2, Conv2d 16@5x5 ReLU, MaxPool 2x2, Dense 120 ReLU,
     * Dense 84 ReLU, Dense 10.
     */
    public static DeviceNetwork lenet(DeviceContext ctx, int maxBatch) {
        return new DeviceNetwork(ctx, new int[] {1, 28, 28}, List.of(
                new DeviceLayer.Conv2d(1, 6, 5, 1, 2, Activation.RELU),
                new DeviceLayer.MaxPool2d(2, 2),
                new DeviceLayer.Conv2d(6, 16, 5, 1, 0, Activation.RELU),
                new DeviceLayer.MaxPool2d(2, 2),
                new DeviceLayer.Dense(16 * 5 * 5, 120, Activation.RELU),
                new DeviceLayer.Dense(120, 84, Activation.RELU),
                new DeviceLayer.Dense(84, 10, Activation.NONE)), maxBatch);
    }

    /**
     * A multilayer perceptron {@code Dense(n0, n1) ReLU, ..., Dense(nL-1, nL)} (no activation after
     * the last), on rows of {@code n0} features.
     *
     * @param sizes layer widths {@code n0, n1, ..., nL} (at least two)
     */
    public static DeviceNetwork mlp(DeviceContext ctx, int[] sizes, int maxBatch) {
        if (sizes == null || sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("sizes = " + Arrays.toString(sizes) + ": expected at least two widths >= 1");
        }
        List<DeviceLayer> dense = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            dense.add(new DeviceLayer.Dense(sizes[l], sizes[l + 1], l + 2 < sizes.length ? Activation.RELU : Activation.NONE));
        }
        return new DeviceNetwork(ctx, new int[] {sizes[0], 1, 1}, dense, maxBatch);
    }

    /** The layers, in order. */
    public List<DeviceLayer> layers() {
        return layers;
    }

    /** Parameters in core's Sequential order: "0.weight", "0.bias", "2.weight", ... (layers without parameters skipped). */
    public String[] parameterNames() {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).hasParameters()) {
                out.add(l + ".weight");
                out.add(l + ".bias");
            }
        }
        return out.toArray(String[]::new);
    }

    private int weightSize(int l) {
        return switch (layers.get(l)) {
            case DeviceLayer.Dense d -> d.in() * d.out();
            case DeviceLayer.Conv2d c -> c.outChannels() * c.inChannels() * c.kernel() * c.kernel();
            default -> 0;
        };
    }

    /**
     * Uses {@code params} and {@code grads} (of this context) for the weights and biases, each at
     * {@code offsetOf.applyAsInt(name)} for the names of {@link #parameterNames()}.
     */
    public void bind(DeviceArray params, DeviceArray grads, ToIntFunction<String> offsetOf) {
        if (params == null || grads == null || params.context() != ctx || grads.context() != ctx) {
            throw new IllegalArgumentException("params and grads: expected arrays of " + ctx);
        }
        int[] w = new int[layers.size()], b = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            if (!layers.get(l).hasParameters()) continue;
            w[l] = offsetOf.applyAsInt(l + ".weight");
            b[l] = offsetOf.applyAsInt(l + ".bias");
            long wEnd = w[l] + (long) weightSize(l), bEnd = b[l] + (long) channels[l + 1];
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

    /** Forward pass of {@code batch} examples of {@code x} from {@code xOff} (floats); returns the output array ({@code [batch, out]} at 0). */
    public DeviceArray forward(DeviceArray x, int xOff, int batch) {
        checkBatch(batch);
        if (params == null) throw new IllegalStateException("bind the parameters first");
        DeviceBlas.matrix("x", x, xOff, batch, size(0), size(0));
        for (int l = 0; l < layers.size(); l++) {
            DeviceArray in = l == 0 ? x : activations[l], out = activations[l + 1];
            int inOff = l == 0 ? xOff : 0;
            int c = channels[l], h = heights[l], w = widths[l];
            switch (layers.get(l)) {
                case DeviceLayer.Dense d -> {
                    DeviceBlas.sgemm(false, true, batch, d.out(), d.in(), 1f, in, inOff, d.in(), params, weightOffsets[l], d.in(),
                            0f, out, 0, d.out());
                    BiasActivation k = new BiasActivation();
                    k.bOff = biasOffsets[l];
                    k.cols = d.out();
                    k.act = LayerKernels.code(d.activation());
                    LayerKernels.launch(ctx, k, batch * d.out(), Map.of("y", out, "params", params));
                }
                case DeviceLayer.Conv2d conv -> {
                    ConvForward k = window(new ConvForward(), l, conv.kernel(), conv.stride(), conv.padding(), inOff);
                    k.act = LayerKernels.code(conv.activation());
                    LayerKernels.launch(ctx, k, batch * size(l + 1), Map.of("x", in, "params", params, "y", out));
                }
                case DeviceLayer.MaxPool2d p -> pool(l, in, inOff, out, p.window(), p.stride(), false, batch);
                case DeviceLayer.AvgPool2d p -> pool(l, in, inOff, out, p.window(), p.stride(), true, batch);
            }
        }
        return activations[layers.size()];
    }

    /**
     * {@code kernel} with layer {@code l}'s geometry: its input's and output's shapes, a window of
     * {@code size} moved by {@code stride} over {@code padding} zeros, x from {@code xOff}, the
     * layer's weight and bias offsets.
     */
    private <K extends LayerKernels.WindowKernel> K window(K kernel, int l, int size, int stride, int padding, int xOff) {
        kernel.xOff = xOff;
        kernel.wOff = weightOffsets[l];
        kernel.bOff = biasOffsets[l];
        kernel.c = channels[l];
        kernel.h = heights[l];
        kernel.w = widths[l];
        kernel.o = channels[l + 1];
        kernel.oh = heights[l + 1];
        kernel.ow = widths[l + 1];
        kernel.k = size;
        kernel.s = stride;
        kernel.pad = padding;
        return kernel;
    }

    private void pool(int l, DeviceArray in, int inOff, DeviceArray out, int window, int stride, boolean mean, int batch) {
        PoolForward k = window(new PoolForward(), l, window, stride, 0, inOff);
        k.mean = mean ? 1 : 0;
        LayerKernels.launch(ctx, k, batch * size(l + 1), Map.of("x", in, "y", out));
    }

    /** A training batch's summed loss and how many of its examples the forward pass classified right. */
    public record BatchResult(double lossSum, int correct) {}

    /**
     * Forward, softmax cross-entropy against {@code labels[yOff, yOff + batch)} (class indices
     * stored as floats), backward: the gradients of the summed loss overwrite the bound gradient
     * slices. Returns the summed loss and the forward pass's correct count (the batch's losses and
     * hits are the downloads).
     */
    public BatchResult trainBatch(DeviceArray x, int xOff, DeviceArray labels, int yOff, int batch) {
        int last = layers.size(), classes = size(last);
        DeviceArray logits = forward(x, xOff, batch);
        DeviceNn.softmaxCrossEntropy(logits, labels, yOff, batch, classes, losses, deltas[last]);
        DeviceNn.argmaxCorrect(logits, labels, yOff, batch, classes, correct);
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
        int last = layers.size();
        if (size(last) != 1) throw new IllegalStateException("the L2 loss needs one output, this network has " + size(last));
        DeviceArray out = forward(x, xOff, batch);
        DeviceNn.l2(out, targets, yOff, batch, losses, deltas[last]);
        backward(x, xOff, batch);
        float[] perExample = new float[batch];
        losses.download(0, perExample, 0, batch);
        double sum = 0;
        for (float v : perExample) sum += v;
        return sum;
    }

    /** The gradients of the loss whose output gradient is in {@code deltas[L]}, into the bound gradient slices. */
    private void backward(DeviceArray x, int xOff, int batch) {
        for (int l = layers.size() - 1; l >= 0; l--) {
            DeviceArray in = l == 0 ? x : activations[l], delta = deltas[l + 1];
            int inOff = l == 0 ? xOff : 0;
            boolean inputGradient = l > 0;
            switch (layers.get(l)) {
                case DeviceLayer.Dense d -> {
                    activationBackward(d.activation(), delta, activations[l + 1], batch * d.out());
                    DeviceBlas.sgemm(true, false, d.out(), d.in(), batch, 1f, delta, 0, d.out(), in, inOff, d.in(), 0f, grads,
                            weightOffsets[l], d.in());
                    DeviceNn.columnSums(delta, batch, d.out(), grads, biasOffsets[l], false);
                    if (inputGradient) {
                        DeviceBlas.sgemm(false, false, batch, d.in(), d.out(), 1f, delta, 0, d.out(), params, weightOffsets[l], d.in(),
                                0f, deltas[l], 0, d.in());
                    }
                }
                case DeviceLayer.Conv2d conv -> convBackward(l, conv, in, inOff, delta, inputGradient, batch);
                case DeviceLayer.MaxPool2d p -> {
                    if (inputGradient) poolBackward(l, in, inOff, delta, p.window(), p.stride(), false, batch);
                }
                case DeviceLayer.AvgPool2d p -> {
                    if (inputGradient) poolBackward(l, in, inOff, delta, p.window(), p.stride(), true, batch);
                }
            }
        }
    }

    private void activationBackward(Activation activation, DeviceArray delta, DeviceArray output, int n) {
        if (activation == Activation.NONE) return;
        ActivationBackward k = new ActivationBackward();
        k.act = LayerKernels.code(activation);
        LayerKernels.launch(ctx, k, n, Map.of("d", delta, "y", output));
    }

    private void convBackward(int l, DeviceLayer.Conv2d conv, DeviceArray in, int inOff, DeviceArray delta, boolean inputGradient,
                              int batch) {
        int c = channels[l], o = conv.outChannels(), kk = conv.kernel() * conv.kernel(), plane = heights[l + 1] * widths[l + 1];
        activationBackward(conv.activation(), delta, activations[l + 1], batch * o * plane);
        ConvWeightPartial wp = window(new ConvWeightPartial(), l, conv.kernel(), conv.stride(), conv.padding(), inOff);
        LayerKernels.launch(ctx, wp, batch * o * c * kk, Map.of("dz", delta, "x", in, "partial", partials));
        DeviceNn.columnSums(partials, batch, o * c * kk, grads, weightOffsets[l], false);
        PlaneSums bp = new PlaneSums();
        bp.plane = plane;
        LayerKernels.launch(ctx, bp, batch * o, Map.of("dz", delta, "partial", partials));
        DeviceNn.columnSums(partials, batch, o, grads, biasOffsets[l], false);
        if (inputGradient) {
            ConvInputGradient k = window(new ConvInputGradient(), l, conv.kernel(), conv.stride(), conv.padding(), inOff);
            LayerKernels.launch(ctx, k, batch * size(l), Map.of("dz", delta, "params", params, "dx", deltas[l]));
        }
    }

    private void poolBackward(int l, DeviceArray in, int inOff, DeviceArray delta, int window, int stride, boolean mean, int batch) {
        PoolBackward k = window(new PoolBackward(), l, window, stride, 0, inOff);
        k.mean = mean ? 1 : 0;
        LayerKernels.launch(ctx, k, batch * size(l), Map.of("x", in, "dy", delta, "dx", deltas[l]));
    }

    /** How many of {@code batch} examples the network classifies as their label (forward and argmax on the device). */
    public int correct(DeviceArray x, int xOff, DeviceArray labels, int yOff, int batch) {
        int last = layers.size();
        DeviceArray logits = forward(x, xOff, batch);
        DeviceNn.argmaxCorrect(logits, labels, yOff, batch, size(last), correct);
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
        if (partials != null) partials.close();
        losses.close();
        correct.close();
    }
}
