package io.gradus.bench;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceBlas;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceOps;
import io.gradus.gpu.DeviceProbe;
import io.gradus.gpu.GpuDevice;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.internal.SimdSupport;
import io.gradus.optim.NonFinite;
import io.gradus.optim.OptimizerCatalog;
import io.gradus.optim.Params;
import io.gradus.optim.Step;
import io.gradus.optim.Trainer;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.schedule.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The device check: one program that a GPU machine runs within a few minutes (the device tool's
 * budget) and that proves the same on pocl here.
 * <ol>
 *   <li>numerics: whether the device contracts {@code a * b + c} and rounds division and square root
 *       correctly, the two things bit parity with the CPU rests on;</li>
 *   <li>parity: every variant of the optimizer catalog, its device kernel against its CPU kernel
 *       and the double-precision reference (10 steps; lengths 0, 1, 17, 1000, 4099 and 2^20 + 3);</li>
 *   <li>the sum of squares behind the norm clip with the CPU's chunks and with chunks sized for a GPU
 *       ({@code -Dgradus.reduction=wide});</li>
 *   <li>the device's copy bandwidth ({@code clEnqueueCopyBuffer}, bytes read plus written), the
 *       peer of the update kernels' bandwidth;</li>
 *   <li>one optimizer step for every algorithm over 1M, 16M and 64M parameters on the CPU (2 threads
 *       unless {@code -Dgradus.threads}) and on the device, with and without the per-step gradient
 *       upload (a pageable copy from the Java heap): ms and GB/s counting each algorithm's bytes;
 *       device times are medians of {@code --repeats} samples of K back-to-back launches and one
 *       wait ({@link #deviceMs}), after a warm-up of at least 200 ms;</li>
 *   <li>SGEMM on the device: both kernels ({@link DeviceBlas.Variant}) against the CPU on odd shapes for
 *       every transpose pair, and their TFLOPS for n = 512 .. 8192; the section 11.5 table on the device;</li>
 *   <li>an epoch of an MLP and the LeNet training step of section 11.11, on the device and on the CPU.</li>
 * </ol>
 * A short table is printed last; everything goes as JSON to {@code results.json} in the directory
 * given as the first argument (or {@code $OUT}, or {@code target/device-check}), rewritten after
 * every section. Each section runs on its own: one that fails is recorded with its error (a fault
 * found at a wait names the kernel launched last), the device context is reopened, and the next
 * runs; after {@code --deadline} seconds (default 420) the rest are skipped and named. The
 * exit status is 0 only when every section ran and passed (3: {@code -Dgradus.device=gpu} found
 * no GPU, and the check refused to measure anything else).
 *
 * <pre>
 * usage: DeviceCheck [DIR] [--sizes 1M,16M,64M] [--gemm 512,...,8192] [--repeats 10] [--deadline 420] [--quick]
 * </pre>
 * {@code --quick} (what CI-sized machines and pocl need): sizes 1M, SGEMM up to 1024, 5 repeats,
 * an MLP epoch of 4,096 examples instead of 60,000.
 */
public final class DeviceCheck {

    private DeviceCheck() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        List<Integer> sizes = List.of(1 << 20, 16 << 20, 64 << 20);
        List<Integer> gemm = List.of(512, 1024, 2048, 4096, 8192);
        int repeats = 10;
        int mlpExamples = 60_000;
        double deadlineSeconds = DEFAULT_DEADLINE_SECONDS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = option(args, i++, DeviceCheck::parseSizes, "sizes such as 1M,16M");
                case "--gemm" -> gemm = option(args, i++, v -> Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList(),
                        "sizes such as 512,1024");
                case "--repeats" -> repeats = option(args, i++, v -> positive(Integer.parseInt(v)), "a count >= 1");
                case "--deadline" -> deadlineSeconds = option(args, i++, v -> {
                    double d = Double.parseDouble(v);
                    if (!(d >= 0)) throw new NumberFormatException();
                    return d;
                }, "seconds >= 0");
                case "--quick" -> {
                    sizes = List.of(1 << 20);
                    gemm = List.of(256, 512, 1024);
                    repeats = 5;
                    mlpExamples = 4096;
                }
                default -> {
                    if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
                    dir = Path.of(args[i]);
                }
            }
        }
        if (dir == null) dir = Path.of(System.getenv("OUT") != null ? System.getenv("OUT") : "target/device-check");
        Files.createDirectories(dir);

        // -Dgradus.device=gpu on a machine whose GPU did not come up: say why and stop, rather than
        // report the CPU's (or pocl's) figures as the GPU's.
        GpuDevice selected = DeviceProbe.selected();
        var refusal = refusal(System.getProperty(DeviceProbe.PROPERTY), selected, DeviceProbe.openCLDevices(), DeviceProbe.problems());
        if (refusal.isPresent()) {
            System.err.println("device check: " + refusal.get());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("date", Instant.now().toString());
            json.put("refused", refusal.get());
            write(dir, json);
            System.exit(3);
        }
        // A section whose error leaves the context unusable (a kernel fault poisons it on NVIDIA's
        // driver) is followed by a fresh context: the sections read it through this holder.
        java.util.concurrent.atomic.AtomicReference<DeviceContext> context = new java.util.concurrent.atomic.AtomicReference<>(
                DeviceContext.open(selected));
        DeviceContext first = context.get();
        System.out.println("device: " + first.device().describe());
        final List<Integer> sz = sizes, gm = gemm;
        final int rp = repeats, mlpN = mlpExamples;
        double[] copy = {Double.NaN};
        List<Section> sections = List.of(
                new Section("numerics", (json, summary) -> {
                    Map<String, Object> probe = numericsProbe(context.get());
                    json.put("numerics", probe);
                    summary.add("numerics: " + probe);
                }),
                new Section("parity", (json, summary) -> {
                    long start = System.nanoTime();
                    List<Map<String, Object>> parity = parity(context.get());
                    long failures = parity.stream().filter(p -> !(Boolean) p.get("ok")).count();
                    json.put("parity", parity);
                    summary.add(String.format(Locale.ROOT, "parity: %d variants, %d failed, %d bit-identical to the CPU (%.1f s)", parity.size(),
                            failures, parity.stream().filter(p -> (Boolean) p.get("bitIdenticalToCpu")).count(), (System.nanoTime() - start) / 1e9));
                    if (failures > 0) throw new IllegalStateException(failures + " parity variant(s) failed; see parity in the JSON");
                }),
                new Section("copyBandwidth", (json, summary) -> {
                    copy[0] = copyBandwidth(context.get(), sz.getLast(), rp);
                    json.put("copyGBs", copy[0]);
                    summary.add(String.format(Locale.ROOT, "device copy bandwidth (%dM floats, read + write): %.1f GB/s", sz.getLast() >> 20, copy[0]));
                }),
                new Section("reductions", (json, summary) -> {
                    List<Map<String, Object>> rows = reductions(context.get(), sz, rp);
                    json.put("reductions", rows);
                    StringBuilder line = new StringBuilder("sum of squares (norm clip, non-finite check), ms:");
                    for (var row : rows) line.append(String.format(Locale.ROOT, " %dM %s %.3f;", ((Integer) row.get("n")) >> 20,
                            row.get("chunking"), (Double) row.get("ms")));
                    summary.add(line.toString());
                }),
                new Section("optimizerSteps", (json, summary) -> json.put("optimizerSteps", optimizerSteps(context.get(), sz, rp, copy[0], summary))),
                new Section("sgemm", (json, summary) -> {
                    json.put("sgemmAgainstCpu", sgemmAgainstCpu(context.get()));
                    List<Map<String, Object>> gemms = new ArrayList<>();
                    for (int n : gm) {
                        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "device sgemm n=%d:", n));
                        for (DeviceBlas.Variant variant : DeviceBlas.Variant.values()) {
                            double ms = sgemmMs(context.get(), variant, n, Math.max(3, rp / 2));
                            double tflops = 2.0 * n * n * n / (ms * 1e9);
                            gemms.add(Map.of("n", n, "variant", variant.name(), "ms", ms, "tflops", tflops));
                            line.append(String.format(Locale.ROOT, " %s %.3f ms = %.2f TFLOPS;", variant.name().toLowerCase(Locale.ROOT), ms, tflops));
                        }
                        summary.add(line.toString());
                    }
                    json.put("sgemm", gemms);
                    json.put("buildLogs", context.get().buildLogs()); // NVIDIA: registers and spills per kernel (-cl-nv-verbose)
                }),
                new Section("throughputTable", (json, summary) -> {
                    Map<String, Double> table = throughputTable(context.get());
                    json.put("throughputTable", table);
                    summary.add(String.format(Locale.ROOT, "11.5 on the device (n = %d): element %.3f, column %.3f, block %.3f, full %.3f GFLOPS",
                            DeviceThroughput.N, table.get("element"), table.get("column"), table.get("block"), table.get("full")));
                }),
                new Section("mlpEpoch", (json, summary) -> {
                    Map<String, Double> mlp = mlpEpoch(context.get(), mlpN);
                    json.put("mlpEpoch", mlp);
                    summary.add(String.format(Locale.ROOT, "MLP 784-256-256-10, SGD, batch 256, %d synthetic examples resident: epoch %.2f s on the device, "
                            + "%.2f s on the CPU", mlpN, mlp.get("deviceSeconds"), mlp.get("cpuSeconds")));
                }),
                new Section("lenetStep", (json, summary) -> {
                    Map<String, Double> lenet = lenetStep(context.get(), Math.max(5, 2 * rp));
                    json.put("lenetStep", lenet);
                    summary.add(String.format(Locale.ROOT, "LeNet (11.11), SGD, batch 256, forward + backward + step with the loss read back: "
                            + "%.3f ms on the device, %.3f ms on the CPU (medians of %d steps)", lenet.get("deviceMs"), lenet.get("cpuMs"),
                            lenet.get("steps").intValue()));
                }));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", Instant.now().toString());
        json.put("device", first.device().describe());
        json.put("cpu", SimdSupport.describe());
        json.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        Outcome outcome = runSections(sections, json, dir, deadlineSeconds, failure -> {
            try {
                context.get().close();
            } catch (RuntimeException e) {
                System.err.println("device check: closing the failed context: " + e);
            }
            context.set(DeviceContext.open(selected));
        });
        System.out.println();
        System.out.println("=== device check: " + first.device().describe());
        for (String line : outcome.summary()) System.out.println(line);
        System.out.println("JSON: " + dir.resolve("results.json").toAbsolutePath());
        context.get().close();
        if (!outcome.failed().isEmpty() || !outcome.skipped().isEmpty()) System.exit(1);
    }

    /** The value after option {@code args[at]}, parsed; a missing or bad value names the option, the value and what was expected. */
    static <T> T option(String[] args, int at, java.util.function.Function<String, T> parse, String expected) {
        if (at + 1 >= args.length) throw new IllegalArgumentException(args[at] + ": no value; expected " + expected + "; " + USAGE);
        String value = args[at + 1];
        try {
            return parse.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(args[at] + " " + value + ": expected " + expected + "; " + USAGE);
        }
    }

    private static int positive(int n) {
        if (n < 1) throw new NumberFormatException();
        return n;
    }

    static final String USAGE = "usage: DeviceCheck [DIR] [--sizes 1M,16M,64M] [--gemm 512,...] [--repeats N] [--deadline SECONDS] [--quick]";

    /** Seconds after which the sections not yet started are skipped (the device tool allows 10 minutes a call). */
    static final double DEFAULT_DEADLINE_SECONDS = 420;

    /** One part of the check: it adds its figures to the JSON and its lines to the summary, or throws. */
    record Section(String name, SectionBody body) {}

    @FunctionalInterface
    interface SectionBody {
        void run(Map<String, Object> json, List<String> summary) throws Exception;
    }

    /** What {@link #runSections} did: the summary lines, the sections that failed (with why) and those skipped. */
    record Outcome(List<String> summary, Map<String, String> failed, List<String> skipped) {}

    /**
     * Runs the sections in order, each on its own: a section that throws is recorded under
     * {@code failed} with its error and the next one runs; once {@code deadlineSeconds} have passed,
     * the sections not yet started are listed under {@code skipped}. After every section the JSON
     * (with the summary so far) is written to {@code dir/results.json} (to a temporary name, then
     * renamed), so a run cut short keeps what it measured.
     */
    static Outcome runSections(List<Section> sections, Map<String, Object> json, Path dir, double deadlineSeconds) throws IOException {
        return runSections(sections, json, dir, deadlineSeconds, failure -> {});
    }

    /** {@link #runSections(List, Map, Path, double)}, calling {@code afterFailure} after each section that failed (main: a fresh context). */
    static Outcome runSections(List<Section> sections, Map<String, Object> json, Path dir, double deadlineSeconds,
                               java.util.function.Consumer<Throwable> afterFailure) throws IOException {
        long deadline = System.nanoTime() + (long) (deadlineSeconds * 1e9);
        List<String> summary = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        json.put("summary", summary);
        json.put("sectionSeconds", seconds);
        json.put("failed", failed);
        json.put("skipped", skipped);
        for (Section section : sections) {
            if (System.nanoTime() > deadline) {
                skipped.add(section.name());
                summary.add(section.name() + ": skipped, the deadline of " + deadlineSeconds + " s had passed");
                continue;
            }
            long start = System.nanoTime();
            try {
                section.body().run(json, summary);
            } catch (Exception | AssertionError e) {
                String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                failed.put(section.name(), why);
                summary.add(section.name() + ": FAILED, " + why);
                System.err.println("device check, " + section.name() + ": " + why);
                try {
                    afterFailure.accept(e);
                } catch (RuntimeException again) {
                    failed.put(section.name(), why + "; then reopening the device failed too: " + again);
                }
            }
            seconds.put(section.name(), (System.nanoTime() - start) / 1e9);
            write(dir, json);
        }
        write(dir, json);
        return new Outcome(summary, failed, skipped);
    }

    private static void write(Path dir, Map<String, Object> json) throws IOException {
        Path tmp = dir.resolve("results.json.tmp");
        Files.writeString(tmp, Json.write(json) + "\n");
        Files.move(tmp, dir.resolve("results.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Why the check must not run, when {@code -Dgradus.device=gpu} asked for a GPU and the device
     * chosen is not one: what was found, and the OpenCL loader's or the probe's own errors.
     * Empty when the property asks for anything else (or nothing: the default takes what there is).
     */
    static java.util.Optional<String> refusal(String spec, GpuDevice selected, List<GpuDevice> found, List<String> problems) {
        if (spec == null || !spec.trim().equalsIgnoreCase("gpu") || selected.type().equals("GPU")) return java.util.Optional.empty();
        List<String> names = found.stream().map(GpuDevice::describe).toList();
        return java.util.Optional.of("-D" + DeviceProbe.PROPERTY + "=gpu, but no GPU came up: the device chosen is "
                + selected.describe() + "; OpenCL devices found: " + names
                + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems))
                + ". Expected an OpenCL GPU (check the driver's libnvidia-opencl.so.1 and its ICD file).");
    }

    static List<Integer> parseSizes(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            s = s.trim().toUpperCase(Locale.ROOT);
            out.add(s.endsWith("M") ? Integer.parseInt(s.substring(0, s.length() - 1)) << 20 : Integer.parseInt(s));
        }
        return out;
    }

    /** Every catalog variant: device kernel against the CPU kernel and the reference, as optim's DeviceParityTest. */
    static List<Map<String, Object>> parity(DeviceContext device) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : OptimizerCatalog.entries()) {
            for (Algorithm a : e.variants()) {
                double worstCpu = 0, worstReference = 0;
                boolean ok = true, identical = true;
                long differing = 0, compared = 0;
                for (int n : new int[] {0, 1, 17, 1000, 4099, (1 << 20) + 3}) {
                    Random r = new Random(n);
                    float[] p = new float[n];
                    for (int i = 0; i < n; i++) p[i] = (float) r.nextGaussian();
                    float[][] s = new float[a.stateArrays()][n];
                    double[][] ref = new double[a.stateArrays()][n];
                    double[] refP = new double[n];
                    for (int i = 0; i < n; i++) refP[i] = p[i];
                    try (DeviceArray dp = device.upload(p); DeviceArray dg = device.allocate(n)) {
                        DeviceArray[] ds = new DeviceArray[s.length];
                        for (int k = 0; k < s.length; k++) ds[k] = device.allocate(n);
                        for (int t = 1; t <= 10; t++) {
                            Step step = new Step(t, 0.01, 0.5, t % 2 == 0 ? 0.8 : 0);
                            float[] g = new float[n];
                            for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
                            dg.upload(g);
                            a.updateDevice(step, dp, dg, ds, 0, n);
                            a.update(step, p, g, s, 0, n); // the CPU path (vector or scalar: the same bits)
                            if (n <= 5000) {
                                double[] gs = new double[n];
                                double[][] st = new double[n][s.length];
                                for (int i = 0; i < n; i++) {
                                    gs[i] = g[i];
                                    for (int k = 0; k < s.length; k++) st[i][k] = ref[k][i];
                                }
                                a.referenceSlice(step, refP, gs, st); // the slice is one tensor (LAMB's norms)
                                for (int i = 0; i < n; i++) for (int k = 0; k < s.length; k++) ref[k][i] = st[i][k];
                            }
                            // one step's difference, then the device is set to the CPU's values, so that
                            // differences do not compound over the ten steps (as optim's DeviceParityTest)
                            float[] got = dp.download();
                            for (int i = 0; i < n; i++) worstCpu = Math.max(worstCpu, Math.abs(got[i] - p[i]) / (1e-3 + Math.abs(p[i])));
                            identical &= java.util.Arrays.equals(got, p);
                            for (int i = 0; i < n; i++) if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(p[i])) differing++;
                            compared += n;
                            for (int k = 0; k < s.length; k++) {
                                float[] gs = ds[k].download();
                                for (int i = 0; i < n; i++) worstCpu = Math.max(worstCpu, Math.abs(gs[i] - s[k][i]) / (1e-3 + Math.abs(s[k][i])));
                                identical &= java.util.Arrays.equals(gs, s[k]);
                                for (int i = 0; i < n; i++) if (Float.floatToRawIntBits(gs[i]) != Float.floatToRawIntBits(s[k][i])) differing++;
                                compared += n;
                                ds[k].upload(s[k]);
                            }
                            dp.upload(p);
                        }
                        for (int i = 0; i < n && n <= 5000; i++) {
                            worstReference = Math.max(worstReference, Math.abs(p[i] - refP[i]) / (1e-3 + Math.abs(refP[i])));
                        }
                        for (DeviceArray d : ds) d.close();
                    }
                }
                // one step apart from the CPU: 1e-4 relative (a device whose division and square root are not
                // correctly rounded, and LAMB's norms summed in another order); ten steps from the reference: 1e-3
                ok = worstCpu < 1e-4 && worstReference < 1e-3;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("algorithm", a.toString());
                row.put("worstRelativeToCpu", worstCpu);
                row.put("worstRelativeToReference", worstReference);
                row.put("bitIdenticalToCpu", identical); // the translated body on a device that rounds as Java does
                row.put("elementsDifferingFromCpu", differing); // of the values compared (parameters and state, every step)
                row.put("elementsCompared", compared);
                row.put("ok", ok);
                out.add(row);
                if (!ok) System.out.println("PARITY FAILED: " + row);
            }
        }
        return out;
    }

    /** Warm-up before any timing: at least this long (translations, the driver's compiles, the JIT), and two calls. */
    static final long WARM_UP_NANOS = 200_000_000L;
    /** A device sample lasts at least this long, so that one launch-and-wait round trip is a small part of it. */
    static final long SAMPLE_NANOS = 2_000_000L;

    /**
     * Median ms of {@code repeats} timed calls of {@code run} (which returns when its work is
     * done: CPU work, or device work it waits for), after a warm-up of at least 200 ms.
     */
    static double medianMs(int repeats, Runnable run) {
        warmUp(run);
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    /**
     * Device time of {@code enqueue} (which queues work and returns without waiting): after a
     * warm-up of at least 200 ms, each of {@code repeats} samples queues it K times back to back
     * and waits once, K chosen so that a sample lasts at least 2 ms; the result is the median of
     * sample / K. So the 20-50 µs of one launch-and-wait round trip is spread over K calls instead
     * of added to each, which is what PyTorch's CUDA-event timings leave out as well.
     */
    static double deviceMs(DeviceContext device, int repeats, Runnable enqueue) {
        Runnable once = () -> {
            enqueue.run();
            device.finish();
        };
        warmUp(once);
        long t0 = System.nanoTime();
        once.run();
        long single = Math.max(1, System.nanoTime() - t0);
        int k = (int) Math.max(1, Math.min(256, (SAMPLE_NANOS + single - 1) / single));
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            for (int j = 0; j < k; j++) enqueue.run();
            device.finish();
            ms[i] = (System.nanoTime() - t) / 1e6 / k;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    private static void warmUp(Runnable run) {
        long start = System.nanoTime();
        int calls = 0;
        while (calls < 2 || (System.nanoTime() - start < WARM_UP_NANOS && calls < 1000)) {
            run.run();
            calls++;
        }
    }

    static double copyBandwidth(DeviceContext device, int n, int repeats) {
        try (DeviceArray a = device.allocate(n); DeviceArray b = device.allocate(n)) {
            double ms = deviceMs(device, repeats, () -> b.copyFrom(a, 0, 0, n));
            return 8.0 * n / (ms * 1e6);
        }
    }

    static List<Map<String, Object>> optimizerSteps(DeviceContext device, List<Integer> sizes, int repeats, double copyGBs,
                                                   List<String> summary) {
        List<Map<String, Object>> out = new ArrayList<>();
        int threads = Integer.getInteger("gradus.threads", 2);
        try (Parallel pool = Parallel.ofThreads(threads)) {
            for (int n : sizes) {
                Params params = flat(n);
                float[] hostGrads = params.grads();
                Random r = new Random(2);
                for (int i = 0; i < n; i++) hostGrads[i] = 1e-3f * (float) r.nextGaussian();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%3dM params, ms (GB/s): ", n >> 20));
                for (var e : OptimizerCatalog.entries()) {
                    Algorithm a = e.algorithm();
                    int bytes = a.bytesPerParameter();
                    Trainer cpu = new Trainer(params, a, LrSchedule.constant(1e-3), pool).nonFinite(NonFinite.OFF);
                    double cpuMs = medianMs(repeats, () -> cpu.step(1));
                    double devMs, devUploadMs;
                    try (Trainer dev = new Trainer(params, a, LrSchedule.constant(1e-3), device)
                            .nonFinite(NonFinite.OFF)) {
                        dev.deviceGradients().upload(hostGrads);
                        devMs = deviceMs(device, repeats, () -> dev.step(1));
                        // a blocking write from the Java heap: a pageable host copy, not a pinned one
                        devUploadMs = deviceMs(device, repeats, () -> dev.step(hostGrads, 1));
                    }
                    double devGBs = (double) bytes * n / (devMs * 1e6);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("algorithm", e.name());
                    row.put("parameters", n);
                    row.put("bytesPerParameter", bytes);
                    row.put("cpuMs", cpuMs);
                    row.put("cpuGBs", (double) bytes * n / (cpuMs * 1e6));
                    row.put("deviceMs", devMs);
                    row.put("deviceGBs", devGBs);
                    row.put("deviceFractionOfCopy", devGBs / copyGBs);
                    row.put("deviceWithPageableUploadMs", devUploadMs);
                    out.add(row);
                    line.append(String.format(Locale.ROOT, "%s cpu %.2f / dev %.3f (%.0f) / +pageable upload %.2f; ", e.name(), cpuMs, devMs,
                            devGBs, devUploadMs));
                }
                summary.add(line.toString());
            }
        }
        return out;
    }

    static Params flat(int n) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        float[] v = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        named.put("w", new Parameter("w", Tensor.wrap(v, 0, n)));
        return Params.of(named);
    }

    static double sgemmMs(DeviceContext device, int n, int repeats) {
        return sgemmMs(device, DeviceBlas.Variant.fromProperty(), n, repeats);
    }

    /**
     * The sum of squares behind the norm clip and the non-finite check, with the CPU's chunks of
     * 65,536 (the default: the CPU's bits) and with {@link DeviceOps#wideChunk} (enough work-groups
     * for a GPU), each result read back: ms per call, and the chunk and work-group count of each.
     */
    static List<Map<String, Object>> reductions(DeviceContext device, List<Integer> sizes, int repeats) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int n : sizes) {
            try (DeviceArray x = device.allocate(n)) {
                DeviceOps.scale(0f, x, 0, n);
                for (String chunking : new String[] {"cpu-order", "wide"}) {
                    int chunk = chunking.equals("wide") ? DeviceOps.wideChunk(device, n) : 65536;
                    double ms = deviceMs(device, repeats, () -> DeviceOps.sumOfSquares(x, 0, n, chunk));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("n", n);
                    row.put("chunking", chunking);
                    row.put("chunk", chunk);
                    row.put("workGroups", (n + chunk - 1) / chunk);
                    row.put("ms", ms);
                    row.put("GBs", 4.0 * n / (ms * 1e6));
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** Median device ms of {@code C = A B} for n x n matrices with the kernel {@code variant}. */
    static double sgemmMs(DeviceContext device, DeviceBlas.Variant variant, int n, int repeats) {
        Random r = new Random(3);
        float[] a = new float[n * n], b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        try (DeviceArray da = device.upload(a); DeviceArray db = device.upload(b); DeviceArray dc = device.allocate(n * n)) {
            return deviceMs(device, repeats, () -> DeviceBlas.sgemm(variant, false, false, n, n, n, 1f, da, 0, n, db, 0, n, 0f, dc, 0, n));
        }
    }

    /**
     * Both SGEMM kernels against the CPU's SGEMM on the device itself: one odd shape (m, n, k not
     * multiples of any block) for each of the four transpose pairs, the worst error relative to
     * {@code k} times the largest |C| (float32 sums of k terms in another order). Throws when one is
     * over 1e-5.
     */
    static List<Map<String, Object>> sgemmAgainstCpu(DeviceContext device) {
        List<Map<String, Object>> out = new ArrayList<>();
        int m = 301, n = 203, k = 157;
        Random r = new Random(13);
        for (DeviceBlas.Variant variant : DeviceBlas.Variant.values()) {
            for (int mode = 0; mode < 4; mode++) {
                boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0;
                float[] a = new float[m * k], b = new float[k * n], want = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
                for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
                int lda = ta ? m : k, ldb = tb ? k : n;
                io.gradus.kernels.gemm.Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, want, 0, n);
                try (DeviceArray da = device.upload(a); DeviceArray db = device.upload(b); DeviceArray dc = device.allocate(m * n)) {
                    DeviceBlas.sgemm(variant, ta, tb, m, n, k, 1f, da, 0, lda, db, 0, ldb, 0f, dc, 0, n);
                    float[] got = dc.download();
                    double scale = 0, worst = 0;
                    for (float v : want) scale = Math.max(scale, Math.abs(v));
                    for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (scale * k));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("variant", variant.name());
                    row.put("transA", ta);
                    row.put("transB", tb);
                    row.put("worstRelativeError", worst);
                    out.add(row);
                    if (!(worst <= 1e-5)) {
                        throw new IllegalStateException("device sgemm " + variant + " ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k
                                + " differs from the CPU by " + worst + " (relative to k max|C|); expected <= 1e-5");
                    }
                }
            }
        }
        return out;
    }

    /**
     * What the device's float arithmetic does, from one work-item: whether {@code a * b + c} is
     * contracted into a fused multiply-add despite {@code FP_CONTRACT OFF} (for a = b = 1 + 2^-12,
     * c = -(1 + 2^-11) the fused result is 2^-24, the unfused one 0), and whether division and
     * square root round correctly on a few operands that a faster approximation gets wrong in the
     * last place (compared with Java's, which are correctly rounded). Bit parity with the CPU rests
     * on all three.
     */
    static Map<String, Object> numericsProbe(DeviceContext device) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!device.isOpenCL()) {
            out.put("device", "host: Java arithmetic");
            return out;
        }
        String source = """
                #pragma OPENCL FP_CONTRACT OFF
                __kernel void probe(__global const float* in, __global float* out, const int n) {
                    if (get_global_id(0) != 0) return;
                    float a = in[0], b = in[1], c = in[2];
                    out[0] = a * b + c;
                    out[1] = fma(a, b, c);
                    for (int i = 0; i < n; i++) {
                        out[2 + 2 * i] = in[3 + 2 * i] / in[4 + 2 * i];
                        out[3 + 2 * i] = sqrt(in[3 + 2 * i]);
                    }
                }
                """;
        float eps = (float) Math.pow(2, -12);
        float[] pairs = {1f / 3, 7f, 2f, 3f, 1e-30f, 3e-7f, 0.1f, 0.3f, 123456.7f, 0.0731f, (float) Math.PI, (float) Math.E};
        int count = pairs.length / 2;
        float[] in = new float[3 + pairs.length];
        in[0] = 1 + eps;
        in[1] = 1 + eps;
        in[2] = -(1 + 2 * eps);
        System.arraycopy(pairs, 0, in, 3, pairs.length);
        try (DeviceArray din = device.upload(in); DeviceArray dout = device.allocate(2 + 2 * count)) {
            device.kernel(source, "probe").launch(1, din, dout, count);
            float[] got = dout.download();
            out.put("unfusedMultiplyAdd", got[0]);
            out.put("fusedMultiplyAdd", got[1]);
            out.put("contracts", got[0] != 0f); // Java's a * b + c is 0 here; a contracted one is 2^-24
            int badDivision = 0, badSqrt = 0;
            for (int i = 0; i < count; i++) {
                float x = pairs[2 * i], y = pairs[2 * i + 1];
                if (Float.floatToRawIntBits(got[2 + 2 * i]) != Float.floatToRawIntBits(x / y)) badDivision++;
                if (Float.floatToRawIntBits(got[3 + 2 * i]) != Float.floatToRawIntBits((float) Math.sqrt(x))) badSqrt++;
            }
            out.put("divisionsNotCorrectlyRounded", badDivision);
            out.put("squareRootsNotCorrectlyRounded", badSqrt);
            out.put("operands", count);
        }
        return out;
    }

    static Map<String, Double> throughputTable(DeviceContext device) {
        Map<String, Double> out = new LinkedHashMap<>();
        try (DeviceThroughput t = new DeviceThroughput(device)) {
            for (String mode : new String[] {"element", "column", "block", "full"}) {
                double ms = medianMs(3, () -> t.multiply(mode));
                out.put(mode, DeviceThroughput.flops(mode) / (ms * 1e6));
            }
        }
        return out;
    }

    /**
     * One epoch of the MLP 784-256-256-10 (ReLU) with SGD, batch 256, over {@code examples} synthetic
     * images (the timing does not depend on the pixels): on the device with the data resident, each
     * batch gathered there, forward, backward and the update on the device; and on the CPU with
     * core's layers and autograd (the examples' {@code mlp} command trains the same on
     * Fashion-MNIST). The second epoch of each is timed.
     */
    static Map<String, Double> mlpEpoch(DeviceContext device, int examples) {
        int[] sizes = {784, 256, 256, 10};
        int batch = 256;
        Random r = new Random(5);
        float[] x = new float[examples * 784], y = new float[examples], order = new float[examples];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < examples; i++) {
            y[i] = r.nextInt(10);
            order[i] = i;
        }
        var net = new io.gradus.core.nn.Layers.Sequential(new io.gradus.core.nn.Layers.Dense(784, 256, io.gradus.core.nn.Layers.RELU),
                new io.gradus.core.nn.Layers.Dense(256, 256, io.gradus.core.nn.Layers.RELU), new io.gradus.core.nn.Layers.Dense(256, 10));
        net.initialize(io.gradus.core.nn.Initializer.xavier(), 1);
        Params params = Params.of(net.namedParameters());
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (Params.Slot s : params.slots()) offsets.put(s.name(), s.offset());
        try (Trainer trainer = new Trainer(params, io.gradus.optim.Optimizers.sgd(), LrSchedule.constant(0.1), device);
             io.gradus.gpu.DeviceNetwork mlp = io.gradus.gpu.DeviceNetwork.mlp(device, sizes, batch);
             DeviceArray dx = device.upload(x); DeviceArray dy = device.upload(y); DeviceArray ix = device.upload(order);
             DeviceArray bx = device.allocate(batch * 784); DeviceArray by = device.allocate(batch)) {
            mlp.bind(trainer.deviceParameters(), trainer.deviceGradients(), offsets::get);
            double seconds = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                long t = System.nanoTime();
                for (int first = 0; first < examples; first += batch) {
                    int rows = Math.min(batch, examples - first);
                    io.gradus.gpu.DeviceNn.gatherRows(dx, ix, first, rows, 784, bx);
                    io.gradus.gpu.DeviceNn.gatherRows(dy, ix, first, rows, 1, by);
                    mlp.trainBatch(bx, 0, by, 0, rows);
                    trainer.step(rows);
                }
                device.finish();
                seconds = (System.nanoTime() - t) / 1e9;
            }
            out.put("deviceSeconds", seconds);
        }
        Trainer cpu = new Trainer(params, io.gradus.optim.Optimizers.sgd(), LrSchedule.constant(0.1));
        double seconds = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            long t = System.nanoTime();
            for (int first = 0; first < examples; first += batch) {
                int rows = Math.min(batch, examples - first);
                Tensor xt = Tensor.wrap(x, first * 784, rows, 784), yt = Tensor.wrap(y, first, rows);
                params.zeroGrads();
                Tensor l;
                try (var tape = io.gradus.core.tensor.Autograd.record()) {
                    l = io.gradus.core.nn.Losses.softmaxCrossEntropy(net.forward(xt), yt).sum();
                }
                l.backward();
                cpu.step(rows);
            }
            seconds = (System.nanoTime() - t) / 1e9;
        }
        out.put("cpuSeconds", seconds);
        out.put("examples", (double) examples);
        return out;
    }

    /**
     * Section 11.11's LeNet training step at batch 256 on synthetic 28 x 28 images resident on the
     * device ({@link io.gradus.gpu.DeviceNetwork#lenet}: forward, softmax cross-entropy, backward,
     * the device Trainer's SGD step, and the batch's losses read back as the book's loop reads its
     * loss), and the same step on the CPU with core's LeNet and autograd: median ms of {@code steps}
     * steps after as many for warm-up. {@code bench/device/torch_peers.py} times PyTorch's.
     */
    static Map<String, Double> lenetStep(DeviceContext device, int steps) {
        int batch = 256, pixels = 28 * 28;
        Random r = new Random(7);
        float[] x = new float[batch * pixels], y = new float[batch];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < batch; i++) y[i] = r.nextInt(10);
        var net = io.gradus.core.nn.LeNet.create();
        net.initialize(io.gradus.core.nn.Initializer.xavier(), 1);
        Params params = Params.of(net.namedParameters());
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (Params.Slot s : params.slots()) offsets.put(s.name(), s.offset());
        Map<String, Double> out = new LinkedHashMap<>();
        try (Trainer trainer = new Trainer(params, io.gradus.optim.Optimizers.sgd(), LrSchedule.constant(0.1), device);
             io.gradus.gpu.DeviceNetwork lenet = io.gradus.gpu.DeviceNetwork.lenet(device, batch);
             DeviceArray dx = device.upload(x); DeviceArray dy = device.upload(y)) {
            lenet.bind(trainer.deviceParameters(), trainer.deviceGradients(), offsets::get);
            // each step reads the batch's losses back (a wait), as a training loop does
            out.put("deviceMs", deviceMs(device, steps, () -> {
                lenet.trainBatch(dx, 0, dy, 0, batch);
                trainer.step(batch);
            }));
        }
        Trainer cpu = new Trainer(params, io.gradus.optim.Optimizers.sgd(), LrSchedule.constant(0.1));
        Tensor xt = Tensor.wrap(x, 0, batch, 1, 28, 28), yt = Tensor.wrap(y, 0, batch);
        Runnable step = () -> {
            params.zeroGrads();
            Tensor l;
            try (var tape = io.gradus.core.tensor.Autograd.record()) {
                l = io.gradus.core.nn.Losses.softmaxCrossEntropy(net.forward(xt), yt).sum();
            }
            l.backward();
            cpu.step(batch);
            l.item();
        };
        out.put("cpuMs", medianMs(Math.max(3, steps / 4), step::run));
        out.put("steps", (double) steps);
        return out;
    }

    /** A tiny JSON writer for maps, lists, strings, numbers and booleans. */
    static final class Json {
        private Json() {}

        static String write(Object o) {
            StringBuilder sb = new StringBuilder();
            write(sb, o);
            return sb.toString();
        }

        private static void write(StringBuilder sb, Object o) {
            switch (o) {
                case null -> sb.append("null");
                case Map<?, ?> m -> {
                    sb.append('{');
                    boolean first = true;
                    for (var e : m.entrySet()) {
                        if (!first) sb.append(", ");
                        first = false;
                        write(sb, String.valueOf(e.getKey()));
                        sb.append(": ");
                        write(sb, e.getValue());
                    }
                    sb.append('}');
                }
                case List<?> l -> {
                    sb.append('[');
                    for (int i = 0; i < l.size(); i++) {
                        if (i > 0) sb.append(", ");
                        write(sb, l.get(i));
                    }
                    sb.append(']');
                }
                case Double d -> sb.append(Double.isFinite(d) ? d.toString() : "null");
                case Number n -> sb.append(n);
                case Boolean b -> sb.append(b);
                default -> {
                    sb.append('"');
                    for (char c : o.toString().toCharArray()) {
                        if (c == '"' || c == '\\') sb.append('\\').append(c);
                        else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                    sb.append('"');
                }
            }
        }
    }
}
