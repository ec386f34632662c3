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
 * LeNet: on this machine by the ordinary Trainer on 2 threads ({@code single}), or with local SGD
 * at H = 16 on {@code local-cluster[2,1,2048]}, two executor JVMs of one core each ({@code spark};
 * a round is 16 steps of 256 examples per partition, 8 rounds an epoch). One JMH operation is one
 * epoch; at the end of a trial the median split of the measured rounds is printed (what the time
 * beyond the compute is spent on). Run through {@code -Prun -Dspark.main=org.openjdk.jmh.Main}
 * (the README), whose environment lets local-cluster launch its executors.
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
            single = new SingleMachine(recipe);
            loader = new DataLoader(train, BATCH, true, false, 1);
            return;
        }
        spark = new JavaSparkContext(SparkSetup.conf("local-cluster[2,1,2048]", "gradus-epoch-bench"));
        rdd = SparkDatasets.fashionMnist(spark, hub.locate(FashionMnist.TRAIN_IMAGES).getParent().toUri().toString(), true, 2).cache();
        rdd.count();
        trainer = SparkTrainer.builder(spark, recipe).localSgd(BATCH, H).seed(1).progress(reports::add).build();
        perEpoch = trainer.roundsPerEpoch(train.size(), 2);
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
        if (!reports.isEmpty()) System.out.println("[split] " + model + " " + GradusSpark.split(reports));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (trainer != null) trainer.close();
        if (spark != null) spark.stop();
    }
}
