package io.gradus.spark.examples;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.DataLoader;
import io.gradus.core.data.FashionMnist;
import io.gradus.optim.Optimizer;
import io.gradus.optim.OptimizerCatalog;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import io.gradus.spark.Example;
import io.gradus.spark.Recipe;
import io.gradus.spark.Recipes;
import io.gradus.spark.RoundReport;
import io.gradus.spark.SparkDatasets;
import io.gradus.spark.SparkTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chapter's models trained on Apache Spark, each beside the single-machine Trainer on the same
 * cores:
 * <pre>
 * gradus-spark airfoil                      section 11.5's linear regression, synchronous rounds (local[2])
 * gradus-spark fashion --h 16               the Fashion-MNIST MLP (or --model lenet), local SGD
 * gradus-spark sweep --h 1,4,16,64          local SGD's test accuracy against H, medians over seeds
 * gradus-spark airfoil --master spark://host:7077 --data hdfs://nn/d2l/airfoil_self_noise.dat
 * </pre>
 */
@Command(name = "gradus-spark", mixinStandardHelpOptions = true, version = "gradus-spark 0.1.0-SNAPSHOT",
        description = "The chapter's models trained on Apache Spark (synchronous or local SGD), beside the single-machine Trainer.",
        subcommands = {GradusSpark.AirfoilCommand.class, GradusSpark.FashionCommand.class, GradusSpark.SweepCommand.class})
public final class GradusSpark implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new GradusSpark());
        // Bad input (a setting, a path, a name) gets its message, not a stack trace; anything else is a bug and keeps its trace.
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof IOException
                    || e instanceof java.util.NoSuchElementException) {
                line.getErr().println("gradus-spark " + line.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    /** Options of every subcommand. */
    static class Common {
        @Option(names = "--master", defaultValue = "local[2]", paramLabel = "URL",
                description = "Spark master: local[N], local-cluster[E,C,MiB] (E executor JVMs of C cores), or a cluster's URL (default: ${DEFAULT-VALUE}).")
        String master;

        @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the data (default: the master's executor cores, else 2).")
        Integer partitions;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and of every minibatch order (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--checkpoints", paramLabel = "URI", description = "A Hadoop directory for checkpoints (resumed from when it holds one).")
        String checkpoints;

        @Option(names = "--every", defaultValue = "50", paramLabel = "K", description = "Rounds between checkpoints (default: ${DEFAULT-VALUE}).")
        int every;

        @Option(names = "--progress", defaultValue = "epochs", paramLabel = "WHAT",
                description = "Lines on stderr: rounds (every round's split), epochs (default), none.")
        String progress;

        int partitions() {
            if (partitions != null) {
                if (partitions < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--partitions " + partitions + ": expected >= 1");
                return partitions;
            }
            int cores = SparkSetup.cores(master);
            return cores > 0 ? cores : 2;
        }

        SparkTrainer.Builder configure(SparkTrainer.Builder b) {
            b.seed(seed);
            if (checkpoints != null) b.checkpoints(checkpoints, every);
            if (progress.equals("rounds")) b.progress(r -> System.err.println(r.line()));
            return b;
        }
    }

    static Recipe.Factory<Optimizer> optimizer(String name) {
        OptimizerCatalog.entry(name); // fails now, naming the algorithms there are
        return () -> OptimizerCatalog.entry(name).algorithm();
    }

    @Command(name = "airfoil", mixinStandardHelpOptions = true,
            description = "Section 11.5's linear regression on airfoil, synchronous rounds (one global minibatch a round); "
                    + "prints the book's loss line for Spark and for the single-machine Trainer on the same batches.")
    static final class AirfoilCommand extends Common implements Callable<Integer> {
        @Option(names = "--epochs", defaultValue = "2", description = "Epochs (default: ${DEFAULT-VALUE}, as the book).") int epochs;
        @Option(names = "--batch", defaultValue = "10", description = "Global minibatch (default: ${DEFAULT-VALUE}).") int batch;
        @Option(names = "--optimizer", defaultValue = "sgd", description = "Algorithm (default: ${DEFAULT-VALUE}).") String algorithm;
        @Option(names = "--lr", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}, as the book's minibatch SGD).") double lr;
        @Option(names = "--data", paramLabel = "PATH", description = "A Hadoop path to airfoil_self_noise.dat (default: found as the chapter's examples find it, read by the executors).")
        String data;

        @Override
        public Integer call() throws IOException {
            double rate = lr;
            Recipe recipe = Recipes.airfoilLinear(seed, optimizer(algorithm), () -> LrScheduler.of(LrSchedule.constant(rate)));
            ArrayDataset local = Airfoil.load(DataHub.fromEnvironment());
            String path = data != null ? data : DataHub.fromEnvironment().locate(Airfoil.FILE).toUri().toString();
            try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, "gradus-spark airfoil"))) {
                JavaRDD<Example> rdd = SparkDatasets.airfoil(spark, path, partitions()).cache();
                SparkTrainer trainer = configure(SparkTrainer.builder(spark, recipe).synchronous(batch)).build();
                long perEpoch = trainer.roundsPerEpoch(Airfoil.KEPT, partitions());
                SingleMachine single = new SingleMachine(recipe);
                DataLoader loader = new DataLoader(local, batch, true, false, seed);
                System.out.printf(Locale.ROOT, "airfoil, %s lr %s, global batch %d, %d partitions on %s: %d rounds an epoch%n", algorithm, lr, batch,
                        partitions(), master, perEpoch);
                for (int e = 1; e <= epochs; e++) {
                    long start = System.nanoTime();
                    List<RoundReport> rounds = trainer.fit(rdd, e * perEpoch);
                    double sparkSeconds = (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    single.epoch(loader, local, batch);
                    double singleSeconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "epoch %d  spark:  loss: %.3f, %.3f sec/epoch (%s)%n", e,
                            SingleMachine.meanLoss(recipe, trainer.model(), local), sparkSeconds, split(rounds));
                    System.out.printf(Locale.ROOT, "epoch %d  single: loss: %.3f, %.3f sec/epoch; largest parameter difference %.2e of the largest%n", e,
                            SingleMachine.meanLoss(recipe, single.model, local), singleSeconds,
                            relativeDifference(single.params.values(), trainer.params().values()));
                }
            }
            return 0;
        }
    }

    @Command(name = "fashion", mixinStandardHelpOptions = true,
            description = "A Fashion-MNIST classifier (the 784-256-256-10 MLP or 11.11's LeNet) trained with local SGD: H local steps per "
                    + "partition between averagings; test accuracy per epoch beside the single-machine Trainer's.")
    static final class FashionCommand extends Common implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "mlp", description = "mlp or lenet (default: ${DEFAULT-VALUE}).") String model;
        @Option(names = "--h", defaultValue = "16", description = "Local steps per round, H (default: ${DEFAULT-VALUE}).") int h;
        @Option(names = "--epochs", defaultValue = "2", description = "Epochs (default: ${DEFAULT-VALUE}).") int epochs;
        @Option(names = "--batch", defaultValue = "256", description = "Minibatch per partition, and of the single-machine run (default: ${DEFAULT-VALUE}).") int batch;
        @Option(names = "--optimizer", defaultValue = "sgd", description = "Algorithm (default: ${DEFAULT-VALUE}).") String algorithm;
        @Option(names = "--lr", defaultValue = "0.1", description = "Learning rate (default: ${DEFAULT-VALUE}; 11.11's constant 0.5 leaves LeNet at chance, as the book prints).") double lr;
        @Option(names = "--state", defaultValue = "AVERAGE", description = "Optimizer state at each averaging: AVERAGE (default) or RESET.")
        SparkTrainer.StateAveraging state;
        @Option(names = "--single", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also train on this machine, for comparison (default: on; --no-single to skip).") boolean single;
        @Option(names = "--limit", description = "Train on the first N images only (a quick look).") Integer limit;
        @Option(names = "--data", paramLabel = "DIR", description = "A Hadoop directory holding the four IDX files (default: found as the chapter's examples find them).")
        String data;

        @Override
        public Integer call() throws IOException {
            Result r = run(this, seed, h, System.out);
            return r == null ? 1 : 0;
        }
    }

    /** One fashion run's final numbers. */
    record Result(double sparkAccuracy, double singleAccuracy, double sparkEpochSeconds, double singleEpochSeconds) {}

    static Recipe fashionRecipe(String model, long seed, String algorithm, double lr) {
        Recipe.Factory<Optimizer> opt = optimizer(algorithm);
        return switch (model) {
            case "mlp" -> Recipes.fashionMlp(seed, opt, () -> LrScheduler.of(LrSchedule.constant(lr)));
            case "lenet" -> Recipes.lenet(seed, opt, () -> LrScheduler.of(LrSchedule.constant(lr)));
            default -> throw new IllegalArgumentException("--model " + model + ": expected mlp or lenet");
        };
    }

    static Result run(FashionCommand c, long seed, int h, PrintStream out) throws IOException {
        double lr = c.lr;
        Recipe recipe = fashionRecipe(c.model, seed, c.algorithm, lr);
        DataHub hub = DataHub.fromEnvironment();
        ArrayDataset train = FashionMnist.train(hub), test = FashionMnist.test(hub);
        if (c.limit != null) train = train.head(Math.min(c.limit, train.size()));
        String dir = c.data != null ? c.data : hub.locate(FashionMnist.TRAIN_IMAGES).getParent().toUri().toString();
        int parts = c.partitions();
        double sparkAcc = 0, sparkSeconds = 0, singleAcc = Double.NaN, singleSeconds = Double.NaN;
        try (JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(c.master, "gradus-spark fashion"))) {
            JavaRDD<Example> rdd = SparkDatasets.fashionMnist(spark, dir, true, parts);
            if (c.limit != null) rdd = spark.parallelize(Example.all(train), parts);
            SparkTrainer trainer = c.configure(SparkTrainer.builder(spark, recipe).localSgd(c.batch, h).optimizerState(c.state)).build();
            long perEpoch = trainer.roundsPerEpoch(train.size(), parts);
            out.printf(Locale.ROOT, "fashion-mnist %s, %s lr %s, local SGD H = %d, batch %d per partition, %d partitions on %s, seed %d: %d rounds an epoch%n",
                    c.model, c.algorithm, lr, h, c.batch, parts, c.master, seed, perEpoch);
            // Read the data and cache its packed shards before the clock starts, as the single-machine run
            // has it in memory. The RDD of Examples itself is not cached: the shards are the one copy.
            trainer.fit(rdd, 0);
            for (int e = 1; e <= c.epochs; e++) {
                long start = System.nanoTime();
                List<RoundReport> rounds = trainer.fit(rdd, e * perEpoch);
                double seconds = (System.nanoTime() - start) / 1e9;
                sparkAcc = SingleMachine.accuracy(recipe, trainer.model(), test);
                sparkSeconds = seconds;
                out.printf(Locale.ROOT, "epoch %d  spark:  train loss %.3f, test acc %.3f, %.1f s, %.0f examples/s (%s)%n", e,
                        rounds.getLast().loss(), sparkAcc, seconds, rounds.stream().mapToLong(RoundReport::examples).sum() / seconds, split(rounds));
            }
        }
        if (c.single) {
            SingleMachine single = new SingleMachine(recipe);
            DataLoader loader = new DataLoader(train, c.batch, true, false, seed);
            for (int e = 1; e <= c.epochs; e++) {
                long start = System.nanoTime();
                double loss = single.epoch(loader, train, c.batch);
                double seconds = (System.nanoTime() - start) / 1e9;
                singleAcc = SingleMachine.accuracy(recipe, single.model, test);
                singleSeconds = seconds;
                out.printf(Locale.ROOT, "epoch %d  single: train loss %.3f, test acc %.3f, %.1f s, %.0f examples/s (%d threads)%n", e, loss, singleAcc,
                        seconds, train.size() / seconds, io.gradus.kernels.Parallel.common().threads());
            }
        }
        return new Result(sparkAcc, singleAcc, sparkSeconds, singleSeconds);
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Local SGD's test accuracy against H (rounds of H local steps) beside single-machine training, over several seeds: "
                    + "medians and ranges, written as a Markdown table to --out.")
    static final class SweepCommand implements Callable<Integer> {
        @CommandLine.Mixin
        FashionCommand fashion = new FashionCommand();
        @Option(names = "--hs", defaultValue = "1,4,16,64", split = ",", description = "The H values (default: ${DEFAULT-VALUE}).") int[] hs;
        @Option(names = "--seeds", defaultValue = "1,2,3", split = ",", description = "The seeds (default: ${DEFAULT-VALUE}).") long[] seeds;
        @Option(names = "--out", defaultValue = "target/spark-sweep.md", description = "The Markdown table (default: ${DEFAULT-VALUE}).") Path out;

        @Override
        public Integer call() throws IOException {
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "Local SGD on Fashion-MNIST (%s, %s, batch %d per partition, %d epochs, master %s, %d partitions), "
                            + "test accuracy after the last epoch; seeds %s%n%n| H | median | range | single-machine median | single-machine range |%n"
                            + "|---|---|---|---|---|%n", fashion.model, fashion.algorithm, fashion.batch, fashion.epochs, fashion.master,
                    fashion.partitions(), Arrays.toString(seeds)));
            double[] single = new double[seeds.length];
            for (int k = 0; k < hs.length; k++) {
                double[] acc = new double[seeds.length];
                fashion.single = k == 0; // the single-machine peer does not depend on H
                for (int s = 0; s < seeds.length; s++) {
                    Result r = run(fashion, seeds[s], hs[k], System.out);
                    acc[s] = r.sparkAccuracy();
                    if (k == 0) single[s] = r.singleAccuracy();
                }
                md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f-%.4f | %.4f | %.4f-%.4f |%n", hs[k], median(acc), min(acc), max(acc),
                        median(single), min(single), max(single)));
                System.out.print(md);
            }
            Path abs = out.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            Files.writeString(tmp, md);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("written: " + abs);
            return 0;
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** The median split of a list of rounds, in ms. */
    static String split(List<RoundReport> rounds) {
        List<double[]> parts = new ArrayList<>();
        for (RoundReport r : rounds) parts.add(new double[] {r.seconds() * 1e3, r.scheduleMs(), r.broadcastMs(), r.computeMs(), r.combineMs()});
        double[] med = new double[5];
        for (int k = 0; k < 5; k++) {
            int kk = k;
            med[k] = median(parts.stream().mapToDouble(p -> p[kk]).toArray());
        }
        return String.format(Locale.ROOT, "%d rounds, median %.1f ms = schedule %.1f + broadcast %.1f + compute %.1f + combine %.1f", rounds.size(),
                med[0], med[1], med[2], med[3], med[4]);
    }

    static double relativeDifference(float[] expected, float[] actual) {
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst / scale;
    }
}
