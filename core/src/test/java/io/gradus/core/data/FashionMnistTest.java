package io.gradus.core.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real Fashion-MNIST files (.ci/run installs Debian's dataset-fashion-mnist). Checked against
 * the dataset's published facts: 60,000 + 10,000 images, pixel mean 0.2860 and standard deviation
 * 0.3530 over the training set, the first training and test images both ankle boots (class 9).
 */
class FashionMnistTest {

    @Test
    void trainAndTestSetsHaveThePublishedShapeAndStatistics() throws Exception {
        DataHub hub = DataHub.fromEnvironment();
        ArrayDataset train = FashionMnist.train(hub);
        ArrayDataset test = FashionMnist.test(hub);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.exampleShape());
        assertEquals(9f, train.label(0));
        assertEquals(9f, test.label(0));
        double sum = 0, sumSq = 0;
        int[] perClass = new int[10];
        float[] image = new float[784];
        for (int i = 0; i < train.size(); i++) {
            train.copyFeatures(i, image, 0);
            for (float v : image) {
                assertTrue(v >= 0f && v <= 1f);
                sum += v;
                sumSq += v * v;
            }
            perClass[(int) train.label(i)]++;
        }
        double n = 60_000.0 * 784;
        double mean = sum / n;
        assertEquals(0.2860, mean, 5e-4);
        assertEquals(0.3530, Math.sqrt(sumSq / n - mean * mean), 5e-4);
        for (int c = 0; c < 10; c++) assertEquals(6000, perClass[c], "class " + c + " is balanced");
    }
}
