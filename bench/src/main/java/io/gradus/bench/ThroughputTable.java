package io.gradus.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Prints the table of sections 11.5.1-11.5.2 as the book does:
 * <pre>
 * Performance in Gigaflops: element X, column Y, full Z
 * Performance in Gigaflops: block W
 * </pre>
 * measured with JMH ({@link ThroughputBench}, n = 1024). GFLOPS count the exact {@code 2 n^3}
 * flops (the book divides 2 by the seconds, about 7% less). Arguments are JMH's own options (for
 * example {@code -i 10} for more iterations); the raw JMH JSON goes to
 * {@code target/throughput-table.json} unless {@code -Dgradus.bench.json=PATH} says otherwise.
 */
public final class ThroughputTable {

    private ThroughputTable() {}

    /**
     * The measured table: GFLOPS of each way (median over JMH's samples) and the lines to print,
     * the book's two first, then one line per way with its spread.
     */
    public record Table(double element, double column, double block, double full, List<String> lines) {}

    public static void main(String[] args) throws Exception {
        Path json = Path.of(System.getProperty("gradus.bench.json", "target/throughput-table.json"));
        System.out.println("Measuring A = B C for n = " + ThroughputBench.N
                + " four ways with JMH (element, column, block of " + ThroughputBench.BLOCK
                + " columns, full); this takes about half a minute...");
        for (String line : measure(args, json).lines()) System.out.println(line);
        System.out.println("  raw JMH results: " + json.toAbsolutePath());
    }

    /**
     * Runs {@link ThroughputBench} with JMH: {@code jmhArgs} are JMH's own options (defaults: 2
     * warmup and 5 measurement iterations of 1 s, one fork); the raw JSON goes to {@code json}.
     */
    public static Table measure(String[] jmhArgs, Path json) throws Exception {
        var defaults = new JmhRuns.Defaults(ThroughputBench.class.getName(), 2, 5, 1, 1, VerboseMode.SILENT);
        List<JmhRuns.Measurement> ms = JmhRuns.run(jmhArgs, defaults, json);
        java.util.Map<String, JmhRuns.Measurement> byMode = new java.util.HashMap<>();
        for (JmhRuns.Measurement m : ms) byMode.put(m.params().get("mode"), m);
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Performance in Gigaflops: element %.3f, column %.3f, full %.3f",
                gflops(byMode, "element"), gflops(byMode, "column"), gflops(byMode, "full")));
        lines.add(String.format(Locale.ROOT, "Performance in Gigaflops: block %.3f", gflops(byMode, "block")));
        for (String mode : new String[] {"element", "column", "block", "full"}) {
            JmhRuns.Measurement m = byMode.get(mode);
            if (m == null) continue;
            double flops = ThroughputBench.flops(mode);
            lines.add(String.format(Locale.ROOT,
                    "  %-7s median %9.3f ms/op = %8.3f GFLOPS (range %.3f-%.3f GFLOPS over %d samples)",
                    mode, m.medianMs(), m.gflops(flops), m.gflopsAt(flops, m.maxMs()), m.gflopsAt(flops, m.minMs()), m.samples()));
        }
        return new Table(gflops(byMode, "element"), gflops(byMode, "column"), gflops(byMode, "block"),
                gflops(byMode, "full"), List.copyOf(lines));
    }

    private static double gflops(java.util.Map<String, JmhRuns.Measurement> byMode, String mode) {
        JmhRuns.Measurement m = byMode.get(mode);
        return m == null ? Double.NaN : m.gflops(ThroughputBench.flops(mode));
    }
}
