package io.gradus.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real executor JVMs: {@code local-cluster[2,1,1024]} starts a standalone master and a worker in
 * this JVM, and the worker launches two executors of one core each as separate processes, as a
 * cluster would. The synchronous mode equals the single-machine Trainer there too, and an executor
 * that dies in the middle of a round (its JVM halted, as SIGKILL or a lost machine would stop it)
 * costs a retry, not a bit of the result.
 */
class ClusterSparkTest {

    static JavaSparkContext spark;
    static ArrayDataset airfoil;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        airfoil = Airfoil.load(DataHub.fromEnvironment());
        spark = new JavaSparkContext(ClusterSupport.localCluster("gradus-cluster-test"));
        work = Files.createTempDirectory("gradus-cluster-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /**
     * Loss calls per test (keyed by its marker) in each executor JVM: a static field, so one count per
     * process. Keyed, because the executors outlive a test: a count shared by the tests would already
     * be past the next test's threshold when the tests run in the other order.
     */
    static final ConcurrentHashMap<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    /**
     * The recipe whose loss halts the executor JVM that makes its {@code call}-th call of this test,
     * once in the whole test: the first executor to get there creates {@code marker} and dies mid-task
     * (the executor launched in its place finds the marker and lives).
     */
    static Recipe killingOneExecutor(Recipe r, String marker, int call) {
        Recipe.Loss loss = r.loss();
        return new Recipe(r.exampleShape(), r.model(), (out, y) -> {
            if (CALLS.computeIfAbsent(marker, m -> new AtomicInteger()).incrementAndGet() >= call && !Files.exists(Path.of(marker))) {
                try {
                    Files.createFile(Path.of(marker));
                    System.err.println("test: halting executor JVM " + ProcessHandle.current().pid() + " in the middle of a round");
                    Runtime.getRuntime().halt(137);
                } catch (FileAlreadyExistsException alreadyKilledOne) {
                    // another executor died already
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return loss.sum(out, y);
        }, r.optimizer(), r.schedule(), r.configure());
    }

    @Test
    void synchronousOnExecutorJvmsEqualsTheSingleMachineTrainerAndSurvivesALostExecutor() {
        JavaRDD<Example> data = spark.parallelize(LocalSparkTest.examples(airfoil), 2);
        Recipe recipe = LocalSparkTest.adamAirfoil();
        float[] reference = LocalSparkTest.singleMachine(recipe, airfoil, 10, 7, 100);
        SparkTrainer clean = SparkTrainer.builder(spark, recipe).synchronous(10).seed(7).build();
        clean.fit(data, 100);
        double relative = LocalSparkTest.assertClose(reference, clean.params().values(), 1e-6);
        System.out.println("local-cluster, synchronous adam, 100 airfoil steps: largest difference " + relative);

        String marker = work.resolve("sync-killed").toString();
        SparkTrainer killed = SparkTrainer.builder(spark, killingOneExecutor(recipe, marker, 40)).synchronous(10).seed(7).build();
        killed.fit(data, 100);
        assertTrue(Files.exists(Path.of(marker)), "an executor was killed");
        assertArrayEquals(clean.params().values(), killed.params().values(), "the same bits with an executor lost mid-run");
    }

    @Test
    void localSgdOnExecutorJvmsSurvivesALostExecutor() {
        JavaRDD<Example> data = spark.parallelize(LocalSparkTest.examples(airfoil), 2);
        Recipe recipe = LocalSparkTest.adamAirfoil();
        float[] reference = LocalSparkTest.localSgdReference(recipe, airfoil, 2, 10, 8, 12, 3, true);
        SparkTrainer clean = SparkTrainer.builder(spark, recipe).localSgd(10, 8).seed(3).build();
        clean.fit(data, 12);
        assertArrayEquals(reference, clean.params().values(), "local SGD on executor JVMs, as written out plainly");

        String marker = work.resolve("local-killed").toString();
        SparkTrainer killed = SparkTrainer.builder(spark, killingOneExecutor(recipe, marker, 45)).localSgd(10, 8).seed(3).build();
        killed.fit(data, 12);
        assertTrue(Files.exists(Path.of(marker)), "an executor was killed");
        assertArrayEquals(clean.params().values(), killed.params().values(), "the same bits with an executor lost mid-round");
    }
}
