package io.gradus.spark.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.data.FashionMnist;
import io.gradus.spark.Example;
import io.gradus.spark.Recipe;
import io.gradus.spark.RoundReport;
import io.gradus.spark.SparkDatasets;
import io.gradus.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One epoch of Fashion-MNIST (60,000 images, minibatches of 256, SGD at lr 0.1) for the MLP or
 * LeNet on {@code cores} cores: on this machine by the ordinary Trainer ({@code single}; its pool
 * must have {@code cores} threads: {@code -jvmArgsAppend -Dgradus.threads=1} for 1, 2 by default),
 * or with local SGD at H = 16 on {@code local-cluster[cores,1,2048]} ({@code -Dgradus.bench.executorMemory}
 * sets the MiB), {@code cores} executor JVMs
 * of one core each, one partition each ({@code spark}; a round is 16 steps of 256 examples per
 * partition: 8 rounds an epoch on 2 executors, 15 on 1). One JMH operation is one epoch; after each
 * iteration the median split of its rounds is printed (what the time beyond the compute is spent
 * on). Run through {@code -Prun -Dspark.main=org.openjdk.jmh.Main} (the README), whose environment
 * lets local-cluster launch its executors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dgradus.threads=2", "-Xmx6g"})
public class SparkEpochBench {

    @Param({"mlp", "lenet"})
    public String model;

    @Param({"single", "spark"})
    public String where;

    @Param({"2"})
    public int cores;

    static final int BATCH = 256, H = 16;

    ArrayDataset train;
    Recipe recipe;
    SingleMachine single;
    DataLoader loader;
    JavaSparkContext spark;
    JavaRDD<Example> rdd;
    SparkTrainer trainer;
    long perEpoch;
    final List<RoundReport> reports = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DataHub hub = DataHub.fromEnvironment();
        train = FashionMnist.train(hub);
        recipe = GradusSpark.fashionRecipe(model, 1, "sgd", 0.1);
        if (where.equals("single")) {
            int threads = io.gradus.kernels.Parallel.common().threads();
            if (threads != cores) {
                throw new IllegalStateException("cores = " + cores + " but the pool has " + threads + " threads: run with -jvmArgsAppend -Dgradus.threads=" + cores);
            }
            single = new SingleMachine(recipe);
            loader = new DataLoader(train, BATCH, true, false, 1);
            return;
        }
        // executor heap in MiB: -Dgradus.bench.executorMemory (default 2048)
        int memory = Integer.getInteger("gradus.bench.executorMemory", 2048);
        spark = new JavaSparkContext(SparkSetup.conf("local-cluster[" + cores + ",1," + memory + "]", "gradus-epoch-bench"));
        rdd = SparkDatasets.fashionMnist(spark, hub.locate(FashionMnist.TRAIN_IMAGES).getParent().toUri().toString(), true, cores);
        trainer = SparkTrainer.builder(spark, recipe).localSgd(BATCH, H).seed(1).progress(reports::add).build();
        trainer.fit(rdd, 0); // reads the data and caches its packed shards (the only cached copy) before the clock starts
        perEpoch = trainer.roundsPerEpoch(train.size(), cores);
    }

    @Setup(Level.Iteration)
    public void clearReports() {
        reports.clear();
    }

    @Benchmark
    public double epoch() {
        if (single != null) return single.epoch(loader, train, BATCH);
        return trainer.fit(rdd, trainer.rounds() + perEpoch).getLast().loss();
    }

    @TearDown(Level.Iteration)
    public void printSplit() {
        if (!reports.isEmpty()) System.out.println("[split] " + model + " " + cores + " executors: " + GradusSpark.split(reports));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (trainer != null) trainer.close();
        if (spark != null) spark.stop();
    }
}
