package io.gradus.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training example as an RDD carries it: its features (flattened row-major, as the
 * {@link Recipe}'s example shape says) and its label (a regression target, or a class index for a
 * classifier).
 *
 * @param features the example's features; not copied, so do not change them once in an RDD
 * @param label    the target value or class index
 */
public record Example(float[] features, float label) implements Serializable {

    public Example {
        if (features == null) throw new IllegalArgumentException("features = null: expected an array of the example's values");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && Float.compare(label, e.label) == 0 && Arrays.equals(features, e.features);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Float.hashCode(label);
    }

    @Override
    public String toString() {
        return "Example[" + features.length + " features, label " + label + "]";
    }
}
