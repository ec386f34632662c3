package io.gradus.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Module;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.TrainerState;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.io.TempDir;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synchronous mode on {@code local[2]}: equal to the single-machine Trainer, deterministic, retries reproduce. */
class LocalSparkTest {

    static JavaSparkContext spark;
    static ArrayDataset airfoil;

    @BeforeAll
    static void start() throws Exception {
        airfoil = Airfoil.load(DataHub.fromEnvironment());
        // local[2, 4]: two task threads, a task may fail 3 times before the job does (for the retry test)
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("gradus-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static List<Example> examples(ArrayDataset data) {
        return Example.all(data);
    }

    /** The single-machine run: a Trainer on the same batches (the same loader seed), the recipe's model, loss and rule. */
    static float[] singleMachine(Recipe recipe, ArrayDataset data, int batch, long seed, int steps) {
        Module net = recipe.model().create();
        Params params = Params.of(net.namedParameters());
        Trainer trainer = new Trainer(params, recipe.optimizer().create(), recipe.schedule().create());
        DataLoader loader = new DataLoader(data, batch, true, false, seed);
        int size = data.exampleSize();
        float[] xs = new float[batch * size], ys = new float[batch];
        for (int s = 0; s < steps; s++) {
            if (!loader.hasNext()) loader.nextEpoch();
            int rows = loader.next(xs, ys);
            params.zeroGrads();
            Tensor loss;
            try (var tape = Autograd.record()) {
                loss = recipe.loss().sum(net.forward(Tensor.wrap(xs, 0, recipe.batchShape(rows))), Tensor.wrap(ys, 0, rows));
            }
            loss.backward();
            trainer.step(rows);
        }
        return params.values().clone();
    }

    /**
     * {@code max_i |actual_i - expected_i| <= relative * max_i |expected_i|}: relative to the scale of
     * the parameters (an element that converges to zero, such as the airfoil model's bias, has no
     * scale of its own: its float rounding is relative to the weights it is computed with).
     */
    static double assertClose(float[] expected, float[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        double worst = 0, scale = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= relative * scale, "largest difference " + worst + " at " + at + " (" + expected[at] + " against "
                + actual[at] + "), expected <= " + relative + " x " + scale);
        return worst / scale;
    }

    static Recipe adamAirfoil() {
        return Recipes.airfoilLinear(3, Optimizers::adam, () -> LrScheduler.of(LrSchedule.constant(0.01)));
    }

    @Test
    void synchronousEqualsTheSingleMachineTrainerAndRepeatsBitForBit() {
        JavaRDD<Example> data = spark.parallelize(examples(airfoil), 2);
        for (Recipe recipe : List.of(adamAirfoil(), Recipes.airfoilLinear(3, Optimizers::sgd, () -> LrScheduler.of(LrSchedule.constant(0.05))))) {
            float[] reference = singleMachine(recipe, airfoil, 10, 7, 100);
            SparkTrainer first = SparkTrainer.builder(spark, recipe).synchronous(10).seed(7).build();
            List<RoundReport> reports = first.fit(data, 100);
            assertEquals(100, reports.size());
            assertEquals(100, first.trainer().updates());
            double relative = assertClose(reference, first.params().values(), 1e-6);
            System.out.println("synchronous " + recipe.optimizer().create().name() + ", 100 airfoil steps: largest difference from the"
                    + " single-machine Trainer " + relative + " of the largest parameter");
            SparkTrainer second = SparkTrainer.builder(spark, recipe).synchronous(10).seed(7).build();
            second.fit(data, 100);
            assertArrayEquals(first.params().values(), second.params().values(), "two runs must give the same bits");
        }
    }

    /** Calls of {@link #failingOnce}'s loss in this JVM (local mode: the executors are this JVM's threads). */
    static final AtomicInteger LOSS_CALLS = new AtomicInteger();

    /** The airfoil recipe whose loss throws once, in the first attempt of the task making its 57th call. */
    static Recipe failingOnce(Recipe r) {
        Recipe.Loss loss = r.loss();
        return new Recipe(r.exampleShape(), r.model(), (out, y) -> {
            if (LOSS_CALLS.incrementAndGet() == 57 && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of a task's first attempt");
            }
            return loss.sum(out, y);
        }, r.optimizer(), r.schedule(), r.configure());
    }

    @Test
    void aRetriedTaskGivesTheSameParameters() {
        JavaRDD<Example> data = spark.parallelize(examples(airfoil), 2);
        SparkTrainer clean = SparkTrainer.builder(spark, adamAirfoil()).synchronous(10).seed(5).build();
        clean.fit(data, 60);
        LOSS_CALLS.set(0);
        SparkTrainer retried = SparkTrainer.builder(spark, failingOnce(adamAirfoil())).synchronous(10).seed(5).build();
        retried.fit(data, 60);
        assertTrue(LOSS_CALLS.get() > 57, "the failure was injected");
        assertArrayEquals(clean.params().values(), retried.params().values());

        LOSS_CALLS.set(0);
        SparkTrainer local = SparkTrainer.builder(spark, adamAirfoil()).localSgd(10, 4).seed(5).build();
        local.fit(data, 20);
        SparkTrainer localRetried = SparkTrainer.builder(spark, failingOnce(adamAirfoil())).localSgd(10, 4).seed(5).build();
        localRetried.fit(data, 20);
        assertTrue(LOSS_CALLS.get() > 57, "the failure was injected");
        assertArrayEquals(local.params().values(), localRetried.params().values());
    }

    /** The partitions' shares as ArrayDatasets, split as {@code parallelize(list, parts)} splits a list. */
    static ArrayDataset[] split(ArrayDataset data, int parts) {
        ArrayDataset[] out = new ArrayDataset[parts];
        int size = data.exampleSize();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) p * data.size() / parts), to = (int) ((long) (p + 1) * data.size() / parts);
            float[] x = new float[(to - from) * size], y = new float[to - from];
            for (int i = from; i < to; i++) {
                data.copyFeatures(i, x, (i - from) * size);
                y[i - from] = data.label(i);
            }
            out[p] = new ArrayDataset(x, data.exampleShape(), y);
        }
        return out;
    }

    /**
     * Local SGD written out plainly: one Trainer and one loader per partition that run on, H steps a
     * round, and after each round every Trainer's parameters and state set to the partitions' mean.
     */
    static float[] localSgdReference(Recipe recipe, ArrayDataset data, int parts, int batch, int h, int rounds, long seed, boolean averageState) {
        ArrayDataset[] shards = split(data, parts);
        Module[] nets = new Module[parts];
        Params[] params = new Params[parts];
        Trainer[] trainers = new Trainer[parts];
        DataLoader[] loaders = new DataLoader[parts];
        Module first = recipe.model().create();
        for (int p = 0; p < parts; p++) {
            nets[p] = recipe.model().create();
            params[p] = Params.of(nets[p].namedParameters());
            System.arraycopy(Params.of(first.namedParameters()).values(), 0, params[p].values(), 0, params[p].size());
            trainers[p] = new Trainer(params[p], recipe.optimizer().create(), recipe.schedule().create());
            loaders[p] = new DataLoader(shards[p], batch, true, false, Shard.shardSeed(seed, p));
        }
        int size = data.exampleSize(), n = params[0].size();
        float[] xs = new float[batch * size], ys = new float[batch];
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < parts; p++) {
                for (int s = 0; s < h; s++) {
                    if (!loaders[p].hasNext()) loaders[p].nextEpoch();
                    int rows = loaders[p].next(xs, ys);
                    params[p].zeroGrads();
                    Tensor loss;
                    try (var tape = Autograd.record()) {
                        loss = recipe.loss().sum(nets[p].forward(Tensor.wrap(xs, 0, recipe.batchShape(rows))), Tensor.wrap(ys, 0, rows));
                    }
                    loss.backward();
                    trainers[p].step(rows);
                }
            }
            TrainerState[] states = new TrainerState[parts];
            for (int p = 0; p < parts; p++) states[p] = trainers[p].state();
            float[] values = new float[n];
            double[] sum = new double[n];
            for (TrainerState st : states) {
                float[] x = st.parameters();
                for (int i = 0; i < n; i++) sum[i] += x[i];
            }
            for (int i = 0; i < n; i++) values[i] = (float) (sum[i] / parts);
            java.util.Map<String, float[]> state = new java.util.LinkedHashMap<>();
            for (String name : states[0].stateNames()) {
                float[] averaged = new float[n];
                double[] m = new double[n];
                for (TrainerState st : states) {
                    float[] x = st.optimizerState(name);
                    for (int i = 0; i < n; i++) m[i] += x[i];
                }
                for (int i = 0; i < n; i++) averaged[i] = averageState ? (float) (m[i] / parts) : 0f;
                state.put(name, averaged);
            }
            for (int p = 0; p < parts; p++) trainers[p].restore(states[p].withArrays(values, state));
        }
        return params[0].values().clone();
    }

    @Test
    void localSgdAveragesWhatThePartitionsTrainedAlone() {
        for (int parts : new int[] {1, 2}) {
            JavaRDD<Example> data = spark.parallelize(examples(airfoil), parts);
            for (boolean average : new boolean[] {true, false}) {
                float[] reference = localSgdReference(adamAirfoil(), airfoil, parts, 10, 4, 30, 11, average);
                SparkTrainer t = SparkTrainer.builder(spark, adamAirfoil()).localSgd(10, 4).seed(11)
                        .optimizerState(average ? SparkTrainer.StateAveraging.AVERAGE : SparkTrainer.StateAveraging.RESET).build();
                List<RoundReport> reports = t.fit(data, 30);
                assertArrayEquals(reference, t.params().values(), parts + " partitions, state averaged: " + average);
                assertEquals(120, t.trainer().updates(), "H updates a round");
                assertEquals(parts * 40L, reports.getFirst().examples());
                assertTrue(reports.getLast().loss() < reports.getFirst().loss(), "the loss falls");
            }
        }
    }

    @Test
    void aNewTrainerResumesFromTheNewestCheckpointAndEndsAsAnUnbrokenRun(@TempDir Path dir) throws Exception {
        JavaRDD<Example> data = spark.parallelize(examples(airfoil), 2);
        for (boolean synchronous : new boolean[] {true, false}) {
            Path ckpt = dir.resolve(synchronous ? "sync" : "local");
            SparkTrainer unbroken = build(adamAirfoil(), synchronous, null).build();
            unbroken.fit(data, 40);
            SparkTrainer firstHalf = build(adamAirfoil(), synchronous, ckpt).build();
            firstHalf.fit(data, 23); // saves after rounds 10, 20 and 23
            try (var files = Files.list(ckpt)) {
                assertEquals(List.of("round-000000000020.gradus", "round-000000000023.gradus"),
                        files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith(".")).sorted().toList(), "the newest two are kept");
            }
            SparkTrainer resumed = build(adamAirfoil(), synchronous, ckpt).build();
            List<RoundReport> rest = resumed.fit(data, 40);
            assertEquals(17, rest.size(), "rounds 24 to 40");
            assertEquals(24, rest.getFirst().round());
            assertArrayEquals(unbroken.params().values(), resumed.params().values());

            SparkTrainer otherSettings = SparkTrainer.builder(spark, adamAirfoil()).seed(99).checkpoints(ckpt.toUri().toString(), 10)
                    .synchronous(20).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> otherSettings.fit(data, 50));
            assertTrue(e.getMessage().contains("resume with the same settings"), e.getMessage());
        }
    }

    static SparkTrainer.Builder build(Recipe recipe, boolean synchronous, Path checkpoints) {
        SparkTrainer.Builder b = SparkTrainer.builder(spark, recipe).seed(13);
        if (checkpoints != null) b.checkpoints(checkpoints.toUri().toString(), 10);
        return synchronous ? b.synchronous(10) : b.localSgd(10, 4);
    }

    @Test
    void resultsLargerThanTheDriverMayTakeAreRefusedBeforeAnyRound() {
        // 10 partitions x 4 bytes x 6.7M parameters = 268 MiB against a maxResultSize of 1 GiB: fits; 100 partitions do not.
        Recipe big = new Recipe(new int[] {4096}, () -> new io.gradus.core.nn.Layers.Dense(4096, 1640),
                (out, y) -> out.sum(), Optimizers::sgd, () -> LrScheduler.of(LrSchedule.constant(0.1)), Recipe.Configure.NONE);
        List<Example> few = new ArrayList<>();
        for (int i = 0; i < 100; i++) few.add(new Example(new float[4096], 0));
        SparkTrainer t = SparkTrainer.builder(spark, big).synchronous(10).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(spark.parallelize(few, 100), 1));
        assertTrue(e.getMessage().contains("spark.driver.maxResultSize"), e.getMessage());
        assertEquals(0, t.rounds());
    }

    @Test
    void badExamplesAreNamed() {
        List<Example> wrong = new ArrayList<>(examples(airfoil.head(20)));
        wrong.set(13, new Example(new float[4], 0));
        SparkTrainer t = SparkTrainer.builder(spark, adamAirfoil()).synchronous(10).build();
        Exception e = assertThrows(Exception.class, () -> t.fit(spark.parallelize(wrong, 2), 3));
        assertTrue(String.valueOf(e.getMessage()).contains("partition 1, example 3: 4 features, expected 5"), e.getMessage());
    }
}
