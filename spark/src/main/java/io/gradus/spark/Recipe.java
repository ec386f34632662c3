package io.gradus.spark;

import io.gradus.core.nn.Module;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrScheduler;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What every JVM of a Spark job needs to rebuild one side of a training run: the model, its loss,
 * the optimizer and the schedule, each as a serializable factory (a lambda or a method reference
 * whose target type is serializable), since Gradus's models and rules are plain objects that never
 * cross a JVM. The driver builds the model once and its initial values are what every executor
 * starts from (they are broadcast), so the model factory need not be deterministic; the optimizer
 * and schedule factories must build equal rules (a checkpoint compares their names and
 * hyperparameters).
 *
 * <pre>{@code
 * Recipe recipe = new Recipe(new int[] {5},
 *         () -> { Dense d = new Dense(5, 1); d.initialize(Initializer.normal(0.01), 1); return d; },
 *         (output, labels) -> Losses.l2(output, labels).sum(),
 *         Optimizers::sgd, () -> LrScheduler.of(LrSchedule.constant(0.05)), Recipe.Configure.NONE);
 * }</pre>
 *
 * @param exampleShape the shape of one example's features (the model's input without the batch
 *                     dimension), e.g. {@code {5}} or {@code {1, 28, 28}}
 * @param model        builds the model with its initial weights
 * @param loss         the loss of a batch, <em>summed</em> over its examples (the Trainer rescales by
 *                     {@code 1/batch}, as Gluon's {@code Trainer.step})
 * @param optimizer    builds the update rule
 * @param schedule     builds the learning-rate schedule
 * @param configure    sets the Trainer's options (clipping, parameter groups, non-finite policy) on
 *                     every Trainer made from this recipe
 */
public record Recipe(int[] exampleShape, Factory<Module> model, Loss loss, Factory<Optimizer> optimizer,
                     Factory<LrScheduler> schedule, Configure configure) implements Serializable {

    /** A serializable factory. */
    @FunctionalInterface
    public interface Factory<T> extends Serializable {
        T create();
    }

    /** A batch's loss summed over its examples, from the model's output and the labels. */
    @FunctionalInterface
    public interface Loss extends Serializable {
        Tensor sum(Tensor output, Tensor labels);
    }

    /** Options applied to each Trainer made from the recipe (on the driver and, in local SGD, on executors). */
    @FunctionalInterface
    public interface Configure extends Serializable {
        /** Leaves the Trainer's defaults. */
        Configure NONE = trainer -> {};

        void apply(Trainer trainer);
    }

    public Recipe {
        if (exampleShape == null || exampleShape.length == 0) {
            throw new IllegalArgumentException("exampleShape = " + Arrays.toString(exampleShape)
                    + ": expected the shape of one example's features, e.g. {5} or {1, 28, 28}");
        }
        for (int d : exampleShape) {
            if (d < 1) throw new IllegalArgumentException("exampleShape = " + Arrays.toString(exampleShape) + ": expected dimensions >= 1");
        }
        if (model == null || loss == null || optimizer == null || schedule == null || configure == null) {
            throw new IllegalArgumentException("model = " + model + ", loss = " + loss + ", optimizer = " + optimizer + ", schedule = "
                    + schedule + ", configure = " + configure + ": expected none of them null (Configure.NONE for no options)");
        }
        exampleShape = exampleShape.clone();
    }

    @Override
    public int[] exampleShape() {
        return exampleShape.clone();
    }

    /** Number of feature values per example: the product of the example shape. */
    public int exampleSize() {
        int n = 1;
        for (int d : exampleShape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** The batch shape {@code [rows, exampleShape...]} the model is fed. */
    public int[] batchShape(int rows) {
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = rows;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return shape;
    }
}
