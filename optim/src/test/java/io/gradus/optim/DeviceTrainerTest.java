package io.gradus.optim;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceProbe;
import io.gradus.gpu.GpuDevice;
import io.gradus.kernels.Parallel;
import io.gradus.optim.schedule.BookFactorScheduler;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.Schedules;
import io.gradus.optim.algorithms.Algorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** The Trainer on a device: the same steps as on the CPU, checkpoints that cross between them. */
class DeviceTrainerTest {

    static final DeviceContext DEVICE = DeviceContext.open(DeviceProbe.selected());
    static final DeviceContext HOST = DeviceContext.open(GpuDevice.host());

    @TempDir
    Path tmp;

    @AfterAll
    static void close() {
        DEVICE.close();
        HOST.close();
    }

    static Params params(int... sizes) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        Random r = new Random(3);
        for (int k = 0; k < sizes.length; k++) {
            float[] v = new float[sizes[k]];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
            named.put("p" + k, new Parameter("p" + k, Tensor.of(v)));
        }
        return Params.of(named);
    }

    /** Gradients of step {@code t}: random, with a few large ones so that clipping by norm bites. */
    static float[] gradients(int n, int t) {
        Random r = new Random(100 + t);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian() * (i % 97 == 0 ? 30 : 1);
        return g;
    }

    /**
     * Gradient accumulation on the device: accumulate(3) with batches of 4, 7 and 5 follows the CPU
     * Trainer doing the same (the running sum stays on the device: a copy, then axpy), over two
     * windows, LAMB's per-slot launches included; a checkpoint mid-window is refused.
     */
    @Test
    void accumulationOnTheDeviceFollowsTheCpuTrainer() {
        int[] batches = {4, 7, 5};
        for (String name : List.of("adam", "lamb", "momentum")) {
            Algorithm rule = OptimizerCatalog.entry(name).algorithm();
            for (DeviceContext ctx : List.of(DEVICE, HOST)) {
                Params cpuParams = params(700, 300, 5), devParams = params(700, 300, 5);
                Trainer cpu = new Trainer(cpuParams, rule, Schedules.squareRoot(0.05), Parallel.ofThreads(2)).accumulate(3).clipByNorm(20);
                try (Trainer dev = new Trainer(devParams, rule, Schedules.squareRoot(0.05), ctx).accumulate(3).clipByNorm(20)) {
                    for (int t = 1; t <= 6; t++) {
                        float[] g = gradients(cpuParams.size(), t);
                        System.arraycopy(g, 0, cpuParams.grads(), 0, g.length);
                        cpu.step(batches[(t - 1) % 3]);
                        dev.step(g, batches[(t - 1) % 3]);
                        assertEquals(cpu.pendingBatches(), dev.pendingBatches());
                        assertEquals(cpu.updates(), dev.updates());
                    }
                    assertEquals(2, dev.updates());
                    float[] got = dev.downloadParameters();
                    for (int i = 0; i < got.length; i++) {
                        float want = cpuParams.values()[i];
                        assertEquals(want, got[i], 1e-6 + 1e-5 * Math.abs(want), name + " on " + ctx.device().name() + " p[" + i + "]");
                    }
                    dev.step(gradients(cpuParams.size(), 7), 4);
                    var e = assertThrows(IllegalStateException.class, () -> Checkpoint.save(tmp.resolve("mid.ckpt"), dev, null));
                    assertTrue(e.getMessage().contains("1 accumulated batches are pending"), e.getMessage());
                }
            }
        }
    }

    @Test
    void everyAlgorithmOnTheDeviceFollowsTheCpuTrainerWithGroupsAndClipping() {
        for (var e : OptimizerCatalog.entries()) {
            for (DeviceContext ctx : List.of(DEVICE, HOST)) {
                Params cpuParams = params(700, 300, 5), devParams = params(700, 300, 5);
                Trainer cpu = new Trainer(cpuParams, e.algorithm(), Schedules.squareRoot(0.05), Parallel.ofThreads(2))
                        .clipByNorm(20).clipByValue(3).paramGroup(ParamGroup.withDecay("bias", List.of("p2"), 0.5, WeightDecay.none()));
                try (Trainer dev = new Trainer(devParams, e.algorithm(), Schedules.squareRoot(0.05), ctx)
                        .clipByNorm(20).clipByValue(3).paramGroup(ParamGroup.withDecay("bias", List.of("p2"), 0.5, WeightDecay.none()))) {
                    for (int t = 1; t <= 6; t++) {
                        float[] g = gradients(cpuParams.size(), t);
                        System.arraycopy(g, 0, cpuParams.grads(), 0, g.length);
                        cpu.step(8);
                        dev.step(g, 8);
                    }
                    float[] got = dev.downloadParameters();
                    for (int i = 0; i < got.length; i++) {
                        float want = cpuParams.values()[i];
                        assertEquals(want, got[i], 1e-6 + 1e-5 * Math.abs(want), e.name() + " on " + ctx.device().name() + " p[" + i + "]");
                    }
                    assertEquals(6, dev.updates());
                }
            }
        }
    }

    @Test
    void nonFiniteGradientsOnTheDeviceAreReportedAndNeverApplied() {
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            Params params = params(3, 2);
            try (Trainer trainer = new Trainer(params, Optimizers.sgd(), LrSchedule.constant(0.1), ctx)) {
                float[] before = trainer.downloadParameters().clone();
                float[] g = {1, 1, 1, Float.NaN, 1};
                var e = assertThrows(NonFiniteGradientException.class, () -> trainer.step(g, 1));
                assertEquals("update 1: gradient is NaN at flat index 3 (p1[0]); parameters unchanged", e.getMessage());
                assertArrayEquals(before, trainer.downloadParameters());
                trainer.nonFinite(NonFinite.SKIP);
                trainer.step(new float[] {Float.POSITIVE_INFINITY, 0, 0, 0, 0}, 1);
                assertEquals(1, trainer.skipped());
                assertEquals(0, trainer.updates());
                assertArrayEquals(before, trainer.downloadParameters());
            }
        }
    }

    @Test
    void checkpointsOfADeviceTrainerLoadIntoACpuTrainerAndBack() throws IOException {
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            var adam = Optimizers.amsgrad();
            Params devParams = params(500, 20);
            try (Trainer dev = new Trainer(devParams, adam, new BookFactorScheduler(0.9, 1e-3, 0.05), ctx)) {
                for (int t = 1; t <= 4; t++) dev.step(gradients(520, t), 4);
                Path file = tmp.resolve("device.ckpt");
                Checkpoint.save(file, dev, null);

                Params cpuParams = params(500, 20);
                Trainer cpu = new Trainer(cpuParams, adam, new BookFactorScheduler(0.9, 1e-3, 0.05));
                Checkpoint.load(file, cpu);
                assertArrayEquals(dev.downloadParameters(), cpuParams.values());
                for (int k = 0; k < 3; k++) assertArrayEquals(dev.state().stateView()[k], cpu.state().stateView()[k], "state " + k);
                assertEquals(4, cpu.updates());
                assertEquals(dev.learningRate(), cpu.learningRate(), 0);

                for (int t = 5; t <= 6; t++) {
                    System.arraycopy(gradients(520, t), 0, cpuParams.grads(), 0, 520);
                    cpu.step(4);
                }
                Path back = tmp.resolve("cpu.ckpt");
                Checkpoint.save(back, cpu, null);
                Params againParams = params(500, 20);
                try (Trainer again = new Trainer(againParams, adam, new BookFactorScheduler(0.9, 1e-3, 0.05), ctx)) {
                    Checkpoint.load(back, again);
                    assertArrayEquals(cpuParams.values(), again.downloadParameters());
                    for (int k = 0; k < 3; k++) assertArrayEquals(cpu.state().stateView()[k], again.state().stateView()[k], "state " + k);
                    assertEquals(6, again.updates());
                }
            }
        }
    }

    @Test
    void onlyRulesWithAKernelRunOnADevice() {
        Optimizer own = new Optimizer() {
            public String name() { return "own"; }
            public int stateArrays() { return 0; }
            public void update(Step step, float[] p, float[] g, float[][] state, int off, int len) {}
        };
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(params(2), own, LrSchedule.constant(1), HOST));
        assertTrue(e.getMessage().startsWith("optimizer own ("), e.getMessage());
        assertTrue(e.getMessage().contains(") has no device kernel: a Trainer on a device runs a KernelOptimizer"), e.getMessage());
    }
}
