package io.gradus.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * One small parser per format found in {@code bench/results/}: JMH's JSON, DeviceCheck's
 * {@code results.json}, the OpenBLAS peer's JSON and its older one-line-per-size log, the PyTorch
 * peers' logs, and the kernels' start-up line in any log (which names the machine). Each returns
 * the numbers as the file has them; nothing is rounded or typed in here.
 *
 * <p>JSON under {@code bench/results/} is committed gzipped ({@code name.json.gz}): the working
 * tree travels to the GPU machine with the packed runtime, 64 MiB in all, and JMH's JSON is most of
 * the tree. Every reader here takes either form, and {@link #stored} finds the one a folder has.
 */
public final class ResultFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultFiles() {}

    /**
     * One JMH result: the benchmark's method name, its mode, its parameters, the score in
     * milliseconds per operation (for SampleTime the median, {@code p0.50}, else JMH's mean), the
     * JDK and the JVM options it ran with.
     */
    public record Jmh(String benchmark, String mode, Map<String, String> params, double ms, String jdk,
                      List<String> jvmArgs, Path file) {

        public String param(String name) {
            String value = params.get(name);
            if (value == null) throw new IllegalArgumentException(file + ": " + benchmark + " has no parameter '" + name + "'");
            return value;
        }
    }

    /**
     * The file a folder holds for {@code file}: {@code file} itself if it exists, else its gzipped
     * form {@code file.gz} if that exists, else {@code file} (so that a missing file is reported
     * under the name that was asked for).
     */
    public static Path stored(Path file) {
        if (Files.exists(file)) return file;
        Path gzipped = file.resolveSibling(file.getFileName() + ".gz");
        return Files.exists(gzipped) ? gzipped : file;
    }

    /** Whether a file name is JSON, as written ({@code .json}) or as committed ({@code .json.gz}). */
    public static boolean isJson(String fileName) {
        return fileName.endsWith(".json") || fileName.endsWith(".json.gz");
    }

    /** Every result of a JMH JSON file ({@code -rf json}); refuses units other than ms/op. */
    public static List<Jmh> jmh(Path file) {
        List<Jmh> out = new ArrayList<>();
        for (JsonNode e : readJson(file)) {
            String benchmark = e.path("benchmark").asText();
            JsonNode metric = e.path("primaryMetric");
            String unit = metric.path("scoreUnit").asText();
            if (!unit.equals("ms/op")) {
                throw new IllegalArgumentException(file + ": " + benchmark + " is in " + unit + ", expected ms/op");
            }
            String mode = e.path("mode").asText();
            double ms = mode.equals("sample") ? metric.path("scorePercentiles").path("50.0").asDouble() : metric.path("score").asDouble();
            Map<String, String> params = new TreeMap<>();
            e.path("params").properties().forEach(p -> params.put(p.getKey(), p.getValue().asText()));
            List<String> jvmArgs = new ArrayList<>();
            e.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
            out.add(new Jmh(benchmark.substring(benchmark.lastIndexOf('.') + 1), mode, params, ms,
                    e.path("vmName").asText() + " " + e.path("jdkVersion").asText(), jvmArgs, file));
        }
        return out;
    }

    /** DeviceCheck's {@code results.json} as a tree. */
    public static JsonNode deviceCheck(Path file) {
        return readJson(file);
    }

    /** One OpenBLAS figure: a core type at a thread count and size, the median GFLOPS of its products. */
    public record OpenBlas(String coreType, int threads, int n, double gflops, Path file) {}

    /**
     * {@code bench/peers/openblas_sgemm.py --json}: every core type that loaded (refused ones are
     * left out).
     */
    public static List<OpenBlas> openBlasJson(Path file) {
        List<OpenBlas> out = new ArrayList<>();
        for (JsonNode run : readJson(file).path("runs")) {
            if (run.has("refused")) continue;
            for (JsonNode r : run.path("results")) {
                out.add(new OpenBlas(run.path("core_type").asText(), run.path("threads_asked").asInt(), r.path("n").asInt(),
                        r.path("median").asDouble(), file));
            }
        }
        return out;
    }

    private static final Pattern OPENBLAS_LINE =
            Pattern.compile("(?:threads=(\\d+) )?openblas n=(\\d+) median ([\\d.]+) min");

    /**
     * The older single-core-type output, one line per size ({@code openblas n=1024 median 135.7 ...}),
     * optionally prefixed by {@code threads=T}; the core type and thread count the caller knows
     * otherwise come from the file name.
     */
    public static List<OpenBlas> openBlasLines(Path file, String coreType, int threads) {
        List<OpenBlas> out = new ArrayList<>();
        for (String line : lines(file)) {
            Matcher m = OPENBLAS_LINE.matcher(line);
            if (m.find()) {
                int t = m.group(1) != null ? Integer.parseInt(m.group(1)) : threads;
                out.add(new OpenBlas(coreType, t, Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)), file));
            }
        }
        return out;
    }

    private static final Pattern TORCH_STEP = Pattern.compile("^torch (\\S+)\\s+median ([\\d.]+) ms");
    private static final Pattern TORCH_LENET = Pattern.compile("^torch forward\\+backward threads=\\d+: median ([\\d.]+) ms");

    /**
     * The PyTorch peers' medians in milliseconds: {@code bench/peers/torch_optim.py}'s per
     * algorithm (and {@code triad}), {@code bench/peers/lenet_torch.py}'s forward + backward as
     * {@code lenet}.
     */
    public static Map<String, Double> torch(Path file) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : lines(file)) {
            Matcher m = TORCH_STEP.matcher(line);
            if (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
            m = TORCH_LENET.matcher(line);
            if (m.find()) out.put("lenet", Double.parseDouble(m.group(1)));
        }
        return out;
    }

    private static final Pattern STARTUP = Pattern.compile("Gradus kernels: (.*)$");

    /** The machine part of the kernels' start-up line ({@code amd64 "AMD EPYC", 32 vector registers, ...}), from the first log of a folder that has one. */
    public static Optional<String> machine(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                for (String line : lines(log)) {
                    Matcher m = STARTUP.matcher(line);
                    if (m.find()) {
                        String all = m.group(1);
                        int at = all.lastIndexOf("; ");
                        return Optional.of(at < 0 ? all : all.substring(at + 2));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    /** The first sentence of a README's "Machine" bullet, without its Markdown, if there is one. */
    public static Optional<String> readmeMachine(Path folder) {
        Path readme = folder.resolve("README.md");
        if (!Files.isRegularFile(readme)) return Optional.empty();
        StringBuilder bullet = null;
        for (String line : lines(readme)) {
            if (bullet == null && line.startsWith("* **Machine**")) {
                bullet = new StringBuilder(line.replace("* **Machine**:", "").trim());
            } else if (bullet != null && line.startsWith("  ") && !line.isBlank()) {
                bullet.append(' ').append(line.trim()); // the bullet's continuation lines
            } else if (bullet != null) {
                break;
            }
        }
        if (bullet == null) return Optional.empty();
        String text = bullet.toString().replace("`", "");
        int sentence = text.indexOf(". ");
        return Optional.of(sentence < 0 ? text : text.substring(0, sentence + 1));
    }

    private static JsonNode readJson(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
