package io.gradus.samples.lenet;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.data.FashionMnist;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.Losses;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;

/**
 * LeNet (section 11.11's model) for one epoch on the first 10,000 Fashion-MNIST training images
 * with Adam, through the Tensor/nn API; then the accuracy on 2,000 test images. Exits with 1 unless
 * it learned (test accuracy above 0.6; chance is 0.1).
 */
public final class LeNetOneEpoch {
    public static void main(String[] args) throws Exception {
        DataHub hub = DataHub.fromEnvironment();
        ArrayDataset train = FashionMnist.train(hub).head(10_000), test = FashionMnist.test(hub).head(2_000);
        Sequential net = LeNet.create();
        net.initialize(Initializer.xavier(), 1);
        Params params = Params.of(net.namedParameters());
        Trainer trainer = new Trainer(params, Optimizers.adam(), LrSchedule.constant(0.002));
        DataLoader loader = new DataLoader(train, 256, true, false, 1);
        float[] xs = new float[256 * 784], ys = new float[256];
        double lossSum = 0;
        while (loader.hasNext()) {
            int rows = loader.next(xs, ys);
            params.zeroGrads();
            Tensor loss;
            try (var tape = Autograd.record()) {
                loss = Losses.softmaxCrossEntropy(net.forward(Tensor.wrap(xs, 0, rows, 1, 28, 28)), Tensor.wrap(ys, 0, rows)).sum();
            }
            loss.backward();
            trainer.step(rows);
            lossSum += loss.item();
        }
        int right = 0;
        for (int first = 0; first < test.size(); first += 256) {
            int rows = Math.min(256, test.size() - first);
            for (int i = 0; i < rows; i++) {
                test.copyFeatures(first + i, xs, i * 784);
                ys[i] = test.label(first + i);
            }
            float[] logits = net.forward(Tensor.wrap(xs, 0, rows, 1, 28, 28)).toArray();
            for (int i = 0; i < rows; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
                if (best == (int) ys[i]) right++;
            }
        }
        double accuracy = (double) right / test.size();
        System.out.printf("train loss %.3f, test acc %.3f%n", lossSum / train.size(), accuracy);
        System.exit(accuracy > 0.6 ? 0 : 1);
    }
}
