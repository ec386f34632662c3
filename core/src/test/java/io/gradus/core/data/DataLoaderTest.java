package io.gradus.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {

    /** 10 examples of 2 features: example i is (i, -i) with label 100 + i. */
    static ArrayDataset tenExamples() {
        float[] x = new float[20], y = new float[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = 100 + i;
        }
        return new ArrayDataset(x, new int[] {2}, y);
    }

    static List<Integer> epochOrder(DataLoader loader) {
        List<Integer> seen = new ArrayList<>();
        float[] x = new float[8], y = new float[4];
        while (loader.hasNext()) {
            int rows = loader.next(x, y);
            for (int r = 0; r < rows; r++) {
                assertEquals(y[r] - 100, x[2 * r], "features and label travel together");
                assertEquals(100 - y[r], x[2 * r + 1]);
                seen.add((int) (y[r] - 100));
            }
        }
        return seen;
    }

    @Test
    void eachEpochIsAFreshPermutationWithoutReplacement() {
        DataLoader loader = new DataLoader(tenExamples(), 4, true, false, 42);
        assertEquals(3, loader.batchesPerEpoch());
        List<Integer> first = epochOrder(loader);
        loader.nextEpoch();
        List<Integer> second = epochOrder(loader);
        List<Integer> sorted = new ArrayList<>(first);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted, "every example exactly once");
        assertNotEquals(first, second, "a new order each epoch");
        assertEquals(first, epochOrder(new DataLoader(tenExamples(), 4, true, false, 42)), "same seed, same order");
        assertNotEquals(first, epochOrder(new DataLoader(tenExamples(), 4, true, false, 43)), "another seed, another order");
    }

    @Test
    void lastPartialBatchIsKeptOrDropped() {
        DataLoader keep = new DataLoader(tenExamples(), 4, false, false, 1);
        float[] x = new float[8], y = new float[4];
        assertEquals(4, keep.next(x, y));
        assertEquals(4, keep.next(x, y));
        assertEquals(2, keep.next(x, y));
        assertFalse(keep.hasNext());
        assertThrows(java.util.NoSuchElementException.class, () -> keep.next(x, y));
        DataLoader drop = new DataLoader(tenExamples(), 4, false, true, 1);
        assertEquals(2, drop.batchesPerEpoch());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), epochOrder(drop));
    }

    @Test
    void restoredStateContinuesExactly() {
        DataLoader a = new DataLoader(tenExamples(), 3, true, false, 7);
        a.nextEpoch();
        float[] x = new float[6], y = new float[3];
        a.next(x, y);
        DataLoader.State saved = a.state();
        List<Integer> rest = epochOrder(a);
        a.nextEpoch();
        List<Integer> next = epochOrder(a);

        DataLoader b = new DataLoader(tenExamples(), 3, true, false, 7);
        b.restore(saved);
        assertEquals(rest, epochOrder(b));
        b.nextEpoch();
        assertEquals(next, epochOrder(b));

        var e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(tenExamples(), 3, true, false, 8).restore(saved));
        assertEquals("state seed = 7: this loader's seed is 8", e.getMessage());
    }

    @Test
    void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(tenExamples(), 0, true, false, 1));
        assertEquals("batchSize = 0: expected >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ArrayDataset(new float[5], new int[] {2}, new float[3]));
        assertEquals("features has 5 values, expected 3 examples x 2 (exampleShape [2])", e.getMessage());
        assertEquals(Arrays.toString(new float[] {0, 0, 1, -1}), Arrays.toString(
                Arrays.copyOf(tenExamplesHead(), 4)));
    }

    static float[] tenExamplesHead() {
        ArrayDataset head = tenExamples().head(2);
        float[] x = new float[4];
        head.copyFeatures(0, x, 0);
        head.copyFeatures(1, x, 2);
        return x;
    }
}
