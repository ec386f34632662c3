package io.gradus.spark.examples;

import io.gradus.core.nn.Layers.Dense;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Optimizers;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import io.gradus.spark.Example;
import io.gradus.spark.Recipe;
import io.gradus.spark.RoundReport;
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
 * The cost of one round against the parameter count, with almost no compute: a Dense layer of
 * {@code params} weights ({@code 1000 x params/1000}, loss the sum of its outputs) and one example
 * per partition, on {@code local-cluster[2,1,2048]} (two executor JVMs). {@code synchronous}: SGD,
 * the parameters broadcast and one gradient per partition back; {@code local}: Adam with H = 1, the
 * checkpoint (parameters and two state arrays) broadcast and one back per partition. The median
 * split of the measured rounds (schedule / broadcast / compute / combine) is printed per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class SparkRoundBench {

    @Param({"10000", "100000", "1000000", "10000000"})
    public int params;

    @Param({"synchronous", "local"})
    public String mode;

    JavaSparkContext spark;
    JavaRDD<Example> rdd;
    SparkTrainer trainer;
    final List<RoundReport> reports = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        int outputs = params / 1000;
        boolean local = mode.equals("local");
        Recipe.Factory<Optimizer> rule = local ? Optimizers::adam : Optimizers::sgd;
        Recipe recipe = new Recipe(new int[] {1000}, () -> new Dense(1000, outputs), (out, y) -> out.sum(), rule,
                () -> LrScheduler.of(LrSchedule.constant(1e-6)), Recipe.Configure.NONE);
        spark = new JavaSparkContext(SparkSetup.conf("local-cluster[2,1,2048]", "gradus-round-bench")
                .set("spark.driver.maxResultSize", "2g"));
        float[] x = new float[1000];
        java.util.Arrays.fill(x, 0.001f);
        rdd = spark.parallelize(List.of(new Example(x, 0), new Example(x.clone(), 0)), 2).cache();
        SparkTrainer.Builder b = SparkTrainer.builder(spark, recipe).progress(reports::add);
        trainer = (local ? b.localSgd(1, 1) : b.synchronous(2)).build();
    }

    @Setup(Level.Iteration)
    public void clearReports() {
        reports.clear();
    }

    @Benchmark
    public double round() {
        return trainer.fit(rdd, trainer.rounds() + 1).getLast().loss();
    }

    @TearDown(Level.Iteration)
    public void printSplit() {
        if (!reports.isEmpty()) System.out.println("[split] " + params + " " + mode + " " + GradusSpark.split(reports));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        spark.stop();
    }
}
