package io.gradus.spark.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * The Spark settings of the examples and benchmarks for a master URL: {@code local[N]} (tasks as
 * threads of this JVM), {@code local-cluster[E,C,M]} (a standalone master and worker in this JVM
 * that launch E executor JVMs of C cores and M MiB each, as a cluster would), or a cluster's URL
 * ({@code spark://host:7077}, {@code yarn}, {@code k8s://...}), for which nothing is added.
 */
final class SparkSetup {
    private SparkSetup() {}

    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    static SparkConf conf(String master, String app) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(app).set("spark.ui.enabled", "false");
        Matcher m = LOCAL_CLUSTER.matcher(master);
        if (master.startsWith("local")) conf.set("spark.driver.host", "127.0.0.1");
        if (m.matches()) {
            // The worker launches executors with Spark's launcher, which wants SPARK_HOME/jars (empty is fine:
            // the class path is this JVM's) and SPARK_SCALA_VERSION; the -Prun profile sets both.
            String home = System.getenv("SPARK_HOME");
            if (home == null || System.getenv("SPARK_SCALA_VERSION") == null) {
                throw new IllegalStateException("master " + master + " launches executor JVMs: set SPARK_HOME (a directory; its jars/ may be"
                        + " empty) and SPARK_SCALA_VERSION=2.13 in the environment (the spark-examples -Prun profile does)");
            }
            try {
                Files.createDirectories(Path.of(home, "jars"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    // one Gradus thread per executor core
                    .set("spark.executor.extraJavaOptions", "-Dgradus.threads=" + m.group(2) + " -Dgradus.data=" + System.getProperty("gradus.data", ""));
        }
        return conf;
    }

    /** Executor cores a master URL gives (local[N]: N; local-cluster[E,C,M]: E x C), or 0 when it does not say. */
    static int cores(String master) {
        Matcher m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) return Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
        Matcher local = Pattern.compile("local\\[(\\d+)(,\\d+)?]").matcher(master);
        if (local.matches()) return Integer.parseInt(local.group(1));
        if (master.equals("local")) return 1;
        if (master.startsWith("local[*")) return Runtime.getRuntime().availableProcessors();
        return 0;
    }
}
