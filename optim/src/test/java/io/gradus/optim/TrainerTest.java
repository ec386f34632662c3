package io.gradus.optim;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Losses;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.kernels.Parallel;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.Schedules;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {

    static Params flat(float[]... arrays) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < arrays.length; i++) named.put("p" + i, new Parameter("p" + i, Tensor.of(arrays[i])));
        return Params.of(named);
    }

    /** Section 11.5's linear regression on airfoil, trained as the book does; returns the full-data loss. */
    static double airfoil(ArrayDataset data, Optimizer opt, double lr, long seed) {
        Tensor w = Tensor.normal(seed, 0f, 0.01f, 5, 1), b = Tensor.zeros(1);
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("w", new Parameter("w", w));
        named.put("b", new Parameter("b", b));
        Params params = Params.of(named);
        Tensor wv = named.get("w").value(), bv = named.get("b").value();
        Trainer trainer = new Trainer(params, opt, LrSchedule.constant(lr));
        DataLoader loader = new DataLoader(data, 10, true, false, seed);
        float[] xs = new float[50], ys = new float[10];
        for (int epoch = 0; epoch < 2; epoch++) {
            while (loader.hasNext()) {
                int rows = loader.next(xs, ys);
                Tensor x = Tensor.wrap(xs, 0, rows, 5), y = Tensor.wrap(ys, 0, rows);
                params.zeroGrads();
                Tensor l;
                try (var tape = Autograd.record()) {
                    l = Losses.squared(x.matmul(wv).add(bv), y).sum();
                }
                l.backward();
                trainer.step(rows);
            }
            loader.nextEpoch();
        }
        float[] all = new float[data.size() * 5], labels = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, all, i * 5);
            labels[i] = data.label(i);
        }
        Tensor x = Tensor.wrap(all, 0, data.size(), 5), y = Tensor.wrap(labels, 0, data.size());
        return Losses.squared(x.matmul(wv).add(bv), y).mean().item();
    }

    @Test
    void everyAlgorithmFitsAirfoilAsInTheBook() throws Exception {
        ArrayDataset data = Airfoil.load(DataHub.fromEnvironment());
        Map<String, Supplier<Optimizer>> optimizers = new LinkedHashMap<>();
        Map<String, Double> rates = new LinkedHashMap<>();
        optimizers.put("sgd", () -> Optimizers.sgd(0));                                 rates.put("sgd", 0.05);
        optimizers.put("momentum", () -> Optimizers.momentum(0.9, 0, false));           rates.put("momentum", 0.005);
        optimizers.put("adagrad", () -> Optimizers.adagrad(1e-6, true, 0));             rates.put("adagrad", 0.1);
        optimizers.put("rmsprop", () -> Optimizers.rmsprop(0.9, 1e-6, true, false, 0)); rates.put("rmsprop", 0.01);
        optimizers.put("adadelta", () -> Optimizers.adadelta(0.9, 1e-5, 0));            rates.put("adadelta", 0.0);
        optimizers.put("adam", () -> Optimizers.adam(0.9, 0.999, 1e-6, 0));             rates.put("adam", 0.01);
        optimizers.put("yogi", () -> Optimizers.yogi(0.9, 0.999, 1e-3, 0));             rates.put("yogi", 0.01);
        StringBuilder report = new StringBuilder();
        for (var e : optimizers.entrySet()) {
            double[] losses = new double[5];
            for (int seed = 0; seed < 5; seed++) losses[seed] = airfoil(data, e.getValue().get(), rates.get(e.getKey()), seed);
            Arrays.sort(losses);
            report.append(e.getKey()).append(' ').append(losses[2]).append('\n');
            assertTrue(losses[2] < 0.255, e.getKey() + ": median final loss " + losses[2] + " over 5 seeds " + Arrays.toString(losses));
        }
        System.out.print(report);
    }

    @Test
    void oneAndThreeThreadsGiveIdenticalParameters() {
        int n = 3 * Trainer.CHUNK + 777;
        Random r = new Random(1);
        float[] start = new float[n];
        for (int i = 0; i < n; i++) start[i] = (float) r.nextGaussian();
        float[][] results = new float[2][];
        int run = 0;
        for (int threads : new int[] {1, 3}) {
            try (Parallel pool = Parallel.ofThreads(threads)) {
                Params params = flat(start.clone());
                Trainer trainer = new Trainer(params, Optimizers.adam(0.9, 0.999, 1e-6, 0), Schedules.squareRoot(0.1), pool);
                Random gr = new Random(2);
                for (int step = 0; step < 5; step++) {
                    for (int i = 0; i < n; i++) params.grads()[i] = (float) gr.nextGaussian();
                    trainer.step(4);
                }
                results[run++] = params.values().clone();
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void nonFiniteGradientsAreReportedAndNeverApplied() {
        Params params = flat(new float[] {1, 2, 3}, new float[] {4, 5});
        Trainer trainer = new Trainer(params, Optimizers.sgd(0), LrSchedule.constant(0.1));
        params.grads()[3] = Float.NaN;
        var e = assertThrows(Trainer.NonFiniteGradientException.class, () -> trainer.step(1));
        assertEquals("update 1: gradient is NaN at flat index 3 (p1[0]); parameters unchanged", e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, params.values());
        assertEquals(0, trainer.updates());
        trainer.nonFinite(true, Trainer.NonFinitePolicy.SKIP);
        params.grads()[3] = Float.POSITIVE_INFINITY;
        trainer.step(1);
        assertEquals(1, trainer.skipped());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, params.values());
    }

    @Test
    void rescaleThenClipByNormThenUpdate() {
        Params params = flat(new float[] {0, 0});
        Trainer trainer = new Trainer(params, Optimizers.sgd(0), LrSchedule.constant(1)).clipByNorm(1);
        params.grads()[0] = 6;
        params.grads()[1] = 8;
        trainer.step(2); // rescaled (3, 4): norm 5, projected onto the unit ball (0.6, 0.8)
        assertArrayEquals(new float[] {-0.6f, -0.8f}, params.values(), 1e-7f);
        Params byValue = flat(new float[] {0, 0});
        Trainer clipped = new Trainer(byValue, Optimizers.sgd(0), LrSchedule.constant(1)).clipByValue(0.5);
        byValue.grads()[0] = 3;
        byValue.grads()[1] = -0.25f;
        clipped.step(1);
        assertArrayEquals(new float[] {-0.5f, 0.25f}, byValue.values());
    }

    @Test
    void theScheduleSeesTheUpdateCountFromOne() {
        Params params = flat(new float[] {0});
        Trainer trainer = new Trainer(params, Optimizers.sgd(0), Schedules.multiFactor(new long[] {2}, 0.5, 1.0));
        assertEquals(1.0, trainer.learningRate());
        params.grads()[0] = 1;
        trainer.step(1);
        trainer.step(1);
        assertEquals(0.5, trainer.learningRate(), "the third update exceeds step 2");
        trainer.setLearningRate(0.25);
        assertEquals(0.25, trainer.learningRate());
    }

    @Test
    void hyperparametersAreValidatedWithTheirRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(1.0, 0.999, 1e-6, 0));
        assertEquals("beta1 = 1.0: expected 0 <= beta1 < 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adagrad(0, true, 0));
        assertEquals("eps = 0.0: expected a finite value > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(Double.NaN));
        assertEquals("wd = NaN: expected a finite value >= 0", e.getMessage());
        Trainer t = new Trainer(flat(new float[] {0}), Optimizers.sgd(0), LrSchedule.constant(0.1));
        e = assertThrows(IllegalArgumentException.class, () -> t.setLearningRate(-1));
        assertEquals("lr = -1.0: expected a finite rate >= 0", e.getMessage());
    }
}
