package io.gradus.core.data;

/**
 * Minibatches of an {@link ArrayDataset}. Each epoch visits the examples in a fresh random
 * permutation — sampling without replacement, which section 11.4.4 argues for — drawn from the
 * loader's seed and the epoch number alone, so the whole position of a run is
 * {@code (seed, epoch, position)}: {@link #state()} captures it and {@link #restore} resumes a
 * run exactly where it stopped. The last partial batch is kept unless {@code dropLast}.
 */
public final class DataLoader {

    /** Where a loader stands: the next batch starts at {@code position} of {@code epoch}'s order. */
    public record State(long seed, int epoch, int position) {}

    private final ArrayDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int[] order;
    private int epoch;
    private int position;

    public DataLoader(ArrayDataset data, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (data == null) throw new IllegalArgumentException("data = null: expected a dataset");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + ": expected >= 1");
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.order = new int[data.size()];
        startEpoch(0);
    }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public State state() {
        return new State(seed, epoch, position);
    }

    /** Resumes at a saved state of a loader over the same dataset with the same seed. */
    public void restore(State s) {
        if (s.seed() != seed) {
            throw new IllegalArgumentException("state seed = " + s.seed() + ": this loader's seed is " + seed);
        }
        if (s.epoch() < 0 || s.position() < 0 || s.position() > data.size()) {
            throw new IllegalArgumentException("state " + s + ": expected epoch >= 0 and 0 <= position <= " + data.size());
        }
        startEpoch(s.epoch());
        position = s.position();
    }

    /** True while the current epoch has another batch. */
    public boolean hasNext() {
        int left = data.size() - position;
        return dropLast ? left >= batchSize : left > 0;
    }

    /**
     * Fills the next batch: {@code x} gets {@code rows * exampleSize} features, {@code y} the
     * labels; returns the number of rows (batchSize, or less for a kept last batch).
     *
     * @throws java.util.NoSuchElementException at the end of the epoch; call {@link #nextEpoch()}
     */
    public int next(float[] x, float[] y) {
        if (!hasNext()) throw new java.util.NoSuchElementException("epoch " + epoch + " is over: call nextEpoch()");
        int rows = Math.min(batchSize, data.size() - position);
        int size = data.exampleSize();
        if (x.length < rows * size || y.length < rows) {
            throw new IllegalArgumentException("x.length = " + x.length + ", y.length = " + y.length
                    + ": expected at least " + rows * size + " and " + rows);
        }
        for (int r = 0; r < rows; r++) {
            int i = order[position + r];
            data.copyFeatures(i, x, r * size);
            y[r] = data.label(i);
        }
        position += rows;
        return rows;
    }

    /**
     * The next batch's example indices instead of its data (for a dataset kept on a device, where
     * the batch is gathered there): writes them to {@code into[intoOff, intoOff + rows)} and returns
     * {@code rows}, advancing as {@link #next} does.
     *
     * @throws java.util.NoSuchElementException at the end of the epoch; call {@link #nextEpoch()}
     */
    public int nextIndices(int[] into, int intoOff) {
        if (!hasNext()) throw new java.util.NoSuchElementException("epoch " + epoch + " is over: call nextEpoch()");
        int rows = Math.min(batchSize, data.size() - position);
        if (intoOff < 0 || into.length - intoOff < rows) {
            throw new IllegalArgumentException("into.length = " + into.length + ", intoOff = " + intoOff + ": expected room for " + rows);
        }
        System.arraycopy(order, position, into, intoOff, rows);
        position += rows;
        return rows;
    }

    /** Moves to the start of the next epoch, with its own permutation. */
    public void nextEpoch() {
        startEpoch(epoch + 1);
    }

    public int epoch() {
        return epoch;
    }

    /** SplitMix64's finaliser: a bijective scramble of 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void startEpoch(int e) {
        epoch = e;
        position = 0;
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) {
            // Fisher-Yates driven by SplitMix64 seeded from (seed, epoch): a pure function of both,
            // so a restored loader draws the same order without saving any generator state.
            long s = mix(mix(seed) + e);
            for (int i = order.length - 1; i > 0; i--) {
                s += 0x9E3779B97F4A7C15L;
                int j = (int) Math.floorMod(mix(s), (long) (i + 1));
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }
}
