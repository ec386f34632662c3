package io.gradus.spark;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.DataHub;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A driver program for {@link DriverKillTest}: trains the airfoil model synchronously on
 * {@code local[2]} with checkpoints every 10 rounds in {@code args[0]}, for {@code args[1]} rounds,
 * sleeping {@code args[3]} ms after each round (so that the test can kill it in the middle), and
 * writes the final parameters to {@code args[2]} (big-endian floats, renamed into place).
 */
public final class DriverMain {
    private DriverMain() {}

    public static void main(String[] args) throws Exception {
        String checkpoints = args[0];
        long rounds = Long.parseLong(args[1]);
        Path out = Path.of(args[2]);
        long sleepMs = Long.parseLong(args[3]);
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("gradus-driver")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            SparkTrainer trainer = SparkTrainer.builder(spark, LocalSparkTest.adamAirfoil()).synchronous(10).seed(21)
                    .checkpoints(checkpoints, 10)
                    .progress(r -> {
                        try {
                            Thread.sleep(sleepMs);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }).build();
            trainer.fit(spark.parallelize(LocalSparkTest.examples(Airfoil.load(DataHub.fromEnvironment())), 2), rounds);
            float[] v = trainer.params().values();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length);
            for (float f : v) b.putFloat(f);
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "params", ".tmp");
            Files.write(tmp, b.array());
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
