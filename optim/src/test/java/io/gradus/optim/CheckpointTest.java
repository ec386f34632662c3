package io.gradus.optim;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Losses;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.schedule.BookFactorScheduler;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import io.gradus.optim.schedule.ReduceOnPlateau;
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

        Run(Supplier<Optimizer> optimizer, Supplier<LrScheduler> schedule) {
            this(optimizer, schedule, false);
        }

        Run(Supplier<Optimizer> optimizer, Supplier<LrScheduler> schedule, boolean grouped) {
            Map<String, Parameter> named = new LinkedHashMap<>();
            named.put("w", new Parameter("w", Tensor.normal(3, 0, 0.1f, 3, 1)));
            named.put("b", new Parameter("b", Tensor.zeros(1)));
            params = Params.of(named);
            w = named.get("w").value();
            b = named.get("b").value();
            Trainer t = new Trainer(params, optimizer.get(), schedule.get());
            trainer = grouped ? t.paramGroup(ParamGroup.withDecay("bias", List.of("b"), 0.5, WeightDecay.none())) : t;
        }

        /** Trains until {@code steps} updates have been made in total. */
        void trainUntil(int steps) {
            trainUntil(steps, false);
        }

        /** ... reporting the batch loss to the schedule after every update when {@code report} (plateau needs it). */
        void trainUntil(int steps, boolean report) {
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
                if (report) trainer.report(l.item() / rows);
            }
        }
    }

    /** Every schedule kind: pure, composite of pure, the book's stateful one, and stateful ones nested in composites. */
    static final List<Supplier<LrScheduler>> SCHEDULES = List.of(
            () -> LrScheduler.of(Schedules.cosineWithWarmup(40, 0.05, 0.001, 5, 0, Schedules.WarmupMode.LINEAR)),
            () -> new BookFactorScheduler(0.95, 1e-3, 0.05),
            () -> Schedules.warmup(new BookFactorScheduler(0.9, 1e-3, 0.05), 4, 0.001, Schedules.WarmupMode.LINEAR),
            () -> Schedules.sequence(new BookFactorScheduler(0.9, 1e-3, 0.05), 10,
                    Schedules.warmup(new ReduceOnPlateau(0.02, 0.5, 0, 0, 0, 1e-4), 2, 0.01, Schedules.WarmupMode.CONSTANT)));

    @Test
    void aResumedRunEndsBitIdenticalForEveryAlgorithmAndSchedule() throws IOException {
        int runs = 0;
        for (OptimizerCatalog.Entry e : OptimizerCatalog.entries()) {
            for (var variant : e.variants()) {
                for (int k = 0; k < SCHEDULES.size(); k++) {
                    Supplier<LrScheduler> schedule = SCHEDULES.get(k);
                    boolean grouped = k % 2 == 1;
                    String what = variant + " schedule " + k;
                    Run straight = new Run(() -> variant, schedule, grouped);
                    straight.trainUntil(30, true);

                    Run first = new Run(() -> variant, schedule, grouped);
                    first.trainUntil(17, true); // mid-epoch: 200 examples are 13 batches of 16
                    Path file = tmp.resolve(e.name() + k + ".ckpt");
                    Checkpoint.save(file, first.trainer, first.loader.state());

                    Run resumed = new Run(() -> variant, schedule, grouped);
                    Checkpoint.load(file, resumed.trainer).ifPresent(resumed.loader::restore);
                    resumed.trainUntil(30, true);
                    assertArrayEquals(straight.params.values(), resumed.params.values(), what);
                    assertArrayEquals(straight.trainer.state().stateView(), resumed.trainer.state().stateView(), what + " state");
                    assertArrayEquals(straight.trainer.schedule().state(), resumed.trainer.schedule().state(), what + " schedule");
                    assertEquals(30, resumed.trainer.updates());
                    assertNotEquals(first.params.values()[0], resumed.params.values()[0], what + ": the resumed run trained on");
                    runs++;
                }
            }
        }
        assertEquals(OptimizerCatalog.entries().stream().mapToInt(e -> e.variants().size()).sum() * SCHEDULES.size(), runs);
    }

    /**
     * Checkpoints written by the code before the one Trainer (format 2, commit 7e5f2ff; kept in
     * test resources): AdamW with a bias group and nested stateful schedules, and LAMB, saved after
     * 17 updates and again after 30. Loaded into today's Trainer and trained on to 30, the run ends
     * bit-identical to the old code's own 30th update: parameters, state, schedule, loader.
     */
    @Test
    void checkpointsOfFormatTwoStillLoadAndResumeBitIdentically() throws IOException {
        record Old(String file, Supplier<Optimizer> optimizer, int schedule, boolean grouped) {}
        for (Old old : List.of(new Old("v2-adamw-grouped", () -> Optimizers.adamW().withWeightDecay(WeightDecay.decoupled(0.05)), 3, true),
                new Old("v2-lamb", Optimizers::lamb, 2, false))) {
            Run resumed = new Run(old.optimizer(), SCHEDULES.get(old.schedule()), old.grouped());
            Checkpoint.load(resource(old.file() + "-17.ckpt"), old.file() + "-17", resumed.trainer).ifPresent(resumed.loader::restore);
            assertEquals(17, resumed.trainer.updates(), old.file());
            resumed.trainUntil(30, false); // the files were written without reports (the loss the test computes is not the Trainer's)
            Checkpoint.Contents want = Checkpoint.read(resource(old.file() + "-30.ckpt"), old.file() + "-30");
            TrainerState got = resumed.trainer.state();
            assertArrayEquals(want.trainer().parameters(), got.parameters(), old.file());
            assertArrayEquals(want.trainer().stateView(), got.stateView(), old.file() + " state");
            assertArrayEquals(want.trainer().scheduleState(), got.scheduleState(), old.file() + " schedule");
            assertEquals(want.trainer().groups(), got.groups(), old.file() + " groups");
            assertEquals(30, want.trainer().updates());
            assertEquals(want.loader().orElseThrow(), resumed.loader.state(), old.file() + " loader");
            assertEquals(List.of("state0", "state1"), want.trainer().stateNames(), "format 2 did not name its arrays");
            assertEquals(List.of("m", "v"), got.stateNames());
        }
    }

    static byte[] resource(String name) throws IOException {
        try (var in = CheckpointTest.class.getResourceAsStream("legacy/" + name)) {
            if (in == null) throw new IOException("test resource legacy/" + name + " not found");
            return in.readAllBytes();
        }
    }

    @Test
    void otherRunsTruncatedAndCorruptFilesAreRefusedAndChangeNothing() throws IOException {
        Run adam = new Run(Optimizers::adam, () -> LrScheduler.of(LrSchedule.constant(0.01)));
        adam.trainUntil(5);
        Path file = tmp.resolve("adam.ckpt");
        Checkpoint.save(file, adam.trainer, adam.loader.state());

        Run sgd = new Run(Optimizers::sgd, () -> LrScheduler.of(LrSchedule.constant(0.01)));
        float[] before = sgd.params.values().clone();
        var e = assertThrows(IOException.class, () -> Checkpoint.load(file, sgd.trainer));
        assertTrue(e.getMessage().endsWith("checkpoint of algorithm adam, this trainer runs sgd"), e.getMessage());
        assertArrayEquals(before, sgd.params.values());

        Run otherAdam = new Run(() -> Optimizers.adam().withBetas(0.8, 0.999), () -> LrScheduler.of(LrSchedule.constant(0.01)));
        e = assertThrows(IOException.class, () -> Checkpoint.load(file, otherAdam.trainer));
        assertTrue(e.getMessage().contains("hyperparameters {beta1=0.9, beta2=0.999, eps=1.0E-6, weightDecay=0.0, decoupled=false, amsgrad=false} differ"),
                e.getMessage());
        Run grouped = new Run(Optimizers::adam, () -> LrScheduler.of(LrSchedule.constant(0.01)), true);
        e = assertThrows(IOException.class, () -> Checkpoint.load(file, grouped.trainer));
        assertTrue(e.getMessage().endsWith("parameter groups [] differ from this trainer's [ParamGroup[name=bias, parameters=[b], lrMultiplier=0.5, weightDecay=Optional[none]]]"),
                e.getMessage());
        Run stateful = new Run(Optimizers::adam, () -> new BookFactorScheduler(0.9, 0, 0.1));
        e = assertThrows(IOException.class, () -> Checkpoint.load(file, stateful.trainer));
        assertTrue(e.getMessage().contains("the saved schedule state does not fit this trainer's schedule"), e.getMessage());
        assertEquals(0.09, stateful.trainer.learningRate(), 1e-15, "the schedule kept its state");

        byte[] bytes = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.ckpt");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        Run fresh = new Run(Optimizers::adam, () -> LrScheduler.of(LrSchedule.constant(0.01)));
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

    /**
     * Names are written with DataOutputStream.writeUTF (Java's modified UTF-8: NUL as two bytes,
     * characters beyond the BMP as two surrogates) and must be read back the same way: a parameter
     * and a group named with both round-trip (read as standard UTF-8 they did not, found by
     * CheckpointFuzzTest).
     */
    @Test
    void namesWithNulAndCharactersBeyondTheBmpRoundTrip() throws IOException {
        String odd = "w\u0000\uD83D\uDE00\u00e9";
        Supplier<Trainer> make = () -> {
            Map<String, Parameter> named = new LinkedHashMap<>();
            named.put(odd, new Parameter(odd, Tensor.normal(4, 0, 1, 3)));
            return new Trainer(Params.of(named), Optimizers.adam(), Schedules.squareRoot(0.1))
                    .paramGroup(ParamGroup.withDecay(odd + "-group", List.of(odd), 0.5, WeightDecay.none()));
        };
        Trainer saved = make.get();
        saved.params().grads()[1] = 2f;
        saved.step(1);
        Path file = tmp.resolve("odd-names.ckpt");
        Checkpoint.save(file, saved, null);
        Trainer loaded = make.get();
        Checkpoint.load(file, loaded);
        assertArrayEquals(saved.params().values(), loaded.params().values());
        assertEquals(1, loaded.updates());
    }

    @Test
    void everyCheckpointErrorNamesTheFile() throws IOException {
        Run adam = new Run(Optimizers::adam, () -> LrScheduler.of(LrSchedule.constant(0.01)));
        adam.trainUntil(3);
        Path file = tmp.resolve("ok.ckpt");
        Checkpoint.save(file, adam.trainer, null);

        // a length field claiming 2^31 - 1 floats, with a fresh checksum so that the length check is what trips
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        // from the end: CRC 8, loader position 4, epoch 4, seed 8, its flag 1, Adam's 2 state arrays of
        // (length 4 + 4 floats), their count 4, then the 4 parameters' length field and floats
        int valuesAt = bytes.length - 8 - 4 - 4 - 8 - 1 - 2 * (4 + 4 * 4) - 4 - (4 + 4 * 4);
        b.putInt(valuesAt, Integer.MAX_VALUE);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        b.putLong(bytes.length - 8, crc.getValue());
        Path bad = tmp.resolve("bad-length.ckpt");
        Files.write(bad, bytes);
        Run fresh = new Run(Optimizers::adam, () -> LrScheduler.of(LrSchedule.constant(0.01)));
        var e = assertThrows(IOException.class, () -> Checkpoint.load(bad, fresh.trainer));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());

        Path dir = Files.createDirectories(tmp.resolve("a-directory"));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir, fresh.trainer));
        assertEquals(dir + ": is a directory, expected a checkpoint file", e.getMessage());
        e = assertThrows(IOException.class, () -> Checkpoint.save(dir, fresh.trainer, null));
        assertEquals(dir + ": is a directory, expected a checkpoint file name", e.getMessage());
        Path unwritable = Path.of("/proc/gradus-cannot-write-here.ckpt");
        e = assertThrows(IOException.class, () -> Checkpoint.save(unwritable, fresh.trainer, null));
        assertTrue(e.getMessage().startsWith(unwritable + ": cannot be written ("), e.getMessage());

        // NaN parameters: refused, named
        adam.params.values()[1] = Float.NaN;
        Path diverged = tmp.resolve("diverged.ckpt");
        Checkpoint.save(diverged, adam.trainer, null);
        float[] before = fresh.params.values().clone();
        e = assertThrows(IOException.class, () -> Checkpoint.load(diverged, fresh.trainer));
        assertEquals(diverged + ": parameter 1 is NaN: a checkpoint of a run that diverged is not loaded (resume from an earlier checkpoint)",
                e.getMessage());
        assertArrayEquals(before, fresh.params.values());
    }
}
