package io.gradus.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradus.bench.OptimizerBench;
import io.gradus.bench.ThroughputBench;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code bench/results/} as {@code bench/report/README.md} and PNG figures: every figure
 * beside its peers, each captioned with its machine, JDK, date, the command that measured it and
 * the raw files its numbers come from. Only raw files are read ({@link ResultFiles}); which folder
 * feeds which figure is {@link Manifest}.
 *
 * <p>Usage: {@code BenchReport [RESULTS_DIR [OUT_DIR]]}, by default {@code bench/results} and
 * {@code bench/report} (or {@code results} and {@code report} when run from {@code bench/}).
 * Files are written to a temporary name, then renamed.
 */
public final class BenchReport {

    /** One figure: its file, title, the Markdown under it (caption and table), the chart. */
    record Figure(String name, String title, String markdown, Chart<?, ?> chart) {}

    private final Path results;
    private final List<Figure> figures = new ArrayList<>();

    BenchReport(Path results) {
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : Files.isDirectory(Path.of("bench/results")) ? "bench/results" : "results");
        Path out = Path.of(args.length > 1 ? args[1] : results.resolveSibling("report").toString());
        if (!Files.isDirectory(results)) {
            throw new IllegalArgumentException("results directory = " + results.toAbsolutePath() + ": expected bench/results");
        }
        BenchReport report = new BenchReport(results);
        report.build();
        report.write(out);
        System.out.println("Wrote " + out.resolve("README.md").toAbsolutePath() + " and " + report.figures.size() + " figures");
    }

    /**
     * The last full set of alternating rounds of issue 25's targets (SGEMM, streaming steps, LeNet
     * against their peers, both PyTorch peers timed over 10 s as JMH does): six rounds on the
     * Zen 5 guest (the issue's kind) of the code that gives every AMD tile the tile order
     * {@code a-major-later-passes}, with 8390754's kernels in the same rounds; drawn by the
     * streaming and LeNet figures, listed as older under the SGEMM one. KERNELS.md tables every set.
     */
    static final String KERNEL_ROUNDS = "2026-12-07-amd-later-passes-zen5";

    /**
     * SGEMM against OpenBLAS: the two paired sets of the same code on the same guest (n = 2048 and
     * n = 1024), each Gradus run about a minute from its peer, which goes first alternating. In the
     * full rounds of {@link #KERNEL_ROUNDS} a Gradus figure lies minutes from its peer, and that
     * guest changes speed from one minute to the next (KERNELS.md, "Pairing within a minute").
     * Every earlier set is listed as older ({@link Manifest}).
     */
    static final List<String> SGEMM_ROUNDS = List.of("2026-12-07-pairs-2048-zen5", "2026-12-07-pairs-1024-zen5");

    /** The streaming steps against PyTorch: {@link #KERNEL_ROUNDS}. */
    static final String STREAMING_ROUNDS = KERNEL_ROUNDS;

    /** LeNet's step against PyTorch: {@link #KERNEL_ROUNDS}. */
    static final String LENET_ROUNDS = KERNEL_ROUNDS;

    /**
     * The device check drawn in the device figure and the device column of 11.5's table: the first
     * run on a GPU (an H200, with PyTorch's peers in the same run); the pocl runs are older.
     */
    static final String DEVICE_CHECK = "2026-12-04-sgemm-16-cores/device-check";

    /** The script that ran most later sets of rounds, each into its own folder through {@code OUT_DIR}. */
    static final String SHARED_ROUNDS_SCRIPT = "bench/results/2026-12-03-kernels-zen5-rowblocks/run_rounds.sh";

    /**
     * How a folder's rounds were run: its own {@code run_pairs.sh} or {@code run_rounds.sh}, else the
     * shared script with {@code OUT_DIR} (the folder's README has the exact lines).
     */
    private String roundsCommand(String folder) {
        for (String script : new String[] {"run_pairs.sh", "run_rounds.sh"}) {
            if (Files.exists(results.resolve(folder).resolve(script))) {
                return "`bash bench/results/" + folder + "/" + script + " CLASSPATH`";
            }
        }
        return "`OUT_DIR=bench/results/" + folder + " bash " + SHARED_ROUNDS_SCRIPT + " CLASSPATH`";
    }

    /** Reads the source folders of {@link Manifest} and builds every figure. */
    void build() {
        sgemmAgainstN("2026-12-03-sgemm-sweep-zen4");
        sgemmAgainstOpenBlas(SGEMM_ROUNDS);
        throughputTable("2026-11-29-foundation", DEVICE_CHECK);
        optimizerSteps("2026-11-30-optim-units");
        optimizerStepsAgainstPyTorch(STREAMING_ROUNDS);
        lenet(LENET_ROUNDS);
        device(DEVICE_CHECK);
    }

    List<Figure> figures() {
        return figures;
    }

    // ---- figures -------------------------------------------------------------------------------

    /**
     * SGEMM GFLOPS against n at 1 and 2 threads: Gradus natively and under -XX:UseAVX=2, EJML,
     * ojAlgo, a naive loop, and OpenBLAS at its fastest core type for each n (named in the table).
     */
    private void sgemmAgainstN(String folder) {
        Path dir = results.resolve(folder);
        Path json = ResultFiles.stored(dir.resolve("gemm-sweep.json")), avx2 = ResultFiles.stored(dir.resolve("gemm-sweep-avx2.json")),
                peer = ResultFiles.stored(dir.resolve("openblas-sweep.json"));
        List<ResultFiles.Jmh> runs = new ArrayList<>(ResultFiles.jmh(json));
        List<ResultFiles.Jmh> avx2Runs = ResultFiles.jmh(avx2);
        List<ResultFiles.OpenBlas> blas = ResultFiles.openBlasJson(peer);
        StringBuilder table = new StringBuilder("| library | threads | n | GFLOPS |\n|---|---|---|---|\n");
        String caption = caption(folder, runs, "`bash bench/results/" + folder + "/run.sh CLASSPATH` (JMH `GemmBench`, once natively and once "
                + "for Gradus under `-XX:UseAVX=2`; `bench/peers/openblas_sgemm.py` at every core type), one round", List.of(json, avx2, peer));
        for (int threads : new int[] {1, 2}) {
            XYChart chart = new XYChartBuilder().width(1000).height(480).title("SGEMM, " + threads + (threads == 1 ? " thread" : " threads"))
                    .xAxisTitle("n (square matrices)").yAxisTitle("GFLOPS").build();
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            String[][] lines = {{"gradus", "Gradus"}, {"avx2", "Gradus -XX:UseAVX=2"}, {"ejml", "EJML"}, {"ojalgo", "ojAlgo"}, {"naiveIkj", "naive loop (i-k-j)"}};
            for (String[] line : lines) {
                TreeMap<Integer, Double> points = new TreeMap<>();
                List<ResultFiles.Jmh> source = line[0].equals("avx2") ? avx2Runs : runs;
                String benchmark = line[0].equals("avx2") ? "gradus" : line[0];
                for (ResultFiles.Jmh r : source) {
                    if (r.benchmark().equals(benchmark) && Integer.parseInt(r.param("threads")) == threads) {
                        int n = Integer.parseInt(r.param("n"));
                        points.put(n, gflops(n, r.ms()));
                    }
                }
                if (points.isEmpty()) continue;
                addLine(chart, line[1], points);
                points.forEach((n, g) -> table.append(row(line[1], threads, n, fmt(g))));
            }
            // OpenBLAS: the fastest core type at each n, named in the table.
            TreeMap<Integer, ResultFiles.OpenBlas> fastest = new TreeMap<>();
            for (ResultFiles.OpenBlas b : blas) {
                if (b.threads() == threads && (!fastest.containsKey(b.n()) || b.gflops() > fastest.get(b.n()).gflops())) fastest.put(b.n(), b);
            }
            if (!fastest.isEmpty()) {
                TreeMap<Integer, Double> points = new TreeMap<>();
                fastest.forEach((n, b) -> points.put(n, b.gflops()));
                addLine(chart, "OpenBLAS, fastest core type", points);
                fastest.forEach((n, b) -> table.append(row("OpenBLAS " + b.coreType(), threads, n, fmt(b.gflops()))));
            }
            figures.add(new Figure("sgemm-against-n-" + threads + "t", "SGEMM against n, " + threads + (threads == 1 ? " thread" : " threads"),
                    threads == 1 ? caption : caption + "\n" + table, chart));
        }
    }

    /**
     * Issue 25's rounds: Gradus natively, under -XX:UseAVX=2 and, where the folder has it, with the
     * fallback blocking, beside the fastest OpenBLAS core type.
     */
    private void sgemmAgainstOpenBlas(List<String> folders) {
        // The folders' rounds pooled: each (n, threads) point may come from one folder or several.
        Map<String, List<ResultFiles.Jmh>> paths = new LinkedHashMap<>();
        List<Path> blasFiles = new ArrayList<>(), gemmFiles = new ArrayList<>();
        for (String folder : folders) {
            Path dir = results.resolve(folder);
            for (String path : new String[] {"native", "avx2", "fallback"}) {
                paths.computeIfAbsent(path, p -> new ArrayList<>()).addAll(jmhRounds(dir, "gemm-" + path + "-"));
            }
            blasFiles.addAll(files(dir, f -> f.startsWith("openblas-") && ResultFiles.isJson(f)));
            gemmFiles.addAll(files(dir, f -> f.startsWith("gemm-") && !f.startsWith("gemm-before-") && ResultFiles.isJson(f)));
        }
        List<ResultFiles.OpenBlas> blas = new ArrayList<>();
        blasFiles.forEach(f -> blas.addAll(ResultFiles.openBlasJson(f)));
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title("SGEMM against OpenBLAS's fastest core type (medians over rounds)")
                .xAxisTitle("n, threads").yAxisTitle("GFLOPS").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> categories = new ArrayList<>();
        int[][] configs = {{1024, 1}, {1024, 2}, {2048, 1}, {2048, 2}};
        for (int[] c : configs) categories.add(c[0] + ", " + c[1]);
        StringBuilder table = new StringBuilder("| Gradus path | n, threads | Gradus median (range), GFLOPS | OpenBLAS fastest: core type, median (range) | ratio |\n|---|---|---|---|---|\n");
        Map<String, String> labels = Map.of("native", "Gradus native", "avx2", "Gradus -XX:UseAVX=2", "fallback", "Gradus, fallback blocking");
        List<Double> bestOverall = new ArrayList<>();
        paths.values().removeIf(List::isEmpty); // a folder without the fallback rounds
        for (var path : paths.entrySet()) {
            List<Double> medians = new ArrayList<>();
            for (int[] c : configs) {
                List<Double> ours = path.getValue().stream()
                        .filter(r -> Integer.parseInt(r.param("n")) == c[0] && Integer.parseInt(r.param("threads")) == c[1])
                        .map(r -> gflops(c[0], r.ms())).toList();
                Predicate<String> types = path.getKey().equals("avx2") ? t -> t.equals("Zen") || t.equals("Haswell") : t -> true;
                Map<String, List<Double>> byType = new TreeMap<>();
                blas.stream().filter(b -> b.n() == c[0] && b.threads() == c[1] && types.test(b.coreType()))
                        .forEach(b -> byType.computeIfAbsent(b.coreType(), k -> new ArrayList<>()).add(b.gflops()));
                String best = byType.entrySet().stream().max(Comparator.comparingDouble(e -> median(e.getValue()))).map(Map.Entry::getKey).orElseThrow();
                List<Double> peer = byType.get(best);
                medians.add(median(ours));
                if (path.getKey().equals("native")) bestOverall.add(median(peer));
                table.append("| ").append(labels.get(path.getKey())).append(" | ").append(c[0]).append(", ").append(c[1]).append(" | ")
                        .append(spread(ours)).append(" | ").append(best).append(" ").append(spread(peer)).append(" | **")
                        .append(String.format(Locale.ROOT, "%.2f", median(ours) / median(peer))).append("** |\n");
            }
            chart.addSeries(labels.get(path.getKey()), categories, medians);
        }
        chart.addSeries("OpenBLAS, fastest core type", categories, bestOverall);
        String commands = String.join(" and ", folders.stream().map(this::roundsCommand).toList());
        figures.add(new Figure("sgemm-against-openblas", "SGEMM against OpenBLAS (issue 25's rounds)",
                caption(folders.getFirst(), paths.get("native"), commands + " (JMH `GemmBench.gradus -bm sample`, "
                        + "`bench/peers/openblas_sgemm.py` at every core type, alternating rounds)", concat(gemmFiles, blasFiles))
                        + "\nThe AVX2 path's peer is the faster of OpenBLAS's 256-bit core types (Zen, Haswell); the other paths' the fastest of all."
                        + " Ratio = Gradus median / OpenBLAS median (issue 25's target: at least 0.95).\n\n" + table, chart));
    }

    /** Section 11.5's table: GFLOPS of one 1024 x 1024 product computed by element, column, block or at once, on the CPU and the device. */
    private void throughputTable(String cpuFolder, String deviceFolder) {
        Path json = ResultFiles.stored(results.resolve(cpuFolder).resolve("throughput-table.json"));
        Path deviceJson = ResultFiles.stored(results.resolve(deviceFolder).resolve("results.json"));
        List<ResultFiles.Jmh> runs = ResultFiles.jmh(json);
        JsonNode device = ResultFiles.deviceCheck(deviceJson);
        List<String> modes = List.of("element", "column", "block", "full");
        List<Double> cpu = new ArrayList<>(), dev = new ArrayList<>();
        StringBuilder table = new StringBuilder("| computed by | CPU GFLOPS | device GFLOPS |\n|---|---|---|\n");
        for (String mode : modes) {
            double ms = runs.stream().filter(r -> r.param("mode").equals(mode)).findFirst().orElseThrow().ms();
            cpu.add(ThroughputBench.flops(mode) / (ms * 1e6));
            dev.add(device.path("throughputTable").path(mode).asDouble());
            table.append("| ").append(mode).append(" | ").append(fmt(cpu.getLast())).append(" | ").append(String.format(Locale.ROOT, "%.3f", dev.getLast())).append(" |\n");
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(480).title("Section 11.5: one product, computed four ways")
                .xAxisTitle("computed by").yAxisTitle("GFLOPS").build();
        // Linear: XChart's bar charts refuse a logarithmic axis. The element and column bars are
        // small beside full; the table below gives every value.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.addSeries("CPU (" + cpuFolder + ")", modes, cpu);
        chart.addSeries("device: " + device.path("device").asText().replaceAll(" \\(.*", ""), modes, dev);
        figures.add(new Figure("throughput-11-5", "Section 11.5's table: element, column, block, full",
                caption(cpuFolder, runs, "JMH `ThroughputBench` through `ThroughputTable`", List.of(json))
                        + "\n" + deviceCaption(deviceFolder, device, deviceJson) + "\n\n" + table, chart));
    }

    /** Every fused optimizer step in GB/s, beside STREAM's triad and PyTorch's step (same bytes counted). */
    private void optimizerSteps(String folder) {
        Path dir = results.resolve(folder);
        List<ResultFiles.Jmh> runs = jmhRounds(dir, "optimizer-after-");
        List<Path> torchFiles = files(dir, f -> f.startsWith("torch-after-") && f.endsWith(".log"));
        drawSteps("optimizer-steps", "Fused optimizer steps over 16M parameters, 2 threads, every algorithm", folder, runs, torchFiles,
                "JMH `OptimizerBench` (fusedStep, streamTriad), then `bench/peers/torch_optim.py`, three times");
    }

    private void optimizerStepsAgainstPyTorch(String folder) {
        Path dir = results.resolve(folder);
        List<ResultFiles.Jmh> runs = new ArrayList<>(jmhRounds(dir, "optim-"));
        runs.addAll(jmhRounds(dir, "triad-"));
        List<Path> torchFiles = files(dir, f -> f.startsWith("torch-optim-") && f.endsWith(".log"));
        drawSteps("optimizer-steps-against-pytorch", "Fused steps and STREAM's triad against PyTorch (issue 25's rounds)", folder, runs, torchFiles,
                roundsCommand(folder) + " (JMH `OptimizerBench`, `bench/peers/torch_optim.py --seconds 10`: both timed over 10 s, alternating rounds)");
    }

    private void drawSteps(String name, String title, String folder, List<ResultFiles.Jmh> runs, List<Path> torchFiles, String command) {
        Map<String, List<Double>> ours = new TreeMap<>(), torch = new TreeMap<>();
        for (ResultFiles.Jmh r : runs) {
            String key = r.benchmark().equals("streamTriad") ? "triad" : r.benchmark().equals("fusedStep") ? r.param("algorithm") : null;
            if (key != null) ours.computeIfAbsent(key, k -> new ArrayList<>()).add(r.ms());
        }
        for (Path f : torchFiles) ResultFiles.torch(f).forEach((k, v) -> torch.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        List<String> names = new ArrayList<>(ours.keySet());
        names.remove("triad");
        names.add("triad");
        List<Double> oursGbs = new ArrayList<>(), torchGbs = new ArrayList<>();
        StringBuilder table = new StringBuilder("| step | bytes per parameter | Gradus ms, median (range) | GB/s | PyTorch ms, median (range) | GB/s | PyTorch time / Gradus time |\n|---|---|---|---|---|---|---|\n");
        for (String n : names) {
            int bytes = n.equals("triad") ? 12 : OptimizerBench.bytesPerParameter(n);
            double gradus = median(ours.get(n));
            oursGbs.add(gbs(bytes, gradus));
            List<Double> peer = torch.get(n);
            torchGbs.add(peer == null ? 0.0 : gbs(bytes, median(peer)));
            table.append("| ").append(n).append(" | ").append(bytes).append(" | ").append(spread(ours.get(n))).append(" | ").append(fmt(oursGbs.getLast()))
                    .append(" | ").append(peer == null ? "not in PyTorch" : spread(peer)).append(" | ").append(peer == null ? "" : fmt(torchGbs.getLast()))
                    .append(" | ").append(peer == null ? "" : String.format(Locale.ROOT, "**%.2f**", median(peer) / gradus)).append(" |\n");
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(480).title(title).xAxisTitle("step").yAxisTitle("GB/s (bytes read and written per step / time)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("Gradus", names, oursGbs);
        chart.addSeries("PyTorch 1.13 (0: no such step)", names, torchGbs);
        figures.add(new Figure(name, title, caption(folder, runs, command, concat(runs.stream().map(ResultFiles.Jmh::file).distinct().toList(), torchFiles))
                + "\nBytes per parameter: the arrays a step reads and writes (`OptimizerBench.bytesPerParameter`), 12 per element for the triad,"
                + " 16M parameters; PyTorch's GB/s counts the same bytes.\n\n" + table, chart));
    }

    /** LeNet's forward + backward step, batch 256, 2 threads, at each vector width, beside PyTorch. */
    private void lenet(String folder) {
        Path dir = results.resolve(folder);
        List<Path> torchFiles = files(dir, f -> f.startsWith("torch-lenet-") && f.endsWith(".log"));
        List<Double> torch = torchFiles.stream().map(f -> ResultFiles.torch(f).get("lenet")).toList();
        List<String> categories = new ArrayList<>();
        List<Double> ours = new ArrayList<>(), peer = new ArrayList<>();
        StringBuilder table = new StringBuilder("| Gradus path | Gradus ms, median (range) | PyTorch ms, median (range) | Gradus / PyTorch time |\n|---|---|---|---|\n");
        List<ResultFiles.Jmh> all = new ArrayList<>();
        for (String path : new String[] {"native", "avx2"}) {
            List<ResultFiles.Jmh> runs = jmhRounds(dir, "lenet-" + path + "-");
            all.addAll(runs);
            List<Double> ms = runs.stream().map(ResultFiles.Jmh::ms).toList();
            categories.add(path.equals("native") ? "native vectors" : "-XX:UseAVX=2");
            ours.add(median(ms));
            peer.add(median(torch));
            table.append("| ").append(categories.getLast()).append(" | ").append(spread(ms)).append(" | ").append(spread(torch))
                    .append(" | **").append(String.format(Locale.ROOT, "%.2f", median(ms) / median(torch))).append("** |\n");
        }
        CategoryChart chart = new CategoryChartBuilder().width(700).height(480).title("LeNet forward + backward, batch 256, 2 threads")
                .xAxisTitle("Gradus's vector width").yAxisTitle("ms per step (lower is better)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.addSeries("Gradus", categories, ours);
        chart.addSeries("PyTorch 1.13", categories, peer);
        figures.add(new Figure("lenet", "LeNet's training step against PyTorch",
                caption(folder, all, roundsCommand(folder) + " (JMH `LeNetBench`, `bench/peers/lenet_torch.py 2`: both timed over 10 s since 2026-12-05-lenet-window-zen5, alternating rounds)",
                        concat(all.stream().map(ResultFiles.Jmh::file).toList(), torchFiles))
                        + "\nIssue 25's target: Gradus at most 0.6x PyTorch's time.\n\n" + table, chart));
    }

    /** The device: copy bandwidth, every update against the CPU's, the device SGEMM; PyTorch's device peers where a GPU ran. */
    private void device(String folder) {
        Path json = ResultFiles.stored(results.resolve(folder).resolve("results.json"));
        JsonNode r = ResultFiles.deviceCheck(json);
        boolean gpu = !r.path("device").asText().startsWith("OpenCL CPU");
        Map<String, Double> dev = new LinkedHashMap<>(), cpu = new LinkedHashMap<>();
        // The largest size the check ran: at 1M parameters a GPU's steps are launch-bound.
        int parameters = 0;
        for (JsonNode s : r.path("optimizerSteps")) parameters = Math.max(parameters, s.path("parameters").asInt());
        for (JsonNode s : r.path("optimizerSteps")) {
            if (s.path("parameters").asInt() != parameters) continue;
            dev.put(s.path("algorithm").asText(), s.path("deviceGBs").asDouble());
            cpu.put(s.path("algorithm").asText(), s.path("cpuGBs").asDouble());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(480)
                .title((gpu ? "" : "Not measured on a GPU yet: pocl on the CPU. ") + "Optimizer steps, " + parameters + " parameters")
                .xAxisTitle("algorithm").yAxisTitle("GB/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> names = new ArrayList<>(dev.keySet());
        chart.addSeries("device", names, new ArrayList<>(dev.values()));
        chart.addSeries("CPU (Gradus's fused step)", names, new ArrayList<>(cpu.values()));
        StringBuilder table = new StringBuilder("| figure | value |\n|---|---|\n");
        table.append("| copy bandwidth, GB/s | ").append(fmt(r.path("copyGBs").asDouble())).append(" |\n");
        for (JsonNode s : r.path("sgemm")) {
            table.append("| device SGEMM ").append(s.path("variant").asText("")).append(" n = ").append(s.path("n").asInt()).append(", TFLOPS | ")
                    .append(String.format(Locale.ROOT, "%.4f", s.path("tflops").asDouble())).append(" |\n");
        }
        // bench/device/torch_peers.py's figures, on the same GPU in the same run, where one ran.
        Path torchJson = ResultFiles.stored(results.resolve(folder).resolve("torch.json"));
        String torchFile = "";
        if (Files.exists(torchJson)) {
            JsonNode t = ResultFiles.deviceCheck(torchJson);
            torchFile = " PyTorch's peers: `" + results.relativize(torchJson) + "` (PyTorch " + t.path("torch").asText() + ").";
            table.append("| PyTorch device-to-device copy, GB/s | ").append(fmt(t.path("copyGBs").asDouble())).append(" |\n");
            t.path("sgemm").properties().forEach(e -> table.append("| PyTorch FP32 SGEMM (TF32 off) n = ").append(e.getKey())
                    .append(", TFLOPS | ").append(String.format(Locale.ROOT, "%.2f", e.getValue().asDouble())).append(" |\n"));
            JsonNode lenet = r.path("lenetStep");
            if (lenet.has("deviceMs") && t.has("lenetStepMs")) {
                table.append("| LeNet training step (11.11, batch 256): device ms / PyTorch ms | ")
                        .append(String.format(Locale.ROOT, "%.3f / %.3f = %.2f", lenet.path("deviceMs").asDouble(), t.path("lenetStepMs").asDouble(),
                                lenet.path("deviceMs").asDouble() / t.path("lenetStepMs").asDouble())).append(" |\n");
            }
        }
        figures.add(new Figure("device", "The device back end",
                deviceCaption(folder, r, json) + torchFile + "\n\n" + (gpu ? "" : "**Not measured on a GPU yet**: this run is pocl on the CPU, so its figures test "
                        + "the path, not a GPU's speed, and the PyTorch device peers (fused/foreach updates, FP32 SGEMM) did not run. "
                        + "`tools/device-check` measures all of it in one run on a GPU machine.\n\n") + table, chart));
    }

    // ---- writing -------------------------------------------------------------------------------

    void write(Path out) throws IOException {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder("# Benchmark report\n\n")
                .append("Generated from the raw files in `bench/results/` by `io.gradus.bench.report.BenchReport` "
                        + "(`mvn -B -q -DskipTests -pl bench -am package -Pbench -Dbench.main=io.gradus.bench.report.BenchReport`); "
                        + "do not edit by hand. Every number below is read from the file its caption names.\n\n");
        for (Figure f : figures) {
            writeAtomically(out.resolve(f.name() + ".png"), BitmapEncoder.getBitmapBytes(f.chart(), BitmapEncoder.BitmapFormat.PNG));
            md.append("## ").append(f.title()).append("\n\n![").append(f.title()).append("](").append(f.name()).append(".png)\n\n").append(f.markdown());
            List<String> older = Manifest.FOLDERS.entrySet().stream().filter(e -> e.getValue().olderFigures().contains(f.name()))
                    .map(e -> "[`" + e.getKey() + "`](../results/" + e.getKey() + "/README.md)").toList();
            if (!older.isEmpty()) md.append("\nOlder results: ").append(String.join(", ", older)).append(".\n");
            md.append("\n");
        }
        md.append("## Folders not drawn\n\n| folder | why |\n|---|---|\n");
        Manifest.FOLDERS.forEach((name, use) -> {
            if (use.skipReason() != null) md.append("| [`").append(name).append("`](../results/").append(name).append("/README.md) | ").append(use.skipReason()).append(" |\n");
        });
        writeAtomically(out.resolve("README.md"), md.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- captions and helpers ------------------------------------------------------------------

    private String caption(String folder, List<ResultFiles.Jmh> runs, String command, List<Path> raw) {
        Path dir = results.resolve(folder);
        // The folder's README says what the machine was; the kernels' start-up line in its logs where it does not.
        String machine = ResultFiles.readmeMachine(dir).or(() -> ResultFiles.machine(dir)).orElse("not recorded").replaceAll("\\.$", "");
        String jdk = runs.stream().map(ResultFiles.Jmh::jdk).distinct().reduce((a, b) -> a + "; " + b).orElse("not recorded");
        return "*Machine*: " + machine + ". *JDK*: " + jdk + ". *Date*: " + folder.substring(0, 10) + ". *Command*: " + command
                + ". *Raw files*: " + String.join(", ", raw.stream().map(p -> "`" + results.relativize(p) + "`").toList()) + ".\n";
    }

    private String deviceCaption(String folder, JsonNode r, Path json) {
        // The folder's command.txt, where the run had options of its own; else the plain check.
        Path commandFile = results.resolve(folder).resolve("command.txt");
        String command = "tools/device-check run";
        try {
            if (Files.exists(commandFile)) command = Files.readString(commandFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + commandFile, e);
        }
        return "*Device*: " + r.path("device").asText() + ". *Host*: " + r.path("cpu").asText().replaceAll("^.*; ", "") + ". *JDK*: "
                + r.path("java").asText() + ". *Date*: " + r.path("date").asText().substring(0, 10) + ". *Command*: `" + command + "`"
                + ". *Raw file*: `" + results.relativize(json) + "`.";
    }

    /** The JMH files {@code PREFIX<round>.json} (or {@code .json.gz}) of a folder (not {@code optim-before-1.json} for {@code optim-}). */
    private static List<ResultFiles.Jmh> jmhRounds(Path dir, String prefix) {
        List<ResultFiles.Jmh> out = new ArrayList<>();
        for (Path f : files(dir, n -> n.startsWith(prefix) && n.substring(prefix.length()).matches("\\d+\\.json(\\.gz)?"))) out.addAll(ResultFiles.jmh(f));
        return out;
    }

    /** The non-empty files of a folder whose names pass the test, in name order. */
    static List<Path> files(Path dir, Predicate<String> name) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> name.test(p.getFileName().toString())).filter(p -> p.toFile().length() > 0).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void addLine(XYChart chart, String name, TreeMap<Integer, Double> points) {
        double[] x = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = points.values().stream().mapToDouble(Double::doubleValue).toArray();
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
    }

    static double gflops(int n, double ms) {
        return 2.0 * n * n * (double) n / (ms * 1e6);
    }

    static double gbs(int bytesPerParameter, double ms) {
        return (double) bytesPerParameter * OptimizerBench.N / (ms * 1e6);
    }

    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) throw new IllegalArgumentException("median of no values");
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    private static String spread(List<Double> values) {
        TreeSet<Double> s = new TreeSet<>(values);
        return fmt(median(values)) + " (" + fmt(s.first()) + "-" + fmt(s.last()) + ", " + values.size() + " runs)";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String row(String library, int threads, int n, String gflops) {
        return "| " + library + " | " + threads + " | " + n + " | " + gflops + " |\n";
    }
}
