package io.gradus.examples;

import io.gradus.bench.ScratchUpdates;
import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.bench.ScratchUpdates.ScratchUpdate;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Optimizers;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The airfoil runs of sections 11.5-11.10 with the book's hyperparameters: the median over five
 * seeds of the final full-data squared loss lies in 0.242-0.253 (the book prints 0.243-0.249;
 * momentum (0.01, 0.9) is the noisiest, up to 0.265), from scratch and through the Trainer, and
 * both ways agree.
 */
class AirfoilRunsTest {

    static ArrayDataset data;

    @BeforeAll
    static void load() throws Exception {
        data = Airfoil.load(DataHub.fromEnvironment());
    }

    static void check(String label, Supplier<ScratchUpdate> scratch, Supplier<Optimizer> concise, double lr, double upper) {
        var s = AirfoilRuns.overSeeds(seed -> AirfoilRuns.scratch(data, scratch.get(), 10, 2, seed), 1, 5);
        var c = AirfoilRuns.overSeeds(seed -> AirfoilRuns.concise(data, concise.get(), lr, 10, 2, seed), 1, 5);
        assertTrue(s.median() >= 0.242 && s.median() <= upper, label + " from scratch: " + s.line());
        assertTrue(c.median() >= 0.242 && c.median() <= upper, label + " concise: " + c.line());
        // The same model, initial values and minibatches: the two ways differ only by float rounding.
        assertEquals(s.median(), c.median(), 2e-3, label + ": " + s.line() + " vs " + c.line());
    }

    @Test
    void everyOptimizerOfTheChapterFitsAirfoil() {
        check("sgd 0.05", () -> ScratchUpdates.sgd(0.05), () -> Optimizers.sgd(), 0.05, 0.253);
        check("momentum 0.02/0.5", () -> ScratchUpdates.momentum(0.02, 0.5), () -> Optimizers.momentum().withMomentum(0.5), 0.02, 0.253);
        check("momentum 0.01/0.9", () -> ScratchUpdates.momentum(0.01, 0.9), () -> Optimizers.momentum(), 0.01, 0.265);
        check("momentum 0.005/0.9", () -> ScratchUpdates.momentum(0.005, 0.9), () -> Optimizers.momentum(), 0.005, 0.253);
        check("adagrad 0.1", () -> ScratchUpdates.adagrad(0.1), () -> Optimizers.adagrad(), 0.1, 0.253);
        check("rmsprop 0.01/0.9", () -> ScratchUpdates.rmsprop(0.01, 0.9), () -> Optimizers.rmsprop(), 0.01, 0.253);
        check("adadelta 0.9", () -> ScratchUpdates.adadelta(0.9), () -> Optimizers.adadelta(), 0, 0.253);
        check("adam 0.01", () -> ScratchUpdates.adam(0.01), () -> Optimizers.adam(), 0.01, 0.253);
        check("yogi 0.01", () -> ScratchUpdates.yogi(0.01), () -> Optimizers.yogi(), 0.01, 0.253);
    }

    /** {@code --device gpu}: the concise runs on the device (pocl in CI) follow the CPU's, curve for curve. */
    @Test
    void theConciseRunsOnTheDeviceFollowTheCpu() {
        var device = io.gradus.gpu.DeviceContext.shared();
        for (var optimizer : java.util.List.<io.gradus.optim.Optimizer>of(Optimizers.sgd(), Optimizers.adam(), Optimizers.adadelta())) {
            var cpu = AirfoilRuns.concise(data, optimizer, 0.01, 10, 2, 3);
            var dev = AirfoilRuns.concise(data, optimizer, 0.01, 10, 2, 3, device);
            assertEquals(cpu.losses().length, dev.losses().length);
            for (int i = 0; i < cpu.losses().length; i++) {
                assertEquals(cpu.losses()[i], dev.losses()[i], 1e-4 * cpu.losses()[i], optimizer.name() + " point " + i + " on " + device);
            }
        }
    }

    @Test
    void theMinibatchRunsOfSection115() {
        for (var c : io.gradus.examples.sections.Minibatch.CONFIGS) {
            var s = AirfoilRuns.overSeeds(seed -> AirfoilRuns.scratch(data, ScratchUpdates.sgd(c.lr()), c.batch(), c.epochs(), seed), 1, 5);
            assertTrue(s.median() >= 0.242 && s.median() <= 0.253, c.name() + ": " + s.line());
        }
    }

    /** GD with lr 1 overshoots (largest curvature about 2.1 > 2): its loss rises again after its best point. */
    @Test
    void gradientDescentWithRateOneSlowlyDiverges() {
        var curve = AirfoilRuns.scratch(data, ScratchUpdates.sgd(1), 1500, 40, 1);
        double[] l = curve.losses();
        int best = 0;
        for (int i = 1; i < l.length; i++) if (l[i] < l[best]) best = i;
        assertTrue(best < l.length - 1 && l[l.length - 1] > l[best], java.util.Arrays.toString(l));
    }

    @Test
    void curvesRecordEvery200ExamplesAndTheBooksLine() {
        var curve = AirfoilRuns.scratch(data, ScratchUpdates.sgd(0.05), 10, 2, 1);
        assertEquals(15, curve.losses().length); // 3000 examples, one point per 200
        assertEquals(2.0, curve.epochs()[14], 1e-12);
        for (int i = 1; i < curve.seconds().length; i++) assertTrue(curve.seconds()[i] >= curve.seconds()[i - 1]);
        assertTrue(curve.line().matches("loss: 0\\.2\\d\\d, \\d+\\.\\d{3} sec/epoch"), curve.line());
    }
}
