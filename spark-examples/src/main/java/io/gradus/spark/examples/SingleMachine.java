package io.gradus.spark.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Module;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.spark.Recipe;

/**
 * The same {@link Recipe} trained on this machine by the ordinary {@link Trainer} (the peer every
 * Spark figure is measured against): minibatches from a seeded {@link DataLoader}, the Trainer's
 * pool on this JVM's cores ({@code -Dgradus.threads}).
 */
final class SingleMachine {

    final Module model;
    final Params params;
    final Trainer trainer;
    private final Recipe recipe;

    SingleMachine(Recipe recipe) {
        this.recipe = recipe;
        this.model = recipe.model().create();
        this.params = Params.of(model.namedParameters());
        this.trainer = new Trainer(params, recipe.optimizer().create(), recipe.schedule().create());
        recipe.configure().apply(trainer);
    }

    /** One epoch over {@code data} in minibatches of {@code batch}; returns the mean training loss. */
    double epoch(DataLoader loader, ArrayDataset data, int batch) {
        int size = data.exampleSize();
        float[] xs = new float[batch * size], ys = new float[batch];
        double lossSum = 0;
        int seen = 0;
        while (loader.hasNext()) {
            int rows = loader.next(xs, ys);
            params.zeroGrads();
            Tensor loss;
            try (var tape = Autograd.record()) {
                loss = recipe.loss().sum(model.forward(Tensor.wrap(xs, 0, recipe.batchShape(rows))), Tensor.wrap(ys, 0, rows));
            }
            loss.backward();
            trainer.step(rows);
            lossSum += loss.item();
            seen += rows;
        }
        loader.nextEpoch();
        return lossSum / seen;
    }

    /** The mean of the recipe's loss over {@code data} at {@code model}'s parameters (forward only). */
    static double meanLoss(Recipe recipe, Module model, ArrayDataset data) {
        return evaluate(recipe, model, data)[0];
    }

    /** The fraction of {@code data} a classifier gets right (argmax of its output). */
    static double accuracy(Recipe recipe, Module model, ArrayDataset data) {
        return evaluate(recipe, model, data)[1];
    }

    private static double[] evaluate(Recipe recipe, Module model, ArrayDataset data) {
        int batch = 1000, size = data.exampleSize();
        float[] xs = new float[batch * size], ys = new float[batch];
        double loss = 0, correct = 0;
        for (int start = 0; start < data.size(); start += batch) {
            int rows = Math.min(batch, data.size() - start);
            for (int r = 0; r < rows; r++) {
                data.copyFeatures(start + r, xs, r * size);
                ys[r] = data.label(start + r);
            }
            Tensor out = model.forward(Tensor.wrap(xs, 0, recipe.batchShape(rows))), y = Tensor.wrap(ys, 0, rows);
            loss += recipe.loss().sum(out, y).item();
            if (out.rank() == 2 && out.dim(1) > 1) correct += out.argmax(1, false).eq(y).sum().item();
        }
        return new double[] {loss / data.size(), correct / data.size()};
    }
}
