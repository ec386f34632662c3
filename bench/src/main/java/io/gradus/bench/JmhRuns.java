package io.gradus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs JMH from a main method with JMH's own command-line options layered over the defaults a
 * report chooses, and keeps the raw JSON next to the printed figures. The JSON is written to a
 * temporary file and renamed, so an interrupted run never leaves half a file.
 */
final class JmhRuns {
    private JmhRuns() {}

    /** One measured configuration: its JMH parameters and the time per operation in ms. */
    record Measurement(String benchmark, java.util.Map<String, String> params, double medianMs,
                       double minMs, double maxMs, int samples) {
        double gflops(double flops) {
            return flops / (medianMs * 1e6);
        }

        double gflopsAt(double flops, double ms) {
            return flops / (ms * 1e6);
        }
    }

    /**
     * What a report runs when its command line does not say otherwise.
     *
     * @param include              regex of the benchmarks
     * @param warmupIterations     warm-up iterations per fork
     * @param measurementIterations measured iterations per fork
     * @param seconds              length of every iteration
     * @param forks                JVM forks per configuration
     * @param verbosity            JMH's console output
     */
    record Defaults(String include, int warmupIterations, int measurementIterations, int seconds, int forks,
                    VerboseMode verbosity) {}

    static List<Measurement> run(String[] args, Defaults defaults, Path json)
            throws RunnerException, CommandLineOptionException, java.io.IOException {
        CommandLineOptions cli = new CommandLineOptions(args);
        // JMH lets a builder's own settings override its parent's: the command line is the parent,
        // and each default is set here only where the command line left it unset.
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(defaults.include());
        if (!cli.getWarmupIterations().hasValue()) options.warmupIterations(defaults.warmupIterations());
        if (!cli.getMeasurementIterations().hasValue()) options.measurementIterations(defaults.measurementIterations());
        if (!cli.getWarmupTime().hasValue()) options.warmupTime(TimeValue.seconds(defaults.seconds()));
        if (!cli.getMeasurementTime().hasValue()) options.measurementTime(TimeValue.seconds(defaults.seconds()));
        if (!cli.getForkCount().hasValue()) options.forks(defaults.forks());
        if (!cli.verbosity().hasValue()) options.verbosity(defaults.verbosity());
        Path tmp = json == null ? null : json.resolveSibling(json.getFileName() + ".tmp");
        if (json != null && !cli.getResult().hasValue()) {
            Files.createDirectories(json.toAbsolutePath().getParent());
            options.resultFormat(ResultFormatType.JSON).result(tmp.toString());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        if (json != null && Files.exists(tmp)) {
            Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        List<Measurement> out = new ArrayList<>();
        for (RunResult r : results) {
            var stats = r.getPrimaryResult().getStatistics();
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            String name = r.getParams().getBenchmark();
            out.add(new Measurement(name.substring(name.lastIndexOf('.') + 1), params,
                    stats.getPercentile(50), stats.getMin(), stats.getMax(), (int) stats.getN()));
        }
        return out;
    }
}
