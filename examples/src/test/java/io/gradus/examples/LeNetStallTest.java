package io.gradus.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.data.FashionMnist;
import io.gradus.core.nn.Functional;
import io.gradus.core.nn.Initializer;
import io.gradus.core.nn.LeNet;
import io.gradus.core.nn.Layers.Sequential;
import io.gradus.core.nn.Losses;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import io.gradus.optim.schedule.Schedules;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Why section 11.11's cosine-with-warmup run stalls on some seeds: dying ReLUs at the peak rate of
 * 0.5, the same death that the book's own constant-0.5 run shows (it prints train loss 2.303, train
 * acc 0.101, test acc 0.100: an output that no longer depends on the input). Nothing here differs
 * from MXNet's recipe: Xavier (uniform, average fan, magnitude 3) on weights, zero biases, pixels
 * in [0, 1], a fresh permutation per epoch, the summed loss rescaled by 1/batch, the schedule fed
 * the update count from 1 (book/NOTES.md). A step at a rate near 0.5 can push a convolution
 * channel's pre-activation below zero for every input; its ReLU then passes no gradient and the
 * channel never comes back. When five of the six first-layer channels die, the net sits at chance
 * (loss ln 10); after update 40 the schedule's rate is 0.01, so the one survivor takes epochs to
 * carry it out. Which seeds die is chaotic (one ulp in one weight changes the trajectory within
 * tens of updates), so the book's figure is one draw, and 11.11 is reported as medians over seeds.
 */
class LeNetStallTest {

    static final double LN10 = Math.log(10);

    /** The book's constant rate 0.5 at seed 1: every first-layer channel dead within 20 updates, the loss at ln 10. */
    @Test
    void theBooksConstantRateKillsEveryFirstLayerChannel() throws Exception {
        Trace t = trace(LrScheduler.of(LrSchedule.constant(0.5)), 1, 20);
        assertEquals(0.0, t.dead(3)[0], "no channel dead after 3 updates: " + t);
        assertEquals(1.0, t.dead(20)[0], "every conv1 channel dead after 20: " + t);
        assertEquals(LN10, t.loss(20), 0.02, "the loss of an output that ignores its input: " + t);
    }

    /**
     * Cosine with warmup at seed 1: the rate reaches 0.5 at update 5; by update 10 five of the six
     * first-layer channels are dead and the loss is back at ln 10, where it still is at update 40
     * (rate 0.01 from there). Plain cosine at the same seed loses channels too but keeps enough to
     * learn (loss below 1.5 at update 40).
     */
    @Test
    void theWarmupStallIsFirstLayerChannelsDyingAtThePeakRate() throws Exception {
        Trace warm = trace(LrScheduler.of(Schedules.cosineWithWarmup(40, 0.5, 0.01, 5, 0, Schedules.WarmupMode.LINEAR)), 1, 40);
        assertEquals(0.0, warm.dead(6)[0], "all channels alive at update 6: " + warm);
        assertTrue(warm.dead(10)[0] >= 5.0 / 6 - 1e-9, "five of six conv1 channels dead at update 10: " + warm);
        assertEquals(LN10, warm.loss(40), 0.03, "stalled at chance at update 40: " + warm);
        Trace cosine = trace(LrScheduler.of(Schedules.cosine(40, 0.5, 0.01)), 1, 40);
        assertTrue(cosine.dead(40)[0] < 5.0 / 6 - 1e-9, "plain cosine keeps two or more channels: " + cosine);
        assertTrue(cosine.loss(40) < 1.5, "and learns: " + cosine);
    }

    /** Batch losses and dead fractions (conv1 channels, conv2 channels, dense 120, dense 84) after chosen updates. */
    record Trace(Map<Integer, Double> losses, Map<Integer, double[]> deadFractions) {
        double loss(int update) {
            return losses.get(update);
        }

        double[] dead(int update) {
            return deadFractions.get(update);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int u : new java.util.TreeSet<>(losses.keySet())) {
                double[] d = deadFractions.get(u);
                sb.append(String.format(java.util.Locale.ROOT, " u%d loss %.3f dead %.2f/%.2f/%.2f/%.2f", u, losses.get(u), d[0], d[1], d[2], d[3]));
            }
            return sb.toString();
        }
    }

    static final java.util.Set<Integer> MARKS = java.util.Set.of(3, 6, 10, 20, 40);

    /** 11.11's training loop (LeNet, Xavier, SGD, batch 256) for {@code updates} updates, recording at {@link #MARKS}. */
    static Trace trace(LrScheduler schedule, long seed, int updates) throws java.io.IOException {
        ArrayDataset train = FashionMnist.train(DataHub.fromEnvironment());
        Sequential net = LeNet.create();
        net.initialize(Initializer.xavier(), seed);
        Params params = Params.of(net.namedParameters());
        Trainer trainer = new Trainer(params, Optimizers.sgd(), schedule);
        DataLoader loader = new DataLoader(train, 256, true, false, seed);
        float[] xs = new float[256 * 784], ys = new float[256];
        Map<Integer, Double> losses = new java.util.HashMap<>();
        Map<Integer, double[]> dead = new java.util.HashMap<>();
        for (int i = 1; i <= updates; i++) {
            int rows = loader.next(xs, ys);
            Tensor x = Tensor.wrap(xs, 0, rows, 1, 28, 28), y = Tensor.wrap(ys, 0, rows);
            params.zeroGrads();
            Tensor l;
            try (var tape = Autograd.record()) {
                l = Losses.softmaxCrossEntropy(net.forward(x), y).sum();
            }
            l.backward();
            trainer.step(rows);
            if (MARKS.contains(i)) {
                losses.put(i, (double) l.item() / rows);
                dead.put(i, dead(net.namedParameters(), x));
            }
        }
        return new Trace(losses, dead);
    }

    /** Per ReLU layer, the fraction of units (channels for convolutions) that are zero on every example of the batch. */
    static double[] dead(Map<String, Parameter> p, Tensor x) {
        Tensor h1 = Functional.conv2d(x, p.get("0.weight").value(), p.get("0.bias").value(), 1, 2).relu();
        Tensor p1 = Functional.maxPool2d(h1, 2, 2);
        Tensor h2 = Functional.conv2d(p1, p.get("2.weight").value(), p.get("2.bias").value(), 1, 0).relu();
        Tensor p2 = Functional.maxPool2d(h2, 2, 2).reshape(x.dim(0), -1);
        Tensor h4 = p2.matmul(p.get("4.weight").value().transpose()).add(p.get("4.bias").value()).relu();
        Tensor h5 = h4.matmul(p.get("5.weight").value().transpose()).add(p.get("5.bias").value()).relu();
        return new double[] {deadChannels(h1), deadChannels(h2), deadUnits(h4), deadUnits(h5)};
    }

    static double deadChannels(Tensor h) {
        int n = h.dim(0), c = h.dim(1), plane = h.dim(2) * h.dim(3);
        float[] v = h.contiguous().toArray();
        int dead = 0;
        for (int ch = 0; ch < c; ch++) {
            boolean all = true;
            for (int i = 0; i < n && all; i++) for (int j = 0; j < plane && all; j++) all = v[(i * c + ch) * plane + j] == 0f;
            if (all) dead++;
        }
        return (double) dead / c;
    }

    static double deadUnits(Tensor h) {
        int n = h.dim(0), u = h.dim(1);
        float[] v = h.contiguous().toArray();
        int dead = 0;
        for (int k = 0; k < u; k++) {
            boolean all = true;
            for (int i = 0; i < n && all; i++) all = v[i * u + k] == 0f;
            if (all) dead++;
        }
        return (double) dead / u;
    }
}
