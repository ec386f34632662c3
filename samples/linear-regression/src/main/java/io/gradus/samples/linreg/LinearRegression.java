package io.gradus.samples.linreg;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Checkpoint;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import java.nio.file.Path;

/**
 * Section 11.10's Adam on the airfoil data, as an application would write it: a Dense(1) model,
 * the Trainer, a checkpoint saved and loaded into a fresh model. Prints the full-data loss of both
 * and exits with 1 when the loss is not below 0.26 (the book's runs end near 0.243).
 */
public final class LinearRegression {
    public static void main(String[] args) throws Exception {
        ArrayDataset data = Airfoil.load(DataHub.fromEnvironment());          // $GRADUS_DATA, the cache, or a download
        Dense model = new Dense(5, 1);
        model.initialize(Initializer.normal(0.01), 1);
        Params params = Params.of(model.namedParameters());
        Trainer trainer = new Trainer(params, Optimizers.adam(), LrSchedule.constant(0.01));
        DataLoader loader = new DataLoader(data, 10, true, false, 1);
        float[] xs = new float[10 * 5], ys = new float[10];
        for (int epoch = 0; epoch < 2; epoch++, loader.nextEpoch()) {
            while (loader.hasNext()) {
                int rows = loader.next(xs, ys);
                params.zeroGrads();
                Tensor loss;
                try (var tape = Autograd.record()) {
                    loss = Losses.l2(model.forward(Tensor.wrap(xs, 0, rows, 5)), Tensor.wrap(ys, 0, rows)).sum();
                }
                loss.backward();
                trainer.step(rows);
            }
        }
        Path file = Path.of(args.length > 0 ? args[0] : "target/linear-regression.ckpt");
        Checkpoint.save(file, trainer, loader.state());

        Dense restored = new Dense(5, 1);
        Params restoredParams = Params.of(restored.namedParameters());
        Checkpoint.load(file, new Trainer(restoredParams, Optimizers.adam(), LrSchedule.constant(0.01)));
        double trained = fullLoss(model, data), reloaded = fullLoss(restored, data);
        System.out.printf("loss %.4f, after reloading %s: %.4f%n", trained, file, reloaded);
        System.exit(trained < 0.26 && reloaded == trained ? 0 : 1);
    }

    static double fullLoss(Dense model, ArrayDataset data) {
        float[] x = new float[data.size() * 5], y = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, x, i * 5);
            y[i] = data.label(i);
        }
        return Losses.l2(model.forward(Tensor.wrap(x, 0, data.size(), 5)), Tensor.wrap(y, 0, data.size())).mean().item();
    }
}
