package io.gradus.optim;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Losses;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.schedule.BookFactorScheduler;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.Schedules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {

    @TempDir
    Path tmp;

    static final ArrayDataset DATA = synthetic();

    /** 200 examples of y = x . (1, -2, 0.5) + 0.3 + noise. */
    static ArrayDataset synthetic() {
        Random r = new Random(9);
        float[] x = new float[600], y = new float[200];
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 3; j++) x[3 * i + j] = (float) r.nextGaussian();
            y[i] = x[3 * i] - 2 * x[3 * i + 1] + 0.5f * x[3 * i + 2] + 0.3f + 0.1f * (float) r.nextGaussian();
        }
        return new ArrayDataset(x, new int[] {3}, y);
    }

    /** A linear model, its Params, a trainer and a loader, all freshly built. */
    static final class Run {
        final Tensor w, b;
        final Params params;
        final Trainer trainer;
        final DataLoader loader = new DataLoader(DATA, 16, true, false, 5);

        Run(Supplier<Optimizer> optimizer, Supplier<LrSchedule> schedule) {
            Map<String, Parameter> named = new LinkedHashMap<>();
            named.put("w", new Parameter("w", Tensor.normal(3, 0, 0.1f, 3, 1)));
            named.put("b", new Parameter("b", Tensor.zeros(1)));
            params = Params.of(named);
            w = named.get("w").value();
            b = named.get("b").value();
            trainer = new Trainer(params, optimizer.get(), schedule.get());
        }

        /** Trains until {@code steps} updates have been made in total. */
        void trainUntil(int steps) {
            float[] xs = new float[48], ys = new float[16];
            while (trainer.updates() < steps) {
                if (!loader.hasNext()) loader.nextEpoch();
                int rows = loader.next(xs, ys);
                params.zeroGrads();
                Tensor l;
                try (var tape = Autograd.record()) {
                    l = Losses.squared(Tensor.wrap(xs, 0, rows, 3).matmul(w).add(b), Tensor.wrap(ys, 0, rows)).sum();
                }
                l.backward();
                trainer.step(rows);
            }
        }
    }

    static final Map<String, Supplier<Optimizer>> ALGORITHMS = new LinkedHashMap<>();

    static {
        ALGORITHMS.put("sgd", () -> Optimizers.sgd(1e-3));
        ALGORITHMS.put("momentum", () -> Optimizers.momentum(0.9, 0, false));
        ALGORITHMS.put("nesterov", () -> Optimizers.momentum(0.9, 0, true));
        ALGORITHMS.put("adagrad", () -> Optimizers.adagrad(1e-6, true, 0));
        ALGORITHMS.put("rmsprop", () -> Optimizers.rmsprop(0.9, 1e-6, true, false, 0));
        ALGORITHMS.put("rmsprop-centered", () -> Optimizers.rmsprop(0.9, 1e-8, false, true, 0));
        ALGORITHMS.put("adadelta", () -> Optimizers.adadelta(0.9, 1e-5, 0));
        ALGORITHMS.put("adam", () -> Optimizers.adam(0.9, 0.999, 1e-6, 0));
        ALGORITHMS.put("amsgrad", () -> Optimizers.amsgrad(0.9, 0.999, 1e-8, 0));
        ALGORITHMS.put("adamw", () -> Optimizers.adamW(0.9, 0.999, 1e-8, 0.01));
        ALGORITHMS.put("yogi", () -> Optimizers.yogi(0.9, 0.999, 1e-3, 0));
    }

    @Test
    void aResumedRunEndsBitIdenticalForEveryAlgorithm() throws IOException {
        for (var e : ALGORITHMS.entrySet()) {
            for (Supplier<LrSchedule> schedule : List.<Supplier<LrSchedule>>of(
                    () -> Schedules.cosineWithWarmup(40, 0.05, 0.001, 5, 0, Schedules.WarmupMode.LINEAR),
                    () -> new BookFactorScheduler(0.95, 1e-3, 0.05))) {
                Run straight = new Run(e.getValue(), schedule);
                straight.trainUntil(30);

                Run first = new Run(e.getValue(), schedule);
                first.trainUntil(17); // mid-epoch: 200 examples are 13 batches of 16
                Path file = tmp.resolve(e.getKey() + ".ckpt");
                Checkpoint.save(file, first.trainer, first.loader.state());

                Run resumed = new Run(e.getValue(), schedule);
                DataLoader.State at = Checkpoint.load(file, resumed.trainer);
                resumed.loader.restore(at);
                resumed.trainUntil(30);
                assertArrayEquals(straight.params.values(), resumed.params.values(), e.getKey());
                assertArrayEquals(straight.trainer.state(), resumed.trainer.state(), e.getKey() + " state");
                assertEquals(30, resumed.trainer.updates());
            }
        }
    }

    @Test
    void otherRunsTruncatedAndCorruptFilesAreRefusedAndChangeNothing() throws IOException {
        Run adam = new Run(ALGORITHMS.get("adam"), () -> LrSchedule.constant(0.01));
        adam.trainUntil(5);
        Path file = tmp.resolve("adam.ckpt");
        Checkpoint.save(file, adam.trainer, adam.loader.state());

        Run sgd = new Run(ALGORITHMS.get("sgd"), () -> LrSchedule.constant(0.01));
        float[] before = sgd.params.values().clone();
        var e = assertThrows(IOException.class, () -> Checkpoint.load(file, sgd.trainer));
        assertTrue(e.getMessage().endsWith("checkpoint of algorithm adam, this trainer runs sgd"), e.getMessage());
        assertArrayEquals(before, sgd.params.values());

        Run otherAdam = new Run(() -> Optimizers.adam(0.8, 0.999, 1e-6, 0), () -> LrSchedule.constant(0.01));
        e = assertThrows(IOException.class, () -> Checkpoint.load(file, otherAdam.trainer));
        assertTrue(e.getMessage().contains("hyperparameters [0.9, 0.999"), e.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.ckpt");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        Run fresh = new Run(ALGORITHMS.get("adam"), () -> LrSchedule.constant(0.01));
        float[] freshValues = fresh.params.values().clone();
        e = assertThrows(IOException.class, () -> Checkpoint.load(cut, fresh.trainer));
        assertTrue(e.getMessage().endsWith("checksum mismatch (file truncated or corrupt); nothing was restored"), e.getMessage());
        bytes[40] ^= 0x10;
        Path corrupt = tmp.resolve("corrupt.ckpt");
        Files.write(corrupt, bytes);
        assertThrows(IOException.class, () -> Checkpoint.load(corrupt, fresh.trainer));
        Path notOurs = tmp.resolve("other.bin");
        Files.writeString(notOurs, "hello, this is not a checkpoint at all");
        e = assertThrows(IOException.class, () -> Checkpoint.load(notOurs, fresh.trainer));
        assertTrue(e.getMessage().endsWith("not a Gradus checkpoint (wrong magic number)"), e.getMessage());
        assertArrayEquals(freshValues, fresh.params.values());
        assertEquals(0, fresh.trainer.updates());
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
