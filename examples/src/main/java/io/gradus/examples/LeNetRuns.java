package io.gradus.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceNetwork;
import io.gradus.optim.NonFinite;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrScheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section 11.11's {@code train}: LeNet on Fashion-MNIST with Xavier initialisation, softmax
 * cross-entropy summed over the batch and SGD through a {@link Trainer} that rescales by the batch
 * size and feeds the schedule the update count (1 for the first update, as Gluon's does), on the
 * CPU or on a device ({@code --device gpu}). Every 50
 * batches (more often in short runs) the running train loss and accuracy of the epoch are recorded; after each epoch the test
 * accuracy.
 */
public final class LeNetRuns {

    public static final int BATCH = 256;

    private LeNetRuns() {}

    /** One epoch's numbers: running means over the epoch's examples, test accuracy after it, wall seconds. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {
        public String line() {
            return String.format(Locale.ROOT, "epoch %d: train loss %.3f, train acc %.3f, test acc %.3f (%.1f s)",
                    epoch, trainLoss, trainAccuracy, testAccuracy, seconds);
        }
    }

    /** Per-epoch results and the book's animator curves (x in epochs). */
    public record Result(List<Epoch> epochs, double[] curveX, double[] curveLoss, double[] curveAccuracy,
                         double[] testX, double[] testAccuracy, double[] batchLoss, long skippedUpdates) {
        public Epoch last() {
            return epochs.getLast();
        }

        /** The mean loss over the first minibatch, before any update took effect. */
        public double firstBatchLoss() {
            return batchLoss[0];
        }

        /** The mean loss over the last minibatch. */
        public double lastBatchLoss() {
            return batchLoss[batchLoss.length - 1];
        }

        /** The line the book prints at the end: {@code train loss 0.271, train acc 0.902, test acc 0.893}. */
        public String line() {
            Epoch e = last();
            return String.format(Locale.ROOT, "train loss %.3f, train acc %.3f, test acc %.3f", e.trainLoss(), e.trainAccuracy(), e.testAccuracy());
        }
    }

    public static Result train(ArrayDataset train, ArrayDataset test, LrScheduler schedule, int epochs, long seed, Run run,
                               String task) {
        return train(train, test, schedule, epochs, BATCH, seed, run, task);
    }

    public static Result train(ArrayDataset train, ArrayDataset test, LrScheduler schedule, int epochs, int batchSize,
                               long seed, Run run, String task) {
        return train(train, test, schedule, epochs, batchSize, seed, null, run, task);
    }

    /**
     * {@link #train} on the CPU when {@code device} is null, else on it ({@link DeviceNetwork#lenet}
     * and a device Trainer: the images uploaded once, each minibatch gathered on the device in the
     * loader's order, forward, backward and the update there; each batch's losses and hits come
     * back). Both start from the same Xavier weights for a seed and draw the same minibatches.
     */
    public static Result train(ArrayDataset train, ArrayDataset test, LrScheduler schedule, int epochs, int batchSize,
                               long seed, DeviceContext device, Run run, String task) {
        Sequential net = LeNet.create();
        net.initialize(Initializer.xavier(), seed);
        Params params = Params.of(net.namedParameters());
        if (device != null) return onDevice(train, test, params, schedule, epochs, batchSize, seed, device, run, task);
        // A step whose gradient is not finite is skipped (and counted) rather than written into the
        // weights: a diverging schedule shows up as a count, not as NaN everywhere.
        Trainer trainer = new Trainer(params, Optimizers.sgd(), schedule).nonFinite(NonFinite.SKIP);
        DataLoader loader = new DataLoader(train, batchSize, true, false, seed);
        int perEpoch = loader.batchesPerEpoch(), pixels = train.exampleSize();
        float[] xs = new float[batchSize * pixels], ys = new float[batchSize];
        List<Epoch> done = new ArrayList<>();
        List<double[]> curve = new ArrayList<>();
        double[] batchLoss = new double[epochs * perEpoch];
        int batchIndex = 0;
        // The book records every 50 batches (235 per epoch); short runs record more often to draw a curve.
        int recordEvery = Math.max(1, Math.min(50, perEpoch / 8));
        double[] testX = new double[epochs], testAcc = new double[epochs];
        try (Progress progress = run.progress(task, (long) epochs * perEpoch)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long start = System.nanoTime();
                double lossSum = 0, correct = 0;
                long seen = 0;
                for (int i = 0; loader.hasNext(); i++) {
                    int rows = loader.next(xs, ys);
                    Tensor x = Tensor.wrap(xs, 0, rows, 1, 28, 28), y = Tensor.wrap(ys, 0, rows);
                    params.zeroGrads();
                    Tensor logits, l;
                    try (var tape = Autograd.record()) {
                        logits = net.forward(x);
                        l = Losses.softmaxCrossEntropy(logits, y).sum();
                    }
                    l.backward();
                    trainer.step(rows);
                    lossSum += l.item();
                    batchLoss[batchIndex++] = l.item() / rows;
                    correct += logits.argmax(1, false).eq(y).sum().item();
                    seen += rows;
                    if ((i + 1) % recordEvery == 0) curve.add(new double[] {epoch + (double) i / perEpoch, lossSum / seen, correct / seen});
                    progress.step(1, String.format(Locale.ROOT, "epoch %d loss %.3f", epoch + 1, lossSum / seen));
                }
                loader.nextEpoch();
                double acc = accuracy(net, test);
                testX[epoch] = epoch + 1;
                testAcc[epoch] = acc;
                done.add(new Epoch(epoch + 1, lossSum / seen, correct / seen, acc, (System.nanoTime() - start) / 1e9));
            }
        }
        double[] cx = new double[curve.size()], cl = new double[curve.size()], ca = new double[curve.size()];
        for (int i = 0; i < cx.length; i++) {
            cx[i] = curve.get(i)[0];
            cl[i] = curve.get(i)[1];
            ca[i] = curve.get(i)[2];
        }
        return new Result(List.copyOf(done), cx, cl, ca, testX, testAcc, batchLoss, trainer.skipped());
    }

    private static Result onDevice(ArrayDataset train, ArrayDataset test, Params params, LrScheduler schedule, int epochs,
                                   int batchSize, long seed, DeviceContext device, Run run, String task) {
        int pixels = train.exampleSize();
        Map<String, Integer> offsets = new HashMap<>();
        for (Params.Slot s : params.slots()) offsets.put(s.name(), s.offset());
        try (Trainer trainer = new Trainer(params, Optimizers.sgd(), schedule, device).nonFinite(NonFinite.SKIP);
             DeviceNetwork lenet = DeviceNetwork.lenet(device, batchSize);
             DeviceBatches batches = new DeviceBatches(device, train, batchSize);
             DeviceArray testX = device.upload(MlpRuns.features(test)); DeviceArray testY = device.upload(MlpRuns.labels(test))) {
            lenet.bind(trainer.deviceParameters(), trainer.deviceGradients(), offsets::get);
            DataLoader loader = new DataLoader(train, batchSize, true, false, seed); // the CPU run's permutation
            int perEpoch = loader.batchesPerEpoch();
            int recordEvery = Math.max(1, Math.min(50, perEpoch / 8));
            List<Epoch> done = new ArrayList<>();
            List<double[]> curve = new ArrayList<>();
            double[] batchLoss = new double[epochs * perEpoch], testX2 = new double[epochs], testAcc = new double[epochs];
            int batchIndex = 0;
            try (Progress progress = run.progress(task, (long) epochs * perEpoch)) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    long start = System.nanoTime();
                    int filled = batches.nextEpoch(loader); // the loader's order, sent once per epoch
                    double lossSum = 0, correct = 0;
                    long seen = 0;
                    for (int i = 0, first = 0; first < filled; i++, first += batchSize) {
                        int rows = Math.min(batchSize, filled - first);
                        DeviceNetwork.BatchResult r = batches.train(lenet, first, rows);
                        trainer.step(rows);
                        lossSum += r.lossSum();
                        batchLoss[batchIndex++] = r.lossSum() / rows;
                        correct += r.correct();
                        seen += rows;
                        if ((i + 1) % recordEvery == 0) curve.add(new double[] {epoch + (double) i / perEpoch, lossSum / seen, correct / seen});
                        progress.step(1, String.format(Locale.ROOT, "epoch %d loss %.3f", epoch + 1, lossSum / seen));
                    }
                    loader.nextEpoch();
                    int right = 0;
                    for (int first = 0; first < test.size(); first += BATCH) {
                        right += lenet.correct(testX, first * pixels, testY, first, Math.min(BATCH, test.size() - first));
                    }
                    testX2[epoch] = epoch + 1;
                    testAcc[epoch] = (double) right / test.size();
                    done.add(new Epoch(epoch + 1, lossSum / seen, correct / seen, testAcc[epoch], (System.nanoTime() - start) / 1e9));
                }
            }
            trainer.downloadParameters();
            double[] cx = new double[curve.size()], cl = new double[curve.size()], ca = new double[curve.size()];
            for (int i = 0; i < cx.length; i++) {
                cx[i] = curve.get(i)[0];
                cl[i] = curve.get(i)[1];
                ca[i] = curve.get(i)[2];
            }
            return new Result(List.copyOf(done), cx, cl, ca, testX2, testAcc, batchLoss, trainer.skipped());
        }
    }

    /** A median over seeds and the range the seeds span. */
    public record Spread(double median, double min, double max) {
        /** The median of {@code values} (the mean of the middle two for an even count), their minimum and maximum. */
        public static Spread of(double[] values) {
            if (values.length == 0) throw new IllegalArgumentException("values: expected at least one");
            double[] v = values.clone();
            java.util.Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
            return new Spread(median, v[0], v[n - 1]);
        }

        /** {@code 0.893 (0.880-0.897)}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", median, min, max);
        }
    }

    /** The runs of one schedule over several seeds, and their last epochs' medians and ranges. */
    public record SeedRuns(long firstSeed, List<Result> runs) {
        public Spread trainLoss() {
            return Spread.of(runs.stream().mapToDouble(r -> r.last().trainLoss()).toArray());
        }

        public Spread trainAccuracy() {
            return Spread.of(runs.stream().mapToDouble(r -> r.last().trainAccuracy()).toArray());
        }

        public Spread testAccuracy() {
            return Spread.of(runs.stream().mapToDouble(r -> r.last().testAccuracy()).toArray());
        }

        /** {@code train loss 0.256 (0.25-0.27), train acc ..., test acc ... over 5 seeds (1-5)}: medians (ranges). */
        public String line() {
            return "train loss " + trainLoss() + ", train acc " + trainAccuracy() + ", test acc " + testAccuracy()
                    + " over " + runs.size() + " seeds (" + firstSeed + "-" + (firstSeed + runs.size() - 1) + "): median (range)";
        }

        /** Point {@code i} of one curve of every run, as a spread over seeds (the runs record at the same x). */
        public Spread at(int i, java.util.function.Function<Result, double[]> curve) {
            return Spread.of(runs.stream().mapToDouble(r -> curve.apply(r)[i]).toArray());
        }

        /** How many runs skipped an update for a gradient that was not finite. */
        public long skippedUpdates() {
            return runs.stream().mapToLong(Result::skippedUpdates).sum();
        }
    }

    /**
     * {@link #train} on seeds {@code firstSeed .. firstSeed + seeds - 1}, each with a fresh scheduler,
     * up to {@code concurrent} of them at once (each run's kernels share the one pool of {@code
     * Parallel.common()}, which queues their jobs; running two at once fills the gaps where one is
     * in single-threaded code). Results in seed order; the first failure is rethrown.
     */
    public static SeedRuns overSeeds(ArrayDataset train, ArrayDataset test, java.util.function.Supplier<LrScheduler> schedule,
                                     int epochs, long firstSeed, int seeds, int concurrent, DeviceContext device, Run run, String task) {
        if (seeds < 1) throw new IllegalArgumentException("seeds = " + seeds + ": expected >= 1");
        if (concurrent < 1) throw new IllegalArgumentException("concurrent = " + concurrent + ": expected >= 1");
        if (concurrent == 1 || seeds == 1) {
            List<Result> out = new ArrayList<>();
            for (int k = 0; k < seeds; k++) {
                out.add(train(train, test, schedule.get(), epochs, BATCH, firstSeed + k, device, run,
                        seeds == 1 ? task : task + " seed " + (firstSeed + k)));
            }
            return new SeedRuns(firstSeed, List.copyOf(out));
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(concurrent, seeds))) {
            List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
            for (int k = 0; k < seeds; k++) {
                long seed = firstSeed + k;
                futures.add(pool.submit(() -> train(train, test, schedule.get(), epochs, BATCH, seed, device, run, task + " seed " + seed)));
            }
            List<Result> out = new ArrayList<>();
            for (var f : futures) out.add(f.get());
            return new SeedRuns(firstSeed, List.copyOf(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training " + task + " over seeds", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(task + ": a seed's run failed: " + e.getCause(), e.getCause());
        }
    }

    /** The fraction of {@code data} the network classifies right (forward passes only, nothing recorded). */
    public static double accuracy(Sequential net, ArrayDataset data) {
        int pixels = data.exampleSize();
        float[] xs = new float[BATCH * pixels], ys = new float[BATCH];
        double correct = 0;
        for (int start = 0; start < data.size(); start += BATCH) {
            int rows = Math.min(BATCH, data.size() - start);
            for (int r = 0; r < rows; r++) {
                data.copyFeatures(start + r, xs, r * pixels);
                ys[r] = data.label(start + r);
            }
            Tensor logits = net.forward(Tensor.wrap(xs, 0, rows, 1, 28, 28));
            correct += logits.argmax(1, false).eq(Tensor.wrap(ys, 0, rows)).sum().item();
        }
        return correct / data.size();
    }
}
