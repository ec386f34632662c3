package io.gradus.gpu;

import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.Layers;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Losses;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The device networks against core's CPU layers on the same weights: outputs, the summed softmax
 * cross-entropy, every weight and bias gradient, and the accuracy count, on the selected device
 * (pocl in CI) and the host device. An MLP, section 11.11's LeNet, and a network with what LeNet
 * lacks (stride 2, sigmoid, overlapping max windows, average pooling). Tolerance: 1e-4 relative
 * (float32 sums in another order).
 */
class DeviceNetworkTest {

    static final DeviceContext DEVICE = DeviceContext.open(DeviceProbe.selected());
    static final DeviceContext HOST = DeviceContext.open(GpuDevice.host());

    @AfterAll
    static void close() {
        DEVICE.close();
        HOST.close();
    }

    @Test
    void forwardLossAndGradientsMatchCoresLayers() {
        int[] sizes = {13, 9, 7, 5};
        int batch = 11;
        Sequential net = new Sequential(new Dense(13, 9, Layers.RELU), new Dense(9, 7, Layers.RELU), new Dense(7, 5));
        net.initialize(Initializer.xavier(), 4);
        Map<String, Parameter> named = net.namedParameters();
        Map<String, Integer> offsets = new HashMap<>();
        int total = 3; // parameters start at an offset, as any slice of a bigger model would
        for (var e : named.entrySet()) {
            offsets.put(e.getKey(), total);
            total += e.getValue().size();
        }
        float[] flat = new float[total + 2];
        for (var e : named.entrySet()) {
            float[] v = e.getValue().value().toArray();
            System.arraycopy(v, 0, flat, offsets.get(e.getKey()), v.length);
        }
        Random r = new Random(8);
        float[] x = new float[2 + batch * 13], y = new float[1 + batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = r.nextInt(5);

        // the CPU: core's layers and autograd
        for (Parameter p : net.parameters()) p.value().attachGrad();
        Tensor xt = Tensor.wrap(x, 2, batch, 13), yt = Tensor.wrap(y, 1, batch);
        Tensor logits, loss;
        try (var tape = Autograd.record()) {
            logits = net.forward(xt);
            loss = Losses.softmaxCrossEntropy(logits, yt).sum();
        }
        loss.backward();
        float[] wantLogits = logits.toArray();
        int wantCorrect = 0;
        for (int i = 0; i < batch; i++) {
            int best = 0;
            for (int c = 1; c < 5; c++) if (wantLogits[i * 5 + c] > wantLogits[i * 5 + best]) best = c;
            if (best == (int) y[1 + i]) wantCorrect++;
        }

        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            try (DeviceNetwork mlp = DeviceNetwork.mlp(ctx, sizes, 16); DeviceArray params = ctx.upload(flat);
                 DeviceArray grads = ctx.allocate(flat.length); DeviceArray dx = ctx.upload(x); DeviceArray dy = ctx.upload(y)) {
                mlp.bind(params, grads, offsets::get);
                float[] gotLogits = new float[batch * 5];
                mlp.forward(dx, 2, batch).download(0, gotLogits, 0, gotLogits.length);
                for (int i = 0; i < gotLogits.length; i++) {
                    assertEquals(wantLogits[i], gotLogits[i], 1e-5 + 1e-4 * Math.abs(wantLogits[i]), ctx + " logit " + i);
                }
                double gotLoss = mlp.trainBatch(dx, 2, dy, 1, batch).lossSum();
                assertEquals(loss.item(), gotLoss, 1e-4 * Math.abs(loss.item()), ctx + " loss");
                float[] g = grads.download();
                for (var e : named.entrySet()) {
                    float[] want = e.getValue().value().grad().toArray();
                    int off = offsets.get(e.getKey());
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], g[off + i], 1e-5 + 1e-4 * Math.abs(want[i]), ctx + " d" + e.getKey() + "[" + i + "]");
                    }
                }
                assertEquals(wantCorrect, mlp.correct(dx, 2, dy, 1, batch), ctx + " correct");
                assertEquals(0f, g[0], "outside the parameters");
            }
        }
    }

    @Test
    void lenetMatchesCoresLeNet() {
        Sequential net = LeNet.create();
        net.initialize(Initializer.xavier(), 3);
        Random r = new Random(5);
        int batch = 6;
        float[] x = new float[batch * 28 * 28], y = new float[batch];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(10);
        compare(net, x, y, batch, new int[] {1, 28, 28}, 10, ctx -> DeviceNetwork.lenet(ctx, 8));
    }

    @Test
    void strideSigmoidOverlappingMaxAndAveragePoolingMatchCoresLayers() {
        Sequential net = new Sequential(
                new Layers.Conv2D(3, 4, 3, 2, 1, Tensor::sigmoid),   // 11 x 11 -> 6 x 6 (im2col path on the CPU)
                new Layers.MaxPool2D(3, 1),                         // overlapping windows -> 4 x 4
                new Layers.Conv2D(4, 5, 3, 1, 1, Layers.RELU),      // direct path on the CPU
                new Layers.AvgPool2D(2, 2),                         // -> 2 x 2
                new Dense(20, 3, Tensor::sigmoid),
                new Dense(3, 4));
        net.initialize(Initializer.xavier(), 9);
        Random r = new Random(6);
        int batch = 5;
        float[] x = new float[batch * 3 * 11 * 11], y = new float[batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(4);
        var sig = DeviceLayer.Activation.SIGMOID;
        compare(net, x, y, batch, new int[] {3, 11, 11}, 4, ctx -> new DeviceNetwork(ctx, new int[] {3, 11, 11}, List.of(
                new DeviceLayer.Conv2d(3, 4, 3, 2, 1, sig),
                new DeviceLayer.MaxPool2d(3, 1),
                new DeviceLayer.Conv2d(4, 5, 3, 1, 1, DeviceLayer.Activation.RELU),
                new DeviceLayer.AvgPool2d(2, 2),
                new DeviceLayer.Dense(20, 3, sig),
                new DeviceLayer.Dense(3, 4, DeviceLayer.Activation.NONE)), 7));
    }

    /**
     * Core's {@code net} and the device network {@code build} makes, on the same weights, inputs
     * and labels: outputs, summed loss, every gradient and the correct count, on both contexts.
     * Each value within 1e-4 of the CPU's relative to the largest magnitude of its tensor (float32
     * sums of up to 25,000 terms in another order: an element near zero by cancellation is compared
     * at its tensor's scale).
     */
    static void compare(Sequential net, float[] x, float[] y, int batch, int[] input, int classes,
                        java.util.function.Function<DeviceContext, DeviceNetwork> build) {
        Map<String, Parameter> named = net.namedParameters();
        Map<String, Integer> offsets = new HashMap<>();
        int total = 1;
        for (var e : named.entrySet()) {
            offsets.put(e.getKey(), total);
            total += e.getValue().size();
        }
        float[] flat = new float[total];
        for (var e : named.entrySet()) {
            float[] v = e.getValue().value().toArray();
            System.arraycopy(v, 0, flat, offsets.get(e.getKey()), v.length);
        }
        for (Parameter p : net.parameters()) p.value().attachGrad();
        Tensor xt = Tensor.wrap(x, 0, batch, input[0], input[1], input[2]), yt = Tensor.wrap(y, 0, batch);
        Tensor logits, loss;
        try (var tape = Autograd.record()) {
            logits = net.forward(xt);
            loss = Losses.softmaxCrossEntropy(logits, yt).sum();
        }
        loss.backward();
        float[] wantLogits = logits.toArray();
        int wantCorrect = 0;
        for (int i = 0; i < batch; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (wantLogits[i * classes + c] > wantLogits[i * classes + best]) best = c;
            if (best == (int) y[i]) wantCorrect++;
        }
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            try (DeviceNetwork dn = build.apply(ctx); DeviceArray params = ctx.upload(flat); DeviceArray grads = ctx.allocate(flat.length);
                 DeviceArray dx = ctx.upload(x); DeviceArray dy = ctx.upload(y)) {
                assertEquals(java.util.Set.copyOf(named.keySet()), java.util.Set.of(dn.parameterNames()), "parameter names");
                dn.bind(params, grads, offsets::get);
                float[] got = new float[batch * classes];
                dn.forward(dx, 0, batch).download(0, got, 0, got.length);
                close(wantLogits, got, 0, ctx + " logits");
                double gotLoss = dn.trainBatch(dx, 0, dy, 0, batch).lossSum();
                assertEquals(loss.item(), gotLoss, 1e-4 * Math.abs(loss.item()), ctx + " loss");
                float[] g = grads.download();
                for (var e : named.entrySet()) close(e.getValue().value().grad().toArray(), g, offsets.get(e.getKey()), ctx + " d" + e.getKey());
                assertEquals(wantCorrect, dn.correct(dx, 0, dy, 0, batch), ctx + " correct");
                assertEquals(0f, g[0], "outside the parameters");
            }
        }
    }

    /** {@code got[off + i]} within {@code 1e-4 * max|want|} of every {@code want[i]}, and the worst error printed. */
    static void close(float[] want, float[] got, int off, String what) {
        double scale = 0, worst = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0, what + ": all zero, nothing compared");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[off + i] - want[i]) / scale;
            worst = Math.max(worst, err);
            assertTrue(err <= 1e-4, what + "[" + i + "]: " + got[off + i] + ", the CPU " + want[i] + " (scale " + scale + ")");
        }
        System.out.printf("%s: %d values, worst error %.2e of the largest%n", what, want.length, worst);
    }

    @Test
    void badShapesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceNetwork.mlp(HOST, new int[] {5}, 4));
        assertEquals("sizes = [5]: expected at least two widths >= 1", e.getMessage());
        var conv = assertThrows(IllegalArgumentException.class, () -> new DeviceNetwork(HOST, new int[] {3, 8, 8},
                List.of(new DeviceLayer.Conv2d(2, 4, 3, 1, 0, DeviceLayer.Activation.RELU)), 2));
        assertEquals("layer 0: Conv2d[inChannels=2, outChannels=4, kernel=3, stride=1, padding=0, activation=RELU] on an input of"
                + " 3 x 8 x 8; expected 3 input channels and a kernel that fits", conv.getMessage());
        var dense = assertThrows(IllegalArgumentException.class, () -> new DeviceNetwork(HOST, new int[] {2, 4, 4},
                List.of(new DeviceLayer.MaxPool2d(2, 2), new DeviceLayer.Dense(32, 3, DeviceLayer.Activation.NONE)), 2));
        assertEquals("layer 1: Dense[in=32, out=3, activation=NONE] after an output of 8 values per example; expected in = 8",
                dense.getMessage());
        var pool = assertThrows(IllegalArgumentException.class, () -> new DeviceNetwork(HOST, new int[] {1, 3, 3},
                List.of(new DeviceLayer.AvgPool2d(4, 1)), 2));
        assertEquals("layer 0: a pooling window of 4 on an input of side 3; expected a window <= the side", pool.getMessage());
        try (DeviceNetwork mlp = DeviceNetwork.mlp(HOST, new int[] {4, 3}, 2); DeviceArray x = HOST.allocate(8)) {
            var s = assertThrows(IllegalStateException.class, () -> mlp.forward(x, 0, 2));
            assertEquals("bind the parameters first", s.getMessage());
            var b = assertThrows(IllegalArgumentException.class, () -> mlp.forward(x, 0, 3));
            assertEquals("batch = 3: expected 1 to 2", b.getMessage());
        }
    }
}
