package io.gradus.core.nn;

import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LayersTest {

    @Test
    void denseComputesXWTransposedPlusBias() {
        Dense dense = new Dense(3, 2);
        dense.initialize(Initializer.normal(0.5), 1);
        Tensor w = dense.parameters().get(0).value(), b = dense.parameters().get(1).value();
        b.storage()[0] = 0.25f;
        Tensor x = Tensor.uniform(2, -1, 1, 4, 3);
        Tensor y = dense.forward(x);
        for (int i = 0; i < 4; i++) for (int o = 0; o < 2; o++) {
            double s = b.get(o);
            for (int k = 0; k < 3; k++) s += (double) x.get(i, k) * w.get(o, k);
            assertEquals(s, y.get(i, o), 1e-6);
        }
    }

    @Test
    void parametersAreNamedByPathAndLeNetHasTheExpectedSize() {
        Sequential lenet = LeNet.create();
        var names = List.copyOf(lenet.namedParameters().keySet());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "5.weight", "5.bias",
                "6.weight", "6.bias"), names);
        int total = lenet.parameters().stream().mapToInt(Parameter::size).sum();
        assertEquals(6 * 25 + 6 + 16 * 6 * 25 + 16 + 400 * 120 + 120 + 120 * 84 + 84 + 84 * 10 + 10, total);
        lenet.initialize(Initializer.xavier(), 7);
        Tensor out = lenet.forward(Tensor.uniform(3, 0, 1, 5, 1, 28, 28));
        assertArrayEquals(new int[] {5, 10}, out.shape());
    }

    @Test
    void xavierIsMxnetsUniformAverageFanMagnitudeThree() {
        Tensor w = Tensor.zeros(120, 400);
        Initializer.xavier().fill(w, 3);
        double a = Math.sqrt(3.0 / ((400 + 120) / 2.0));
        double sumSq = 0;
        for (float v : w.toArray()) {
            assertTrue(Math.abs(v) <= a);
            sumSq += v * v;
        }
        assertEquals(a * a / 3, sumSq / w.size(), 0.03 * a * a / 3, "variance of U(-a, a)");
        Tensor conv = Tensor.zeros(16, 6, 5, 5);
        Initializer.xavier().fill(conv, 4);
        double ac = Math.sqrt(3.0 / ((6 * 25 + 16 * 25) / 2.0));
        float max = 0;
        for (float v : conv.toArray()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= ac && max > 0.95 * ac, "conv fans count the kernel area: " + max + " vs " + ac);
    }

    @Test
    void lossesMatchTheirFormulas() {
        Tensor yHat = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), y = Tensor.of(new float[] {0, 2, 5, 4}, 2, 2);
        assertArrayEquals(new float[] {0.5f, 0, 2f, 0}, Losses.squared(yHat, y).toArray());
        assertArrayEquals(new float[] {0.25f, 1f}, Losses.l2(yHat, y).toArray());
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 1000, -1000, 0}, 2, 3);
        float[] ce = Losses.softmaxCrossEntropy(logits, Tensor.of(new float[] {2, 1})).toArray();
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, ce[0], 1e-6);
        assertEquals(2000f, ce[1], 1e-3, "stable for extreme logits: log-sum-exp 1000 minus -1000");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(logits, Tensor.of(new float[] {2, 3})));
        assertEquals("softmaxCrossEntropy: label 3.0 of example 1 is not a class index in [0, 3)", e.getMessage());
    }

    /**
     * Values against the definition: the im2col path (stride 2) and the direct one (stride 1) with
     * no padding, a padding narrower than the 3 x 2 kernel and one wider than it (the direct planes'
     * rows then widen to the outputs: DirectConv2d.Planes).
     */
    @Test
    void convolutionMatchesTheDefinition() {
        Tensor x = Tensor.uniform(1, -1, 1, 2, 3, 6, 7), w = Tensor.uniform(2, -1, 1, 4, 3, 3, 2), b = Tensor.uniform(3, -1, 1, 4);
        for (int[] stridePad : new int[][] {{2, 1}, {1, 0}, {1, 1}, {1, 4}}) {
            int stride = stridePad[0], pad = stridePad[1];
            int oh = (6 + 2 * pad - 3) / stride + 1, ow = (7 + 2 * pad - 2) / stride + 1;
            Tensor y = Functional.conv2d(x, w, b, stride, pad);
            assertArrayEquals(new int[] {2, 4, oh, ow}, y.shape());
            for (int n = 0; n < 2; n++) for (int o = 0; o < 4; o++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                double s = b.get(o);
                for (int c = 0; c < 3; c++) for (int p = 0; p < 3; p++) for (int q = 0; q < 2; q++) {
                    int r = i * stride - pad + p, col = j * stride - pad + q;
                    if (r >= 0 && r < 6 && col >= 0 && col < 7) s += (double) w.get(o, c, p, q) * x.get(n, c, r, col);
                }
                assertEquals(s, y.get(n, o, i, j), 1e-5, "stride " + stride + ", padding " + pad + " at " + n + "," + o + "," + i + "," + j);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, 1, 0));
        assertEquals("conv2d: input [2, 3, 6, 7] and weight [4, 2, 3, 3]: expected [N, C, H, W] and [O, C, KH, KW] with the same C",
                e.getMessage());
    }

    /**
     * The fused ReLU of a direct (stride-1) convolution and of the im2col one (stride 2) against
     * conv2d(...).relu(), values and all three gradients, on inputs whose outputs take both signs.
     */
    @Test
    void fusedConvolutionReluEqualsConvolutionThenRelu() {
        for (int stride : new int[] {1, 2}) {
            Tensor x = Tensor.normal(1, 0f, 1f, 3, 2, 9, 8), w = Tensor.normal(2, 0f, 0.5f, 6, 2, 5, 5), b = Tensor.normal(3, 0f, 1f, 6);
            Tensor[] fused = run(x, w, b, stride, true, false), plain = run(x, w, b, stride, false, false);
            float[] v = fused[0].toArray();
            long positive = 0;
            for (float f : v) if (f > 0) positive++;
            assertTrue(positive > v.length / 5 && positive < v.length * 4 / 5, "outputs of both signs");
            for (int i = 0; i < fused.length; i++) {
                float[] a = fused[i].toArray(), e = plain[i].toArray();
                for (int j = 0; j < a.length; j++) assertEquals(e[j], a[j], 1e-4f * (1 + Math.abs(e[j])), "stride " + stride + " tensor " + i + "[" + j + "]");
            }
        }
    }

    /**
     * The fused convolution + ReLU + 2x2 pooling against the three operations, values and gradients,
     * on odd output sizes (the last row and column are not pooled), and through Sequential's fusion
     * (LeNet) against the layers applied one by one.
     */
    @Test
    void fusedConvolutionReluPoolEqualsTheThreeOperations() {
        Tensor x = Tensor.normal(4, 0f, 1f, 3, 2, 9, 8), w = Tensor.normal(5, 0f, 0.5f, 6, 2, 5, 5), b = Tensor.normal(6, 0f, 1f, 6);
        Tensor[] fused = run(x, w, b, 1, true, true), plain = run(x, w, b, 1, false, true);
        assertArrayEquals(new int[] {3, 6, 4, 4}, fused[0].shape());
        for (int i = 0; i < fused.length; i++) {
            float[] a = fused[i].toArray(), e = plain[i].toArray();
            for (int j = 0; j < a.length; j++) assertEquals(e[j], a[j], 1e-4f * (1 + Math.abs(e[j])), "tensor " + i + "[" + j + "]");
        }
        Sequential lenet = LeNet.create();
        lenet.initialize(Initializer.xavier(), 3);
        Tensor images = Tensor.uniform(7, 0f, 1f, 4, 1, 28, 28);
        Tensor fusedOut = lenet.forward(images), stepwise = images;
        for (var layer : lenet.children()) stepwise = layer.forward(stepwise);
        assertArrayEquals(stepwise.toArray(), fusedOut.toArray(), 1e-5f);
    }

    /**
     * The fused ReLU's backward mask, computed from bits, against the comparison the forward pass
     * made ({@code !(y <= 0)}): the special values (zeros of both signs, infinities, NaNs of both
     * signs and payloads, the smallest subnormals) and a million random bit patterns.
     */
    @Test
    void reluPassMaskIsTheComparisonNotYAtMostZero() {
        java.util.List<Float> values = new java.util.ArrayList<>(List.of(0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xff800001),
                Float.intBitsToFloat(0x7fffffff), Float.intBitsToFloat(0xffffffff)));
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 1_000_000; i++) values.add(Float.intBitsToFloat(rnd.nextInt()));
        for (float y : values) {
            int expected = !(y <= 0) ? -1 : 0;
            assertEquals(expected, DirectConv2d.passMask(y), () -> "y = " + y + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(y)) + ")");
        }
    }

    /** Output, dL/dx, dL/dw, dL/db for L = sum(out * r) with a fixed r. */
    private static Tensor[] run(Tensor x0, Tensor w0, Tensor b0, int stride, boolean fused, boolean pool) {
        Tensor x = x0.detach().contiguous().attachGrad(), w = w0.detach().contiguous().attachGrad(), b = b0.detach().contiguous().attachGrad();
        Tensor out, loss;
        try (var tape = Autograd.record()) {
            out = fused ? Functional.conv2dRelu(x, w, b, stride, 2) : Functional.conv2d(x, w, b, stride, 2).relu();
            if (pool) out = fused ? Functional.conv2dReluPool2(x, w, b, 2) : Functional.maxPool2d(out, 2, 2);
            loss = out.mul(Tensor.normal(9, 0f, 1f, out.shape())).sum();
        }
        loss.backward();
        return new Tensor[] {out.detach(), x.grad(), w.grad(), b.grad()};
    }
}
