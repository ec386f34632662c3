package io.gradus.spark;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.Checkpoint;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's examples as two flat arrays (features row-major, labels): what the training
 * rounds run on, built once per partition from the RDD of {@link Example}s and cached by Spark.
 * Its contents are a pure function of the input partition, so a shard Spark recomputes after
 * losing an executor is the same shard.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final float[] features;
    final float[] labels;

    private Shard(int partition, float[] features, float[] labels) {
        this.partition = partition;
        this.features = features;
        this.labels = labels;
    }

    int size() {
        return labels.length;
    }

    /** Packs one partition's examples; every example must have {@code exampleSize} features. */
    static Shard of(int partition, Iterator<Example> examples, int exampleSize) {
        FloatList x = new FloatList(), y = new FloatList();
        int n = 0;
        while (examples.hasNext()) {
            Example e = examples.next();
            if (e == null) throw new IllegalArgumentException("partition " + partition + ", example " + n + ": null, expected an Example");
            if (e.features().length != exampleSize) {
                throw new IllegalArgumentException("partition " + partition + ", example " + n + ": " + e.features().length
                        + " features, expected " + exampleSize + " (the recipe's example shape)");
            }
            x.addAll(e.features());
            y.add(e.label());
            n++;
        }
        return new Shard(partition, x.toArray(), y.toArray());
    }

    /** What a partition sends back from a synchronous round: its share of the batch's gradient sum. */
    record Partial(int partition, float[] gradientSum, double lossSum, int rows, long fetchNanos, long computeNanos)
            implements Serializable {}

    /**
     * Synchronous round: the gradient of the loss summed over the rows of the global batch
     * {@code batch} (global example indices, in the batch's order) that this shard holds, at the
     * parameters {@code values}. {@code firstIndex} is the global index of this shard's first example.
     */
    Partial gradient(String runId, Recipe recipe, org.apache.spark.broadcast.Broadcast<float[]> values, int[] batch, long firstIndex) {
        long start = System.nanoTime();
        int[] local = new int[batch.length];
        int rows = 0;
        for (int g : batch) {
            long i = g - firstIndex;
            if (i >= 0 && i < size()) local[rows++] = (int) i;
        }
        if (rows == 0) return new Partial(partition, null, 0, 0, 0, System.nanoTime() - start);
        float[] v = values.value();
        long fetched = System.nanoTime();
        Replicas.Replica replica = Replicas.borrow(runId, recipe);
        try {
            if (replica.params().size() != v.length) {
                throw new IllegalStateException("the recipe's model has " + replica.params().size() + " parameters on this executor, the driver's "
                        + v.length + ": the model factory must build the same architecture everywhere");
            }
            System.arraycopy(v, 0, replica.params().values(), 0, v.length);
            int size = recipe.exampleSize();
            float[] xs = new float[rows * size], ys = new float[rows];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(features, local[r] * size, xs, r * size, size);
                ys[r] = labels[local[r]];
            }
            replica.params().zeroGrads();
            double loss = forwardBackward(replica, recipe, xs, ys, rows);
            return new Partial(partition, replica.params().grads().clone(), loss, rows, fetched - start, System.nanoTime() - fetched);
        } finally {
            Replicas.giveBack(runId, replica);
        }
    }

    /** What a partition sends back from a local-SGD round: its Trainer's checkpoint after the round's steps. */
    record Local(int partition, byte[] checkpoint, double lossSum, int examples, long fetchNanos, long computeNanos)
            implements Serializable {}

    /**
     * Local SGD: restores the round's broadcast checkpoint into a Trainer and runs {@code steps}
     * minibatch steps of {@code batch} examples on this shard. The minibatches follow a loader
     * seeded by {@code (seed, partition)} positioned at this round's first local step, so the
     * round's draws are a pure function of {@code (seed, round, partition)}: a retried task draws
     * the same batches, and over the rounds each shard is visited epoch by epoch without replacement.
     */
    Local localSteps(String runId, Recipe recipe, org.apache.spark.broadcast.Broadcast<byte[]> start, long round, int steps,
                     int batch, long seed) throws IOException {
        long t0 = System.nanoTime();
        byte[] bytes = start.value();
        long fetched = System.nanoTime();
        if (size() == 0) throw new IllegalStateException("partition " + partition + " holds no example: local SGD needs data in every partition"
                + " (repartition the RDD)");
        Replicas.Replica replica = Replicas.borrow(runId, recipe);
        try {
            Checkpoint.load(bytes, "round " + (round + 1) + "'s broadcast", replica.trainer());
            ArrayDataset data = new ArrayDataset(features, recipe.exampleShape(), labels);
            long loaderSeed = shardSeed(seed, partition);
            DataLoader loader = new DataLoader(data, batch, true, false, loaderSeed);
            long done = round * steps; // local steps this shard took in the rounds before
            int perEpoch = loader.batchesPerEpoch();
            loader.restore(new DataLoader.State(loaderSeed, Math.toIntExact(done / perEpoch), (int) (done % perEpoch) * batch));
            int size = recipe.exampleSize();
            float[] xs = new float[batch * size], ys = new float[batch];
            double lossSum = 0;
            int examples = 0;
            for (int s = 0; s < steps; s++) {
                if (!loader.hasNext()) loader.nextEpoch();
                int rows = loader.next(xs, ys);
                replica.params().zeroGrads();
                lossSum += forwardBackward(replica, recipe, xs, ys, rows);
                replica.trainer().step(rows);
                examples += rows;
            }
            return new Local(partition, Checkpoint.toBytes(replica.trainer(), null), lossSum, examples, fetched - t0,
                    System.nanoTime() - fetched);
        } finally {
            Replicas.giveBack(runId, replica);
        }
    }

    /** The seed of partition {@code p}'s minibatch order: SplitMix64 over the run's seed and the partition. */
    static long shardSeed(long seed, int partition) {
        long z = seed + 0x9E3779B97F4A7C15L * (partition + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Forward and backward over {@code rows} examples; returns the summed loss. */
    private static double forwardBackward(Replicas.Replica replica, Recipe recipe, float[] xs, float[] ys, int rows) {
        Tensor x = Tensor.wrap(xs, 0, recipe.batchShape(rows)), y = Tensor.wrap(ys, 0, rows);
        Tensor loss;
        try (var tape = Autograd.record()) {
            loss = recipe.loss().sum(replica.model().forward(x), y);
        }
        loss.backward();
        return loss.item();
    }

    /** Counts of every partition, for the global index of each shard's first example. */
    static long[] firstIndices(List<int[]> partitionSizes, int partitions) {
        long[] sizes = new long[partitions];
        for (int[] ps : partitionSizes) sizes[ps[0]] = ps[1];
        long[] first = new long[partitions + 1];
        for (int p = 0; p < partitions; p++) first[p + 1] = first[p] + sizes[p];
        return first;
    }

    /** A growable float array (the partition's size is not known before it is read). */
    private static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, Math.multiplyExact(a.length, 2));
            a[n++] = v;
        }

        void addAll(float[] v) {
            if (n + v.length > a.length) a = java.util.Arrays.copyOf(a, Math.max(Math.multiplyExact(a.length, 2), n + v.length));
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
