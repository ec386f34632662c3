package io.gradus.gpu;

import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.Layers;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Layers.Sequential;
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
 * The device MLP against core's CPU layers on the same weights: logits, the summed softmax
 * cross-entropy, every weight and bias gradient, and the accuracy count, on the selected device
 * (pocl in CI) and the host device. Tolerance: 1e-4 relative (float32 sums in another order).
 */
class DeviceMlpTest {

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
            try (DeviceMlp mlp = new DeviceMlp(ctx, sizes, 16); DeviceArray params = ctx.upload(flat);
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
    void badShapesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DeviceMlp(HOST, new int[] {5}, 4));
        assertEquals("sizes = [5]: expected at least two widths >= 1", e.getMessage());
        try (DeviceMlp mlp = new DeviceMlp(HOST, new int[] {4, 3}, 2); DeviceArray x = HOST.allocate(8)) {
            var s = assertThrows(IllegalStateException.class, () -> mlp.forward(x, 0, 2));
            assertEquals("bind the parameters first", s.getMessage());
            var b = assertThrows(IllegalArgumentException.class, () -> mlp.forward(x, 0, 3));
            assertEquals("batch = 3: expected 1 to 2", b.getMessage());
        }
    }
}
