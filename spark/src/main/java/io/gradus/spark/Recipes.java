package io.gradus.spark;

import io.gradus.core.data.FashionMnist;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.Layers;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Losses;
import io.gradus.optim.Optimizer;
import io.gradus.optim.schedule.LrScheduler;

/**
 * The chapter's models as {@link Recipe}s, built as the single-machine examples build them (the same
 * weights for a seed): section 11.5's linear regression on airfoil, a 784-256-256-10 ReLU
 * perceptron and section 11.11's LeNet on Fashion-MNIST.
 */
public final class Recipes {
    private Recipes() {}

    /**
     * Section 11.5's linear regression on the 5 airfoil features: one Dense 5 -> 1 with weights from
     * N(0, 0.01^2) and a zero bias, squared loss {@code (y_hat - y)^2 / 2} summed over the batch.
     */
    public static Recipe airfoilLinear(long seed, Recipe.Factory<Optimizer> optimizer, Recipe.Factory<LrScheduler> schedule) {
        return new Recipe(new int[] {5}, () -> {
            Dense net = new Dense(5, 1);
            net.initialize(Initializer.normal(0.01), seed);
            return net;
        }, (output, labels) -> Losses.l2(output, labels).sum(), optimizer, schedule, Recipe.Configure.NONE);
    }

    /** A 784-256-256-10 ReLU perceptron with Xavier weights, softmax cross-entropy summed over the batch. */
    public static Recipe fashionMlp(long seed, Recipe.Factory<Optimizer> optimizer, Recipe.Factory<LrScheduler> schedule) {
        return new Recipe(new int[] {FashionMnist.SIDE * FashionMnist.SIDE}, () -> {
            Sequential net = new Sequential(new Dense(784, 256, Layers.RELU), new Dense(256, 256, Layers.RELU), new Dense(256, 10));
            net.initialize(Initializer.xavier(), seed);
            return net;
        }, (output, labels) -> Losses.softmaxCrossEntropy(output, labels).sum(), optimizer, schedule, Recipe.Configure.NONE);
    }

    /** Section 11.11's LeNet with Xavier weights, softmax cross-entropy summed over the batch. */
    public static Recipe lenet(long seed, Recipe.Factory<Optimizer> optimizer, Recipe.Factory<LrScheduler> schedule) {
        return new Recipe(new int[] {1, FashionMnist.SIDE, FashionMnist.SIDE}, () -> {
            Sequential net = LeNet.create();
            net.initialize(Initializer.xavier(), seed);
            return net;
        }, (output, labels) -> Losses.softmaxCrossEntropy(output, labels).sum(), optimizer, schedule, Recipe.Configure.NONE);
    }
}
