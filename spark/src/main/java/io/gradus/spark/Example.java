package io.gradus.spark;

import io.gradus.core.data.ArrayDataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /**
     * Every example of an in-memory dataset, in order, for {@code spark.parallelize(Example.all(data),
     * partitions)} (the partitions then hold consecutive examples, as {@link SparkTrainer} counts them).
     */
    public static List<Example> all(ArrayDataset data) {
        if (data == null) throw new IllegalArgumentException("data = null: expected a dataset");
        List<Example> out = new ArrayList<>(data.size());
        int size = data.exampleSize();
        for (int i = 0; i < data.size(); i++) {
            float[] x = new float[size];
            data.copyFeatures(i, x, 0);
            out.add(new Example(x, data.label(i)));
        }
        return out;
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
