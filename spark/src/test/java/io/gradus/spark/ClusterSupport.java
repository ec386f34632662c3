package io.gradus.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;

/** Settings for Spark masters whose executors are separate JVMs started from this test's class path. */
final class ClusterSupport {
    private ClusterSupport() {}

    /**
     * {@code local-cluster[2,1,1024]}: two executors of one core and 1 GiB. Each runs Gradus on one
     * thread ({@code -Dgradus.threads=1}: its core), with the class path of this JVM and the
     * dataset directory the tests use. SPARK_HOME (set by the pom) must exist with a {@code jars/}.
     */
    static SparkConf localCluster(String app) {
        String home = System.getenv("SPARK_HOME");
        if (home == null) throw new IllegalStateException("SPARK_HOME is not set: the spark module's pom sets it for its tests");
        try {
            Files.createDirectories(Path.of(home, "jars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String data = System.getProperty("gradus.data", "");
        return new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", "-Dgradus.threads=1 -Dgradus.data=" + data);
    }
}
