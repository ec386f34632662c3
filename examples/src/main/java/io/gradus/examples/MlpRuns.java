package io.gradus.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.Layers;
import io.gradus.core.nn.Layers.Dense;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceNetwork;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A multilayer perceptron 784-256-256-10 (ReLU) on Fashion-MNIST with any optimizer of the
 * chapter, trained as 11.11 trains LeNet (softmax cross-entropy summed over the batch, the Trainer
 * rescales by the batch size), on the CPU (core's layers and autograd, {@link Trainer}) or on a
 * device ({@link DeviceNetwork#mlp} and device {@link Trainer}: the data uploaded once, each minibatch
 * gathered on the device, forward, backward and the update there; only each batch's losses and
 * hits come back). Both start from the same Xavier weights for a seed, and draw the same minibatches.
 */
public final class MlpRuns {

    public static final int[] SIZES = {784, 256, 256, 10};

    private MlpRuns() {}

    /** One epoch: mean train loss and accuracy over its batches, test accuracy after it, seconds, examples per second. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds,
                        double examplesPerSecond) {
        public String line() {
            return String.format(Locale.ROOT, "epoch %d: train loss %.3f, train acc %.3f, test acc %.3f, %.0f examples/sec",
                    epoch, trainLoss, trainAccuracy, testAccuracy, examplesPerSecond);
        }
    }

    /** The epochs and the loss curve (x in epochs, the mean loss of each stretch of batches). */
    public record Result(List<Epoch> epochs, double[] curveX, double[] curveLoss) {
        public Epoch last() {
            return epochs.getLast();
        }
    }

    /** The CPU model, initialised from {@code seed}. */
    static Sequential model(long seed) {
        Sequential net = new Sequential(new Dense(SIZES[0], SIZES[1], Layers.RELU), new Dense(SIZES[1], SIZES[2], Layers.RELU),
                new Dense(SIZES[2], SIZES[3]));
        net.initialize(Initializer.xavier(), seed);
        return net;
    }

    /**
     * Trains for {@code epochs} epochs with {@code optimizer} at constant rate {@code lr}, on the CPU
     * when {@code device} is null, else on it.
     */
    public static Result train(ArrayDataset train, ArrayDataset test, Optimizer optimizer, double lr, int epochs, int batch,
                               long seed, DeviceContext device, Progress progress) {
        Sequential net = model(seed);
        Params params = Params.of(net.namedParameters());
        return device == null ? onCpu(train, test, net, params, optimizer, lr, epochs, batch, seed, progress)
                : onDevice(train, test, params, optimizer, lr, epochs, batch, seed, device, progress);
    }

    private static Result onCpu(ArrayDataset train, ArrayDataset test, Sequential net, Params params, Optimizer optimizer,
                                double lr, int epochs, int batch, long seed, Progress progress) {
        Trainer trainer = new Trainer(params, optimizer, LrSchedule.constant(lr));
        DataLoader loader = new DataLoader(train, batch, true, false, seed);
        int pixels = train.exampleSize();
        float[] xs = new float[batch * pixels], ys = new float[batch];
        List<Epoch> done = new ArrayList<>();
        Curve curve = new Curve(loader.batchesPerEpoch());
        for (int e = 1; e <= epochs; e++) {
            long start = System.nanoTime();
            double lossSum = 0;
            int correct = 0, seen = 0;
            while (loader.hasNext()) {
                int rows = loader.next(xs, ys);
                Tensor x = Tensor.wrap(xs, 0, rows, pixels), y = Tensor.wrap(ys, 0, rows);
                params.zeroGrads();
                Tensor logits, l;
                try (var tape = Autograd.record()) {
                    logits = net.forward(x);
                    l = Losses.softmaxCrossEntropy(logits, y).sum();
                }
                l.backward();
                trainer.step(rows);
                double batchLoss = l.item();
                int hits = hits(logits.toArray(), ys, rows);
                lossSum += batchLoss;
                correct += hits;
                seen += rows;
                curve.add(e, batchLoss / rows);
                progress.step(1, String.format(Locale.ROOT, "epoch %d loss %.3f", e, batchLoss / rows));
            }
            loader.nextEpoch();
            double seconds = (System.nanoTime() - start) / 1e9;
            done.add(new Epoch(e, lossSum / seen, (double) correct / seen, cpuAccuracy(net, test, batch), seconds, seen / seconds));
        }
        return new Result(done, curve.x(), curve.loss());
    }

    private static Result onDevice(ArrayDataset train, ArrayDataset test, Params params, Optimizer optimizer, double lr,
                                   int epochs, int batch, long seed, DeviceContext device, Progress progress) {
        int pixels = train.exampleSize();
        Map<String, Integer> offsets = new HashMap<>();
        for (Params.Slot s : params.slots()) offsets.put(s.name(), s.offset());
        List<Epoch> done = new ArrayList<>();
        try (Trainer trainer = new Trainer(params, optimizer, LrSchedule.constant(lr), device);
             DeviceNetwork mlp = DeviceNetwork.mlp(device, SIZES, batch);
             DeviceBatches batches = new DeviceBatches(device, train, batch);
             DeviceArray testX = device.upload(features(test)); DeviceArray testY = device.upload(labels(test))) {
            mlp.bind(trainer.deviceParameters(), trainer.deviceGradients(), offsets::get);
            DataLoader loader = new DataLoader(train, batch, true, false, seed); // the same permutation as the CPU run
            Curve curve = new Curve(loader.batchesPerEpoch());
            for (int e = 1; e <= epochs; e++) {
                long start = System.nanoTime();
                int filled = batches.nextEpoch(loader); // the loader's order, sent once per epoch
                double lossSum = 0;
                int correct = 0;
                for (int first = 0; first < filled; first += batch) {
                    int rows = Math.min(batch, filled - first);
                    DeviceNetwork.BatchResult r = batches.train(mlp, first, rows);
                    trainer.step(rows);
                    lossSum += r.lossSum();
                    correct += r.correct();
                    curve.add(e, r.lossSum() / rows);
                    progress.step(1, String.format(Locale.ROOT, "epoch %d loss %.3f", e, r.lossSum() / rows));
                }
                loader.nextEpoch();
                device.finish();
                double seconds = (System.nanoTime() - start) / 1e9;
                int right = 0;
                for (int first = 0; first < test.size(); first += batch) {
                    right += mlp.correct(testX, first * pixels, testY, first, Math.min(batch, test.size() - first));
                }
                done.add(new Epoch(e, lossSum / filled, (double) correct / filled, (double) right / test.size(), seconds, filled / seconds));
            }
            trainer.downloadParameters();
            return new Result(done, curve.x(), curve.loss());
        }
    }

    static int hits(float[] logits, float[] labels, int rows) {
        int classes = logits.length / rows, right = 0;
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
            if (best == (int) labels[i]) right++;
        }
        return right;
    }

    static double cpuAccuracy(Sequential net, ArrayDataset test, int batch) {
        int pixels = test.exampleSize(), right = 0;
        float[] xs = new float[batch * pixels], ys = new float[batch];
        for (int first = 0; first < test.size(); first += batch) {
            int rows = Math.min(batch, test.size() - first);
            for (int i = 0; i < rows; i++) {
                test.copyFeatures(first + i, xs, i * pixels);
                ys[i] = test.label(first + i);
            }
            right += hits(net.forward(Tensor.wrap(xs, 0, rows, pixels)).toArray(), ys, rows);
        }
        return (double) right / test.size();
    }

    static float[] features(ArrayDataset data) {
        int pixels = data.exampleSize();
        float[] out = new float[data.size() * pixels];
        for (int i = 0; i < data.size(); i++) data.copyFeatures(i, out, i * pixels);
        return out;
    }

    static float[] labels(ArrayDataset data) {
        float[] out = new float[data.size()];
        for (int i = 0; i < data.size(); i++) out[i] = data.label(i);
        return out;
    }

    /** The mean batch loss over stretches of about a tenth of an epoch. */
    private static final class Curve {
        private final int stretch;
        private final List<double[]> points = new ArrayList<>();
        private double sum;
        private int count, batches;

        Curve(int batchesPerEpoch) {
            this.stretch = Math.max(1, batchesPerEpoch / 10);
            this.batchesPerEpoch = batchesPerEpoch;
        }

        private final int batchesPerEpoch;

        void add(int epoch, double meanLoss) {
            sum += meanLoss;
            count++;
            batches++;
            if (count == stretch) {
                points.add(new double[] {(double) batches / batchesPerEpoch, sum / count});
                sum = 0;
                count = 0;
            }
        }

        double[] x() {
            return points.stream().mapToDouble(p -> p[0]).toArray();
        }

        double[] loss() {
            return points.stream().mapToDouble(p -> p[1]).toArray();
        }
    }
}
