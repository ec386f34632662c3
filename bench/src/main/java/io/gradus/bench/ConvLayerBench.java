package io.gradus.bench;

import io.gradus.core.nn.Functional;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One of LeNet's fused convolution + ReLU + 2 x 2 max pooling layers (section 11.11; core's
 * {@code DirectConv2d}), forward and backward, on a batch of 256 on 2 threads: "conv1" (1 x 28 x 28
 * images, 6 channels of 5 x 5, padding 2; no input gradient, as for LeNet's input) or "conv2"
 * (6 x 14 x 14, 16 channels of 5 x 5; the input gradient too, which is added to the input's
 * gradient buffer as for any leaf). The loss is the sum of the outputs, so every output's gradient
 * is one. Inputs and weights are seeded. Compare versions by running it
 * with each one's classes on the class path (issue 25's {@code bench/results/2026-12-06-conv-zen5});
 * {@code -jvmArgsAppend -XX:UseAVX=2} for the 256-bit path. The warm-up is long because the first
 * operations run the Vector API interpreted, hundreds of times slower, before C2 compiles the kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dgradus.threads=2")
public class ConvLayerBench {

    static final int BATCH = 256;

    /** LeNet's layer: "conv1" or "conv2" (see the class comment). */
    @Param({"conv1", "conv2"})
    public String layer;

    Tensor x, w, b;
    int pad;

    @Setup(Level.Trial)
    public void setUp() {
        switch (layer) {
            case "conv1" -> {
                x = Tensor.uniform(1, 0f, 1f, BATCH, 1, 28, 28);
                w = Tensor.normal(2, 0f, 0.2f, 6, 1, 5, 5).attachGrad();
                b = Tensor.normal(3, 0f, 0.1f, 6).attachGrad();
                pad = 2;
            }
            case "conv2" -> {
                x = Tensor.uniform(1, 0f, 1f, BATCH, 6, 14, 14).attachGrad();
                w = Tensor.normal(2, 0f, 0.1f, 16, 6, 5, 5).attachGrad();
                b = Tensor.normal(3, 0f, 0.1f, 16).attachGrad();
                pad = 0;
            }
            default -> throw new IllegalArgumentException("layer = " + layer + ": expected conv1 or conv2");
        }
    }

    @Benchmark
    public float forwardBackward() {
        Tensor loss;
        try (var tape = Autograd.record()) {
            loss = Functional.conv2dReluPool2(x, w, b, pad).sum();
        }
        loss.backward();
        return loss.item();
    }
}
