package io.gradus.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.DataHub;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed (SIGKILL) in the middle of a run resumes from its last checkpoint when started
 * again, and ends at the parameters of a run that was never stopped.
 */
class DriverKillTest {

    static Process driver(Path checkpoints, long rounds, Path out, long sleepMs, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(Arrays.asList(System.getProperty("gradus.spark.jvm.flags").trim().split("\\s+")));
        cmd.addAll(List.of("-Dgradus.data=" + System.getProperty("gradus.data", ""), "-cp", System.getProperty("java.class.path"),
                DriverMain.class.getName(), checkpoints.toUri().toString(), Long.toString(rounds), out.toString(), Long.toString(sleepMs)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aKilledDriverResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("ckpt"), out = dir.resolve("params.bin");
        Process first = driver(checkpoints, 60, out, 100, dir.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!hasCheckpoint(checkpoints) && first.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(first.isAlive(), "the first driver still runs when its first checkpoint appears: " + Files.readString(dir.resolve("first.log")));
        first.destroyForcibly().waitFor(); // SIGKILL
        assertFalse(Files.exists(out), "the killed driver never finished");

        Process second = driver(checkpoints, 60, out, 0, dir.resolve("second.log"));
        assertTrue(second.waitFor(300, TimeUnit.SECONDS), "the resumed driver finishes");
        String log = Files.readString(dir.resolve("second.log"));
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains("resumed from") && log.contains("after round"), log);

        float[] unbroken;
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("gradus-unbroken")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            SparkTrainer t = SparkTrainer.builder(spark, LocalSparkTest.adamAirfoil()).synchronous(10).seed(21).build();
            t.fit(spark.parallelize(LocalSparkTest.examples(Airfoil.load(DataHub.fromEnvironment())), 2), 60);
            unbroken = t.params().values();
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out));
        float[] resumed = new float[b.remaining() / 4];
        for (int i = 0; i < resumed.length; i++) resumed[i] = b.getFloat();
        assertArrayEquals(unbroken, resumed);
    }

    private static boolean hasCheckpoint(Path dir) {
        File[] files = dir.toFile().listFiles((d, name) -> name.startsWith("round-") && name.endsWith(".gradus"));
        return files != null && files.length > 0;
    }
}
