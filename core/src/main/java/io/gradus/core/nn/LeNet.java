package io.gradus.core.nn;

import io.gradus.core.nn.Layers.Conv2D;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Layers.MaxPool2D;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.tensor.Tensor;

/**
 * The LeNet of section 11.11 for 28 x 28 Fashion-MNIST images: Conv2D 6@5x5 (padding 2), ReLU,
 * MaxPool 2x2, Conv2D 16@5x5, ReLU, MaxPool 2x2, Dense 120 ReLU, Dense 84 ReLU, Dense 10.
 */
public final class LeNet {
    private LeNet() {}

    public static Sequential create() {
        return new Sequential(
                new Conv2D(1, 6, 5, 1, 2, Layers.RELU),
                new MaxPool2D(2, 2),
                new Conv2D(6, 16, 5, 1, 0, Layers.RELU),
                new MaxPool2D(2, 2),
                new Dense(16 * 5 * 5, 120, Tensor::relu),
                new Dense(120, 84, Tensor::relu),
                new Dense(84, 10));
    }
}
