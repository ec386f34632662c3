package io.gradus.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.NonFinite;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Section 11.11's {@code train}: LeNet on Fashion-MNIST with Xavier initialisation, softmax
 * cross-entropy summed over the batch and SGD through a {@link Trainer} that rescales by the batch
 * size and feeds the schedule the update count (1 for the first update, as Gluon's does). Every 50
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
        Sequential net = LeNet.create();
        net.initialize(Initializer.xavier(), seed);
        Params params = Params.of(net.namedParameters());
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
