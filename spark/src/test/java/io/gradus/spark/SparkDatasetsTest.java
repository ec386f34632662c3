package io.gradus.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataHub;
import io.gradus.core.data.FashionMnist;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The datasets read by the executors from a Hadoop path are core's single-machine datasets. */
class SparkDatasetsTest {

    static JavaSparkContext spark;
    static DataHub hub;

    @BeforeAll
    static void start() {
        hub = DataHub.fromEnvironment();
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("gradus-datasets-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void airfoilFromAHadoopPathIsCoresAirfoil() throws Exception {
        ArrayDataset expected = Airfoil.load(hub);
        Path file = hub.locate(Airfoil.FILE);
        for (int partitions : new int[] {1, 3}) {
            List<Example> got = SparkDatasets.airfoil(spark, file.toUri().toString(), partitions).collect();
            assertEquals(Airfoil.KEPT, got.size());
            double worst = 0;
            for (int i = 0; i < got.size(); i++) {
                float[] x = new float[5];
                expected.copyFeatures(i, x, 0);
                for (int j = 0; j < 5; j++) worst = Math.max(worst, Math.abs(x[j] - got.get(i).features()[j]) / Math.ulp(Math.max(1f, Math.abs(x[j]))));
                worst = Math.max(worst, Math.abs(expected.label(i) - got.get(i).label()) / Math.ulp(Math.max(1f, Math.abs(expected.label(i)))));
            }
            assertTrue(worst <= 1, partitions + " partitions: a value " + worst + " units in the last place from core's");
        }
    }

    @Test
    void fashionMnistFromAHadoopPathIsCoresFashionMnist() throws Exception {
        ArrayDataset expected = FashionMnist.test(hub);
        String dir = hub.locate(FashionMnist.TEST_IMAGES).getParent().toUri().toString();
        List<Example> got = SparkDatasets.fashionMnist(spark, dir, false, 3).collect();
        assertEquals(expected.size(), got.size());
        float[] x = new float[784];
        for (int i : new int[] {0, 1, 3332, 3333, 3334, 6666, 6667, 9999}) {
            expected.copyFeatures(i, x, 0);
            assertArrayEquals(x, got.get(i).features(), "image " + i);
            assertEquals(expected.label(i), got.get(i).label(), "label " + i);
        }
        for (int i = 0; i < got.size(); i++) assertEquals(expected.label(i), got.get(i).label(), "label " + i);
    }

    @Test
    void aMissingPathIsNamedBeforeAnyJob() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> SparkDatasets.airfoil(spark, "file:/nonexistent/gradus/airfoil_self_noise.dat", 2));
        assertTrue(e.getMessage().contains("/nonexistent/gradus/airfoil_self_noise.dat") && e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(FileNotFoundException.class, () -> SparkDatasets.fashionMnist(spark, "file:/nonexistent/fmnist", true, 2));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }
}
