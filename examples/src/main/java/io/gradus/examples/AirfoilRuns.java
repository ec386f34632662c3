package io.gradus.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.bench.ScratchUpdates.ScratchUpdate;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceNetwork;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import java.util.Arrays;
import java.util.Locale;

/**
 * Linear regression on the airfoil data as sections 11.5-11.10 train it: the book's
 * {@code train_ch11} (a from-scratch update written with the Tensor API, loss averaged over the
 * minibatch) and {@code train_gluon_ch11} (a Dense(1) layer, Gluon's L2 loss summed and a
 * {@link Trainer} that rescales by the batch size). Both evaluate the squared loss on all 1,500 rows
 * every 200 examples and time only the training between evaluations.
 */
public final class AirfoilRuns {

    private AirfoilRuns() {}

    /**
     * A loss curve: at each evaluation, the epoch reached (batches done / batches per epoch), the
     * training seconds so far, and the full-data loss; plus training seconds per epoch.
     */
    public record Curve(double[] epochs, double[] seconds, double[] losses, double secondsPerEpoch) {
        public double finalLoss() {
            return losses[losses.length - 1];
        }

        /** The book's line: {@code loss: 0.244, 0.052 sec/epoch}. */
        public String line() {
            return String.format(Locale.ROOT, "loss: %.3f, %.3f sec/epoch", finalLoss(), secondsPerEpoch);
        }
    }

    /** What one training step and one evaluation do; the loop around them is shared. */
    private interface Model {
        void step(Tensor x, Tensor y, int rows);

        double loss(Tensor x, Tensor y);
    }

    /** The book's {@code train_ch11}: {@code w ~ N(0, 0.01^2)}, {@code b = 0}, mean squared loss per minibatch. */
    public static Curve scratch(ArrayDataset data, ScratchUpdate update, int batchSize, int epochs, long seed) {
        int features = data.exampleSize();
        Tensor[] params = {Tensor.normal(seed, 0f, 0.01f, features, 1).attachGrad(), Tensor.zeros(1).attachGrad()};
        Tensor[][] states = new Tensor[2][update.stateSlots()];
        for (int i = 0; i < 2; i++) for (int s = 0; s < update.stateSlots(); s++) states[i][s] = Tensor.zeros(params[i].shape());
        Model model = new Model() {
            @Override
            public void step(Tensor x, Tensor y, int rows) {
                for (Tensor p : params) p.zeroGrad();
                Tensor l;
                try (var tape = Autograd.record()) {
                    l = Losses.squared(x.matmul(params[0]).add(params[1]), y).mean();
                }
                l.backward();
                for (int i = 0; i < params.length; i++) {
                    params[i] = update.update(params[i], params[i].grad(), states[i]).attachGrad();
                }
                update.endStep();
            }

            @Override
            public double loss(Tensor x, Tensor y) {
                return Losses.squared(x.matmul(params[0]).add(params[1]), y).mean().item();
            }
        };
        return train(data, model, batchSize, epochs, seed);
    }

    /** The book's {@code train_gluon_ch11}: Dense(1) initialised N(0, 0.01^2), L2 loss, {@code trainer.step(batch)}. */
    public static Curve concise(ArrayDataset data, Optimizer optimizer, double lr, int batchSize, int epochs, long seed) {
        return concise(data, optimizer, lr, batchSize, epochs, seed, null);
    }

    /**
     * {@link #concise(ArrayDataset, Optimizer, double, int, int, long)} on a device when {@code device}
     * is not null: the same Dense(1) weights, a {@link DeviceNetwork#mlp} of one layer and a device {@link Trainer};
     * each minibatch is uploaded (two small copies), the evaluations run on the device.
     */
    public static Curve concise(ArrayDataset data, Optimizer optimizer, double lr, int batchSize, int epochs, long seed,
                                DeviceContext device) {
        Dense net = new Dense(data.exampleSize(), 1);
        net.initialize(Initializer.normal(0.01), seed);
        Params params = Params.of(net.namedParameters());
        if (device != null) return onDevice(data, params, optimizer, lr, batchSize, epochs, seed, device);
        Trainer trainer = new Trainer(params, optimizer, LrSchedule.constant(lr));
        Model model = new Model() {
            @Override
            public void step(Tensor x, Tensor y, int rows) {
                params.zeroGrads();
                Tensor l;
                try (var tape = Autograd.record()) {
                    l = Losses.l2(net.forward(x), y).sum();
                }
                l.backward();
                trainer.step(rows);
            }

            @Override
            public double loss(Tensor x, Tensor y) {
                return Losses.l2(net.forward(x), y).mean().item();
            }
        };
        return train(data, model, batchSize, epochs, seed);
    }

    private static Curve onDevice(ArrayDataset data, Params params, Optimizer optimizer, double lr, int batchSize, int epochs,
                                  long seed, DeviceContext device) {
        int features = data.exampleSize(), n = data.size();
        try (Trainer trainer = new Trainer(params, optimizer, LrSchedule.constant(lr), device);
             DeviceNetwork layer = DeviceNetwork.mlp(device, new int[] {features, 1}, Math.max(n, batchSize));
             DeviceArray bx = device.allocate(batchSize * features); DeviceArray by = device.allocate(batchSize);
             DeviceArray allX = device.allocate(n * features)) {
            java.util.Map<String, Integer> offsets = new java.util.HashMap<>();
            for (Params.Slot s : params.slots()) offsets.put(s.name().equals("weight") ? "0.weight" : "0.bias", s.offset());
            layer.bind(trainer.deviceParameters(), trainer.deviceGradients(), offsets::get);
            float[] all = new float[n * features];
            for (int i = 0; i < n; i++) data.copyFeatures(i, all, i * features);
            allX.upload(all);
            float[] predictions = new float[n];
            Model model = new Model() {
                @Override
                public void step(Tensor x, Tensor y, int rows) {
                    bx.upload(x.toArray(), 0, 0, rows * features);
                    by.upload(y.toArray(), 0, 0, rows);
                    layer.trainBatchL2(bx, 0, by, 0, rows);
                    trainer.step(rows);
                }

                @Override
                public double loss(Tensor x, Tensor y) {
                    layer.forward(allX, 0, n).download(0, predictions, 0, n);
                    float[] labels = y.toArray();
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        double d = predictions[i] - labels[i];
                        sum += 0.5 * d * d;
                    }
                    return sum / n;
                }
            };
            return train(data, model, batchSize, epochs, seed);
        }
    }

    private static Curve train(ArrayDataset data, Model model, int batchSize, int epochs, long seed) {
        int n = data.size(), features = data.exampleSize();
        float[] all = new float[n * features], labels = new float[n];
        for (int i = 0; i < n; i++) {
            data.copyFeatures(i, all, i * features);
            labels[i] = data.label(i);
        }
        Tensor allX = Tensor.wrap(all, 0, n, features), allY = Tensor.wrap(labels, 0, n);
        DataLoader loader = new DataLoader(data, batchSize, true, false, seed);
        int perEpoch = loader.batchesPerEpoch();
        float[] xs = new float[batchSize * features], ys = new float[batchSize];
        double[] ep = new double[16], sec = new double[16], loss = new double[16];
        int points = 0;
        long examples = 0, batches = 0, trainingNanos = 0, start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            while (loader.hasNext()) {
                int rows = loader.next(xs, ys);
                model.step(Tensor.wrap(xs, 0, rows, features), Tensor.wrap(ys, 0, rows), rows);
                examples += rows;
                batches++;
                if (examples % 200 == 0) {
                    trainingNanos += System.nanoTime() - start; // the timer stops for the evaluation
                    if (points == ep.length) {
                        ep = Arrays.copyOf(ep, points * 2);
                        sec = Arrays.copyOf(sec, points * 2);
                        loss = Arrays.copyOf(loss, points * 2);
                    }
                    ep[points] = (double) batches / perEpoch;
                    sec[points] = trainingNanos / 1e9;
                    loss[points++] = model.loss(allX, allY);
                    start = System.nanoTime();
                }
            }
            loader.nextEpoch();
        }
        trainingNanos += System.nanoTime() - start;
        return new Curve(Arrays.copyOf(ep, points), Arrays.copyOf(sec, points), Arrays.copyOf(loss, points),
                trainingNanos / 1e9 / epochs);
    }

    /** The median of the final losses over seeds {@code first .. first + count - 1}, and their range. */
    public record SeedSummary(double median, double min, double max, int seeds) {
        public String line() {
            return String.format(Locale.ROOT, "final loss over %d seeds: median %.4f (range %.4f-%.4f)", seeds, median, min, max);
        }
    }

    public interface SeededRun {
        Curve run(long seed);
    }

    public static SeedSummary overSeeds(SeededRun run, long first, int count) {
        double[] losses = new double[count];
        for (int i = 0; i < count; i++) losses[i] = run.run(first + i).finalLoss();
        Arrays.sort(losses);
        double median = count % 2 == 1 ? losses[count / 2] : 0.5 * (losses[count / 2 - 1] + losses[count / 2]);
        return new SeedSummary(median, losses[0], losses[count - 1], count);
    }
}
