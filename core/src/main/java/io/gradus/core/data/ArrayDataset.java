package io.gradus.core.data;

import java.util.Arrays;

/**
 * Examples held in memory: {@code size} examples of shape {@code exampleShape} stored row after
 * row in one {@code float[]}, and one label per example (a regression target, or a class index
 * stored exactly as a float).
 */
public final class ArrayDataset {

    private final float[] features;
    private final int[] exampleShape;
    private final int exampleSize;
    private final float[] labels;

    /**
     * @param features     {@code labels.length * product(exampleShape)} values, example-major
     * @param exampleShape the shape of one example, e.g. {@code [5]} or {@code [1, 28, 28]}
     * @param labels       one label per example
     */
    public ArrayDataset(float[] features, int[] exampleShape, float[] labels) {
        if (features == null || labels == null || exampleShape == null) {
            throw new IllegalArgumentException("features, exampleShape and labels must not be null");
        }
        int size = 1;
        for (int d : exampleShape) {
            if (d < 1) throw new IllegalArgumentException("exampleShape = " + Arrays.toString(exampleShape)
                    + ": expected dimensions >= 1");
            size = Math.multiplyExact(size, d);
        }
        if ((long) size * labels.length != features.length) {
            throw new IllegalArgumentException("features has " + features.length + " values, expected "
                    + labels.length + " examples x " + size + " (exampleShape " + Arrays.toString(exampleShape) + ")");
        }
        this.features = features;
        this.exampleShape = exampleShape.clone();
        this.exampleSize = size;
        this.labels = labels;
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    public int[] exampleShape() {
        return exampleShape.clone();
    }

    /** Values per example. */
    public int exampleSize() {
        return exampleSize;
    }

    /** The features of example {@code i}, copied into {@code dst} at {@code dstOff}. */
    public void copyFeatures(int i, float[] dst, int dstOff) {
        System.arraycopy(features, i * exampleSize, dst, dstOff, exampleSize);
    }

    /** Feature {@code j} of example {@code i}. */
    public float feature(int i, int j) {
        return features[i * exampleSize + j];
    }

    public float label(int i) {
        return labels[i];
    }

    /** The first {@code n} examples (copies), e.g. a quick-test subset. */
    public ArrayDataset head(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("n = " + n + ": expected 0 <= n <= " + size());
        }
        return new ArrayDataset(Arrays.copyOf(features, n * exampleSize), exampleShape, Arrays.copyOf(labels, n));
    }
}
