package io.gradus.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link GemmBench} and prints GFLOPS ({@code 2 n^3} per product) for every library, size
 * and thread count, with Gradus's ratio to each peer measured in the same run. Arguments are
 * JMH's own (e.g. {@code -p n=1024,2048 -p threads=1 -prof gc}); the raw JSON goes to
 * {@code -Dgradus.bench.json} (default {@code target/gemm-bench.json}).
 */
public final class GemmReport {

    private GemmReport() {}

    public static void main(String[] args) throws Exception {
        Path json = Path.of(System.getProperty("gradus.bench.json", "target/gemm-bench.json"));
        // GemmBench's annotations set the iterations; these are the same, for the record.
        var defaults = new JmhRuns.Defaults(GemmBench.class.getName(), 3, 5, 1, 1, VerboseMode.NORMAL);
        List<JmhRuns.Measurement> ms = JmhRuns.run(args, defaults, json);
        // (threads, n) -> library -> measurement
        Map<String, Map<String, JmhRuns.Measurement>> table = new TreeMap<>();
        for (JmhRuns.Measurement m : ms) {
            String key = String.format(Locale.ROOT, "%s threads, n = %4d", m.params().get("threads"),
                    Integer.parseInt(m.params().get("n")));
            table.computeIfAbsent(key, k -> new TreeMap<>()).put(m.benchmark(), m);
        }
        System.out.println();
        System.out.println("SGEMM, GFLOPS (median; min-max over iterations), Gradus / peer in the same run");
        for (var row : table.entrySet()) {
            JmhRuns.Measurement any = row.getValue().values().iterator().next();
            int n = Integer.parseInt(any.params().get("n"));
            double flops = 2.0 * n * n * n;
            JmhRuns.Measurement gradus = row.getValue().get("gradus");
            StringBuilder line = new StringBuilder(row.getKey());
            for (var lib : row.getValue().entrySet()) {
                JmhRuns.Measurement m = lib.getValue();
                line.append(String.format(Locale.ROOT, " | %s %.1f (%.1f-%.1f)", lib.getKey(), m.gflops(flops),
                        m.gflopsAt(flops, m.maxMs()), m.gflopsAt(flops, m.minMs())));
                if (gradus != null && m != gradus) {
                    line.append(String.format(Locale.ROOT, " x%.1f", m.medianMs() / gradus.medianMs()));
                }
            }
            System.out.println(line);
        }
        System.out.println("raw JMH results: " + json.toAbsolutePath());
    }
}
