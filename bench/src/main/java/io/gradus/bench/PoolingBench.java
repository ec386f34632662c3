package io.gradus.bench;

import io.gradus.kernels.ConvKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The fused bias + ReLU + 2 x 2 max pooling kernel ({@link ConvKernels#maxPool2x2}) alone, on one
 * image's planes of LeNet's two convolutions as core's {@code DirectConv2d} lays them out: the
 * first layer's 6 planes of 28 x 28 outputs on rows of 30 floats (pooled to 14 x 14), the second's
 * 16 planes of 10 x 10 on rows of 14 (pooled to 5 x 5). One operation pools every plane of one
 * image; values are seeded Gaussians, so about half the windows' maxima pass the ReLU. Compare
 * kernel versions by running it with each one's jar on the class path (issue 25's
 * {@code bench/results/2026-12-06-pooling-zen5}); {@code -jvmArgsAppend -XX:UseAVX=2} for the
 * 256-bit path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolingBench {

    /** LeNet's layer: "conv1" (6 planes, rows of 30, 14 x 14 pooled) or "conv2" (16, rows of 14, 5 x 5). */
    @Param({"conv1", "conv2"})
    public String layer;

    ConvKernels kernels;
    float[] wide, out;
    byte[] winner;
    int planes, rowWidth, pooled, planeStride;

    @Setup(Level.Trial)
    public void setUp() {
        switch (layer) {
            case "conv1" -> { planes = 6; rowWidth = 30; pooled = 14; }
            case "conv2" -> { planes = 16; rowWidth = 14; pooled = 5; }
            default -> throw new IllegalArgumentException("layer = " + layer + ": expected conv1 or conv2");
        }
        // A plane holds the 2 * pooled rows of outputs, rounded up to whole 16-float vectors.
        planeStride = (2 * pooled * rowWidth + 15) / 16 * 16;
        Random rnd = new Random(25);
        wide = new float[planes * planeStride];
        for (int i = 0; i < wide.length; i++) wide[i] = (float) rnd.nextGaussian();
        out = new float[planes * pooled * pooled];
        winner = new byte[out.length];
        kernels = ConvKernels.get();
    }

    @Benchmark
    public float poolOneImage() {
        for (int p = 0; p < planes; p++) {
            kernels.maxPool2x2(wide, p * planeStride, rowWidth, 0.1f, true, out, winner, p * pooled * pooled, pooled, pooled);
        }
        return out[0] + winner[winner.length - 1];
    }
}
