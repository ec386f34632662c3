package io.gradus.spark;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.nn.Module;
import io.gradus.optim.Checkpoint;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.TrainerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training of a Gradus model on Apache Spark: the application hands it an RDD of
 * {@link Example}s and a {@link Recipe}; Spark schedules the tasks, moves the data and retries what
 * fails; Gradus computes. Every round is one ordinary Spark job, so a lost executor costs a retried
 * task, never the run. Two modes, as the field does it:
 *
 * <h2>Synchronous ({@link Builder#synchronous})</h2>
 * MLlib's {@code GradientDescent} shape. Each round is one step of minibatch SGD (D2L 11.5) on a
 * global batch of {@code B} examples: the driver draws the batch as the single-machine
 * {@link DataLoader} would (a seeded permutation per epoch, sampling without replacement, 11.4.4),
 * broadcasts the parameters, every partition computes the gradient of the loss summed over the
 * batch's examples it holds, the driver adds the partitions' sums in partition order (in double,
 * then rounded once: deterministic, unlike {@code treeAggregate}, whose order depends on which task
 * finishes first, SPARK-15043) and runs the optimizer's fused update in its {@link Trainer}. The
 * result is the single-machine Trainer's on the same batches, up to the float rounding of the
 * split sum, and the same bits on every run, retries and lost executors included.
 *
 * <h2>Local SGD ({@link Builder#localSgd})</h2>
 * Deeplearning4j's parameter averaging; Stich 2019, Lin et al. 2020. Each round broadcasts the
 * driver Trainer's checkpoint (parameters, optimizer state, counts, schedule); every partition
 * restores it into its own Trainer and runs {@code H} steps of minibatch SGD on its own shard; the
 * driver averages the partitions' parameters in partition order. The optimizer state is averaged
 * too by default ({@link StateAveraging#AVERAGE}, as Deeplearning4j averages its updater state):
 * the state then describes the averaged parameters' recent gradients, and an adaptive rule such as
 * Adam keeps the scale it has learned; {@link StateAveraging#RESET} zeroes it every round, which
 * restarts the moment estimates H steps at a time. One round costs one job for {@code H} steps: the
 * communication falls by {@code H}.
 *
 * <h2>Failures</h2>
 * A round's random choices are a pure function of {@code (seed, round, partition)}, and a
 * partition's shard of the input partition, so a retried task computes the same result. With
 * {@link Builder#checkpoints} the driver saves its state every {@code K} rounds to any Hadoop path;
 * a driver started again with the same settings resumes from the newest one and finishes at the
 * same parameters as a run never stopped. Before the first job the trainer checks that a round's
 * results fit {@code spark.driver.maxResultSize} and the driver's heap ({@code spark.driver.memory}),
 * with an error naming the setting to change.
 *
 * <p>Not for concurrent use: one thread drives {@link #fit}. The driver's model and Params stay
 * usable between calls (to evaluate, or to save with {@link Checkpoint}).
 */
public final class SparkTrainer implements AutoCloseable {

    /** How a round trains. */
    public enum Mode { SYNCHRONOUS, LOCAL_SGD }

    /** What local SGD does with the optimizer state at the end of a round. */
    public enum StateAveraging { AVERAGE, RESET }

    /** Starts the settings of a trainer running {@code recipe} on {@code spark}. */
    public static Builder builder(JavaSparkContext spark, Recipe recipe) {
        return new Builder(spark, recipe);
    }

    /** A trainer's settings; {@link #synchronous} or {@link #localSgd} must be chosen. */
    public static final class Builder {
        private final JavaSparkContext spark;
        private final Recipe recipe;
        private Mode mode;
        private int batch, stepsPerRound = 1;
        private StateAveraging stateAveraging = StateAveraging.AVERAGE;
        private long seed = 1;
        private String checkpointDir;
        private int checkpointEvery;
        private Consumer<RoundReport> progress = r -> {};

        private Builder(JavaSparkContext spark, Recipe recipe) {
            if (spark == null || recipe == null) {
                throw new IllegalArgumentException("spark = " + spark + ", recipe = " + recipe + ": expected neither null");
            }
            this.spark = spark;
            this.recipe = recipe;
        }

        /** Synchronous rounds: one step a round on a global batch of {@code globalBatch} examples. */
        public Builder synchronous(int globalBatch) {
            if (globalBatch < 1) throw new IllegalArgumentException("globalBatch = " + globalBatch + ": expected >= 1");
            this.mode = Mode.SYNCHRONOUS;
            this.batch = globalBatch;
            this.stepsPerRound = 1;
            return this;
        }

        /**
         * Local SGD rounds: every partition takes {@code stepsPerRound} (H) steps on minibatches of
         * {@code localBatch} of its own examples between two averagings.
         */
        public Builder localSgd(int localBatch, int stepsPerRound) {
            if (localBatch < 1) throw new IllegalArgumentException("localBatch = " + localBatch + ": expected >= 1");
            if (stepsPerRound < 1) throw new IllegalArgumentException("stepsPerRound = " + stepsPerRound + ": expected H >= 1");
            this.mode = Mode.LOCAL_SGD;
            this.batch = localBatch;
            this.stepsPerRound = stepsPerRound;
            return this;
        }

        /** Local SGD: average the optimizer state with the parameters (default) or reset it every round. */
        public Builder optimizerState(StateAveraging averaging) {
            if (averaging == null) throw new IllegalArgumentException("averaging = null: expected AVERAGE or RESET");
            this.stateAveraging = averaging;
            return this;
        }

        /** The seed of every random choice of the run (minibatch orders); 1 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Saves the driver's state to {@code hadoopDir} (any Hadoop file system URI, e.g.
         * {@code hdfs://nn/runs/a} or {@code file:/tmp/run}) every {@code everyRounds} rounds and
         * after the last; {@link #fit} resumes from the newest checkpoint there.
         */
        public Builder checkpoints(String hadoopDir, int everyRounds) {
            if (hadoopDir == null || hadoopDir.isBlank()) throw new IllegalArgumentException("hadoopDir = " + hadoopDir + ": expected a directory URI");
            if (everyRounds < 1) throw new IllegalArgumentException("everyRounds = " + everyRounds + ": expected >= 1");
            this.checkpointDir = hadoopDir;
            this.checkpointEvery = everyRounds;
            return this;
        }

        /** Called on the driver after every round (a log line, a progress bar, a metrics sink). */
        public Builder progress(Consumer<RoundReport> listener) {
            if (listener == null) throw new IllegalArgumentException("listener = null: expected a consumer of RoundReports");
            this.progress = listener;
            return this;
        }

        public SparkTrainer build() {
            if (mode == null) throw new IllegalStateException("no mode chosen: call synchronous(globalBatch) or localSgd(localBatch, H)");
            return new SparkTrainer(this);
        }
    }

    private final JavaSparkContext spark;
    private final Recipe recipe;
    private final Mode mode;
    private final int batch, stepsPerRound;
    private final StateAveraging stateAveraging;
    private final long seed;
    private final CheckpointStore store;
    private final int checkpointEvery;
    private final Consumer<RoundReport> progress;
    private final String runId = UUID.randomUUID().toString();

    private final Module model;
    private final Params params;
    private final Trainer trainer;
    private final double[] initialState;
    /** Synchronous mode: the global batch order (a loader over example indices); made at the first fit. */
    private DataLoader batches;
    private long examples = -1;
    private long rounds;
    private boolean resumeChecked;

    private SparkTrainer(Builder b) {
        this.spark = b.spark;
        this.recipe = b.recipe;
        this.mode = b.mode;
        this.batch = b.batch;
        this.stepsPerRound = b.stepsPerRound;
        this.stateAveraging = b.stateAveraging;
        this.seed = b.seed;
        this.store = b.checkpointDir == null ? null : new CheckpointStore(b.checkpointDir, spark.hadoopConfiguration());
        this.checkpointEvery = b.checkpointEvery;
        this.progress = b.progress;
        Replicas.Replica driver = Replicas.build(recipe);
        this.model = driver.model();
        this.params = driver.params();
        this.trainer = driver.trainer();
        this.initialState = new double[trainer.optimizer().stateArrays()];
        for (int k = 0; k < initialState.length; k++) initialState[k] = trainer.optimizer().initialState(k);
    }

    /** The driver's model: its parameters are the run's current ones (views of {@link #params()}). */
    public Module model() {
        return model;
    }

    public Params params() {
        return params;
    }

    /** The driver's Trainer: updates count, schedule, optimizer state (local SGD: the averaged state). */
    public Trainer trainer() {
        return trainer;
    }

    public Mode mode() {
        return mode;
    }

    /** Rounds done so far (across resumes). */
    public long rounds() {
        return rounds;
    }

    /**
     * Rounds per epoch (one pass over {@code examples} examples in total) on {@code partitions}
     * partitions: {@code ceil(N / B)} synchronous, {@code ceil(N / (partitions H b))} local SGD.
     */
    public long roundsPerEpoch(long examples, int partitions) {
        if (examples < 1 || partitions < 1) {
            throw new IllegalArgumentException("examples = " + examples + ", partitions = " + partitions + ": expected both >= 1");
        }
        long perRound = mode == Mode.SYNCHRONOUS ? batch : (long) partitions * stepsPerRound * batch;
        return (examples + perRound - 1) / perRound;
    }

    /**
     * Trains on {@code data} until {@code totalRounds} rounds are done in all, resuming first from the
     * newest checkpoint when {@link Builder#checkpoints} names a directory that holds one. Returns
     * the reports of the rounds run by this call. The data's partitions are the unit of work (and of
     * local SGD's shards): give it at least as many partitions as executor cores. The examples are
     * packed into one float array per partition and cached (memory, then disk) at the first call;
     * do not cache the RDD of Examples as well: a second copy of the data in the executors' heaps
     * costs garbage-collection time every round (a flight recording of a LeNet run with both copies:
     * GC pauses of about 8% of the epoch in the executor).
     * {@code fit(data, 0)} packs and caches without training.
     *
     * @throws IllegalArgumentException for bad examples (their partition and index named)
     * @throws IllegalStateException    when a round's results cannot fit the driver (the Spark setting named)
     * @throws UncheckedIOException     when a checkpoint cannot be read or written
     */
    public List<RoundReport> fit(JavaRDD<Example> data, long totalRounds) {
        if (data == null) throw new IllegalArgumentException("data = null: expected an RDD of Examples");
        if (totalRounds < 0) throw new IllegalArgumentException("totalRounds = " + totalRounds + ": expected >= 0");
        int partitions = data.getNumPartitions();
        if (partitions < 1) throw new IllegalArgumentException("data has no partitions: expected at least 1");
        try {
            Prepared prepared = prepare(data, partitions);
            JavaRDD<Shard> shards = prepared.shards();
            long[] first = prepared.firstIndices();
            long n = first[partitions];
            if (examples >= 0 && examples != n) {
                throw new IllegalArgumentException("data holds " + n + " examples, the run so far trained on " + examples + ": expected the same data");
            }
            examples = n;
            checkDriverCapacity(partitions);
            if (mode == Mode.SYNCHRONOUS && batches == null) {
                // A loader over the example indices: the single-machine DataLoader's permutation of N.
                batches = new DataLoader(new ArrayDataset(new float[(int) n], new int[] {1}, new float[(int) n]), batch, true, false, seed);
            }
            if (!resumeChecked) {
                resumeChecked = true;
                resume(partitions);
            }
            List<RoundReport> reports = new ArrayList<>();
            while (rounds < totalRounds) {
                long start = System.nanoTime();
                RoundReport r = mode == Mode.SYNCHRONOUS ? synchronousRound(shards, first, totalRounds, start)
                        : localRound(shards, partitions, totalRounds, start);
                reports.add(r);
                progress.accept(r);
            }
            return reports;
        } finally {
            spark.setJobDescription(null);
        }
    }

    /** An input RDD packed into cached shards, with the global index of each shard's first example. */
    private record Prepared(int rddId, JavaRDD<Shard> shards, long[] firstIndices) {}

    private Prepared prepared;

    /**
     * The shards of {@code data}: packed and cached at the first {@link #fit} on it, kept for the
     * next calls on the same RDD (a program that fits epoch by epoch), dropped for another RDD and
     * by {@link #close}.
     */
    private Prepared prepare(JavaRDD<Example> data, int partitions) {
        if (prepared != null && prepared.rddId() == data.id()) return prepared;
        close();
        int exampleSize = recipe.exampleSize();
        JavaRDD<Shard> shards = data.mapPartitionsWithIndex((p, it) -> List.of(Shard.of(p, it, exampleSize)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        spark.setJobDescription("Gradus: pack and count the examples of each partition");
        long[] first;
        try {
            first = Shard.firstIndices(shards.map(sh -> new int[] {sh.partition, sh.size()}).collect(), partitions);
        } catch (RuntimeException e) {
            shards.unpersist(false);
            throw e;
        }
        long n = first[partitions];
        if (n < 1 || n > Integer.MAX_VALUE - 16) {
            shards.unpersist(false);
            throw new IllegalArgumentException("data holds " + n + " examples: expected 1 to " + (Integer.MAX_VALUE - 16));
        }
        prepared = new Prepared(data.id(), shards, first);
        return prepared;
    }

    /** Drops the cached shards of the last RDD trained on (the driver's model and state stay). */
    @Override
    public void close() {
        if (prepared != null) prepared.shards().unpersist(false);
        prepared = null;
    }

    // ----- synchronous -----

    private RoundReport synchronousRound(JavaRDD<Shard> shards, long[] first, long totalRounds, long start) {
        long round = rounds + 1;
        if (!batches.hasNext()) batches.nextEpoch();
        int[] indices = new int[batch];
        int rows = batches.nextIndices(indices, 0);
        int[] globalBatch = Arrays.copyOf(indices, rows);
        long t0 = System.nanoTime();
        Broadcast<float[]> values = spark.broadcast(params.values().clone()); // the driver's array changes after the round
        long t1 = System.nanoTime();
        spark.setJobDescription(String.format(Locale.ROOT, "Gradus synchronous round %d of %d (epoch %d)", round, totalRounds, batches.epoch() + 1));
        String run = runId;
        Recipe r = recipe;
        List<Shard.Partial> partials;
        try {
            partials = new ArrayList<>(shards.map(s -> s.gradient(run, r, values, globalBatch, first[s.partition])).collect());
        } finally {
            values.destroy(true); // blocking: an asynchronous destroy races the ContextCleaner's later removal (an ERROR line, "does not exist")
        }
        long t2 = System.nanoTime();
        partials.sort(Comparator.comparingInt(Shard.Partial::partition));
        float[] g = params.grads();
        double[] sum = new double[g.length];
        double lossSum = 0;
        int seen = 0;
        long fetch = 0, compute = 0;
        for (Shard.Partial p : partials) { // partition order: the same sum on every run
            fetch = Math.max(fetch, p.fetchNanos());
            compute = Math.max(compute, p.computeNanos());
            if (p.rows() == 0) continue;
            float[] pg = p.gradientSum();
            for (int i = 0; i < sum.length; i++) sum[i] += pg[i];
            lossSum += p.lossSum();
            seen += p.rows();
        }
        if (seen != rows) throw new IllegalStateException("round " + round + ": the partitions computed " + seen + " of the batch's " + rows + " examples");
        for (int i = 0; i < g.length; i++) g[i] = (float) sum[i];
        trainer.step(rows);
        rounds = round;
        boolean saved = maybeCheckpoint(totalRounds, shards.getNumPartitions());
        long t3 = System.nanoTime();
        return report(round, totalRounds, lossSum / rows, rows, start, t0, t1, t2, t3, fetch, compute, saved);
    }

    // ----- local SGD -----

    private RoundReport localRound(JavaRDD<Shard> shards, int partitions, long totalRounds, long start) {
        long round = rounds + 1;
        long t0 = System.nanoTime();
        Broadcast<byte[]> state = spark.broadcast(Checkpoint.toBytes(trainer, null));
        long t1 = System.nanoTime();
        spark.setJobDescription(String.format(Locale.ROOT, "Gradus local SGD round %d of %d (%d steps per partition)", round, totalRounds,
                stepsPerRound));
        String run = runId;
        Recipe r = recipe;
        long done = rounds, s = seed;
        int h = stepsPerRound, b = batch;
        List<Shard.Local> locals;
        try {
            locals = new ArrayList<>(shards.map(sh -> sh.localSteps(run, r, state, done, h, b, s)).collect());
        } finally {
            state.destroy(true); // blocking, as above
        }
        long t2 = System.nanoTime();
        locals.sort(Comparator.comparingInt(Shard.Local::partition));
        if (locals.size() != partitions) throw new IllegalStateException("round " + round + ": " + locals.size() + " of " + partitions + " partitions answered");
        int n = params.size();
        double[] meanValues = new double[n];
        double[][] meanState = null;
        TrainerState last = null;
        double lossSum = 0;
        long seen = 0, fetch = 0, compute = 0;
        for (Shard.Local l : locals) { // partition order: the same average on every run
            try {
                last = Checkpoint.read(l.checkpoint(), "partition " + l.partition() + " of round " + round).trainer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (meanState == null) meanState = new double[last.stateNames().size()][n];
            float[] values = last.parameters();
            for (int i = 0; i < n; i++) meanValues[i] += values[i];
            for (int k = 0; k < meanState.length; k++) {
                float[] part = last.optimizerState(last.stateNames().get(k));
                for (int i = 0; i < n; i++) meanState[k][i] += part[i];
            }
            lossSum += l.lossSum();
            seen += l.examples();
            fetch = Math.max(fetch, l.fetchNanos());
            compute = Math.max(compute, l.computeNanos());
        }
        // The driver takes the last partition's counters and schedule state (every partition took the
        // same H steps); its parameters and state become the averages.
        float[] averaged = new float[n];
        for (int i = 0; i < n; i++) averaged[i] = (float) (meanValues[i] / partitions);
        Map<String, float[]> averagedState = new LinkedHashMap<>();
        for (int k = 0; k < meanState.length; k++) {
            float[] part = new float[n];
            for (int i = 0; i < n; i++) {
                part[i] = stateAveraging == StateAveraging.AVERAGE ? (float) (meanState[k][i] / partitions) : (float) initialState[k];
            }
            averagedState.put(last.stateNames().get(k), part);
        }
        try {
            trainer.restore(last.withArrays(averaged, averagedState));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("round " + round + ": the partitions' averaged state does not fit the driver's Trainer: "
                    + e.getMessage(), e);
        }
        rounds = round;
        boolean saved = maybeCheckpoint(totalRounds, partitions);
        long t3 = System.nanoTime();
        return report(round, totalRounds, seen == 0 ? Double.NaN : lossSum / seen, seen, start, t0, t1, t2, t3, fetch, compute, saved);
    }

    private RoundReport report(long round, long totalRounds, double loss, long examplesSeen, long start, long t0, long t1, long t2, long t3,
                               long fetch, long compute, boolean saved) {
        double ms = 1e-6;
        double job = (t2 - t1) * ms;
        double taskPart = (fetch + compute) * ms;
        return new RoundReport(round, totalRounds, mode, loss, examplesSeen, (t3 - start) / 1e9, Math.max(0, job - taskPart),
                (t1 - t0) * ms + fetch * ms, compute * ms, (t3 - t2) * ms + (t0 - start) * ms, saved);
    }

    // ----- checkpoints and limits -----

    private CheckpointStore.Settings settings(int partitions) {
        return new CheckpointStore.Settings(mode.name(), seed, batch, stepsPerRound, partitions, stateAveraging.name());
    }

    private boolean maybeCheckpoint(long totalRounds, int partitions) {
        if (store == null || (rounds % checkpointEvery != 0 && rounds != totalRounds)) return false;
        try {
            store.save(rounds, settings(partitions), Checkpoint.toBytes(trainer, batches == null ? null : batches.state()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    private void resume(int partitions) {
        if (store == null) return;
        CheckpointStore.Saved saved;
        try {
            saved = store.latest(msg -> System.err.println("gradus-spark: " + msg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (saved == null) return;
        CheckpointStore.Settings now = settings(partitions);
        if (!saved.settings().equals(now)) {
            throw new IllegalStateException(saved.file() + ": a checkpoint of a run with settings " + saved.settings() + ", this run has " + now
                    + ": resume with the same settings and data partitioning, or point checkpoints(...) at another directory");
        }
        try {
            java.util.Optional<DataLoader.State> position = Checkpoint.load(saved.trainer(), saved.file().toString(), trainer);
            if (batches != null) {
                batches.restore(position.orElseThrow(() -> new IOException(saved.file() + ": holds no batch order position")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rounds = saved.round();
        System.err.println("gradus-spark: resumed from " + saved.file() + " after round " + rounds);
    }

    /**
     * Checks before the first job that a round's results fit the driver: Spark refuses a job whose
     * serialized results exceed {@code spark.driver.maxResultSize}, and the driver holds them all
     * (deserialized) while it combines them, beside its own model, optimizer state and sums.
     */
    private void checkDriverCapacity(int partitions) {
        long n = params.size();
        long states = trainer.optimizer().stateArrays();
        long perPartition = mode == Mode.SYNCHRONOUS ? 4 * n + 1024 : 4 * n * (1 + states) + 4096;
        long results = perPartition * partitions;
        long maxResult = spark.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        if (maxResult > 0 && results > maxResult) {
            throw new IllegalStateException(String.format(Locale.ROOT, "a %s round returns %d partitions x %d bytes = %d MiB to the driver, more than "
                            + "spark.driver.maxResultSize = %d MiB: raise it (--conf spark.driver.maxResultSize=%dm), or use fewer partitions",
                    mode, partitions, perPartition, results >> 20, maxResult >> 20, (results >> 20) + 64));
        }
        long held = results + 4 * n * (3 + states) + 8 * n * (1 + states); // results, model + grads + state + broadcast copy, double sums
        long heap = Runtime.getRuntime().maxMemory();
        if (held > heap * 0.8) {
            throw new IllegalStateException(String.format(Locale.ROOT, "a %s round holds about %d MiB on the driver (%d partitions' results, "
                            + "the model, optimizer state and sums), more than 80%% of its %d MiB heap: raise spark.driver.memory "
                            + "(--driver-memory %dg), or use fewer partitions", mode, held >> 20, partitions, heap >> 20, (held >> 30) + 2));
        }
    }
}
