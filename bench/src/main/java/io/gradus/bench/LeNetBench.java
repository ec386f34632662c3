package io.gradus.bench;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.FashionMnist;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One forward and backward pass of section 11.11's LeNet on a batch of 256 Fashion-MNIST training
 * images (the first 256), mean softmax cross-entropy, on 2 threads ({@code -Dgradus.threads=2}).
 * The peer is PyTorch's same step, measured back to back ({@code bench/results/.../lenet_torch.py}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dgradus.threads=2")
public class LeNetBench {

    static final int BATCH = 256;

    Sequential net;
    Tensor x, y;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ArrayDataset train = FashionMnist.train(DataHub.fromEnvironment());
        float[] images = new float[BATCH * 784];
        float[] labels = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            train.copyFeatures(i, images, i * 784);
            labels[i] = train.label(i);
        }
        x = Tensor.wrap(images, 0, BATCH, 1, 28, 28);
        y = Tensor.wrap(labels, 0, BATCH);
        net = LeNet.create();
        net.initialize(Initializer.xavier(), 1);
    }

    @Benchmark
    public float forwardBackward() {
        net.zeroGrad();
        Tensor loss;
        try (var tape = Autograd.record()) {
            loss = Losses.softmaxCrossEntropy(net.forward(x), y).mean();
        }
        loss.backward();
        return loss.item();
    }
}
