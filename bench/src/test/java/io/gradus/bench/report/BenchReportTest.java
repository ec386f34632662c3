package io.gradus.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class BenchReportTest {

    /** Surefire runs in the module's directory. */
    static final Path RESULTS = Path.of("results");

    @TempDir
    Path tmp;

    @Test
    void everyResultsFolderIsReadListedOrSkippedWithAReason() throws IOException {
        Set<String> folders = new TreeSet<>();
        try (Stream<Path> s = Files.list(RESULTS)) {
            s.filter(Files::isDirectory).forEach(p -> folders.add(p.getFileName().toString()));
        }
        assertEquals(folders, new TreeSet<>(Manifest.FOLDERS.keySet()),
                "bench/results and Manifest.FOLDERS differ: place each new folder in the manifest (read, older or skipped with the reason)");
        Manifest.FOLDERS.forEach((name, use) -> {
            if (use.skipReason() != null) {
                assertTrue(use.sourceOf() == null && use.olderUnder() == null, name + ": a skipped folder is neither source nor older");
                assertFalse(use.skipReason().isBlank(), name);
            } else {
                assertTrue(use.sourceOf() != null || use.olderUnder() != null, name + ": a source, an older result or a skip reason");
            }
        });
    }

    /**
     * The whole report from the raw files alone, into an empty directory: every figure's PNG, a
     * README naming each figure's raw files, every source folder cited, every skipped folder with
     * its reason.
     */
    @Test
    void theReportIsRegeneratedFromTheRawFilesAlone() throws IOException {
        BenchReport report = new BenchReport(RESULTS);
        report.build();
        report.write(tmp);
        String readme = Files.readString(tmp.resolve("README.md"));
        assertFalse(report.figures().isEmpty());
        for (BenchReport.Figure f : report.figures()) {
            byte[] png = Files.readAllBytes(tmp.resolve(f.name() + ".png"));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', f.name() + ".png is a PNG");
            assertTrue(readme.contains("](" + f.name() + ".png)"), f.name());
            assertTrue(f.markdown().contains("*Raw file"), f.name() + " names its raw files");
        }
        Manifest.FOLDERS.forEach((name, use) -> {
            if (use.sourceOf() != null) assertTrue(readme.contains("`" + name + "/"), name + " is cited as a source");
            if (use.skipReason() != null) assertTrue(readme.contains(use.skipReason()), name + "'s reason");
            if (use.olderUnder() != null) {
                // listed once under each figure it names, and each name is a figure's
                List<String> under = use.olderFigures();
                for (String figure : under) {
                    assertTrue(report.figures().stream().anyMatch(f -> f.name().equals(figure)), name + ": no figure named " + figure);
                }
                String link = "(../results/" + name + "/README.md)";
                assertTrue(readme.split(Pattern.quote(link), -1).length - 1 >= under.size(),
                        name + " listed as older under " + under);
            }
        });
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    /**
     * A figure's numbers are the raw files': LeNet's Gradus medians recomputed here from the JMH
     * files by a plain text scan (the first "50.0" percentile in SampleTime, the first "score"
     * otherwise: the primary metric's), and the ratio from those and the PyTorch logs.
     */
    @Test
    void theLenetTableIsTheMedianOfTheRawScores() throws IOException {
        Path dir = RESULTS.resolve(BenchReport.LENET_ROUNDS);
        BenchReport report = new BenchReport(RESULTS);
        report.build();
        String md = report.figures().stream().filter(f -> f.name().equals("lenet")).findFirst().orElseThrow().markdown();
        Pattern score = Pattern.compile("\"score\"\\s*:\\s*([0-9.Ee+-]+)");
        Pattern median = Pattern.compile("\"50\\.0\"\\s*:\\s*([0-9.Ee+-]+)");
        Pattern sampleMode = Pattern.compile("\"mode\"\\s*:\\s*\"sample\"");
        double[] medians = new double[2];
        int i = 0;
        for (String path : new String[] {"native", "avx2"}) {
            List<Double> scores = new java.util.ArrayList<>();
            for (Path f : BenchReport.files(dir, n -> n.startsWith("lenet-" + path + "-") && ResultFiles.isJson(n))) {
                String text = text(f);
                Matcher m = (sampleMode.matcher(text).find() ? median : score).matcher(text);
                assertTrue(m.find(), f.toString());
                scores.add(Double.parseDouble(m.group(1)));
            }
            assertTrue(scores.size() >= 5, "five rounds: " + scores);
            medians[i++] = BenchReport.median(scores);
        }
        Pattern torch = Pattern.compile("forward\\+backward threads=2: median ([0-9.]+) ms");
        List<Double> torchMs = new java.util.ArrayList<>();
        for (Path f : BenchReport.files(dir, n -> n.startsWith("torch-lenet-"))) {
            Matcher m = torch.matcher(Files.readString(f));
            assertTrue(m.find(), f.toString());
            torchMs.add(Double.parseDouble(m.group(1)));
        }
        double t = BenchReport.median(torchMs);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "**%.2f**", medians[0] / t)), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "**%.2f**", medians[1] / t)), md);
    }

    /**
     * JSON under bench/results is committed gzipped, so that the tree fits beside the packed
     * runtime in what travels to the GPU machine (64 MiB): a plain {@code .json} there is one a
     * run wrote and nobody gzipped yet.
     */
    @Test
    void jsonUnderResultsIsCommittedGzipped() throws IOException {
        List<Path> plain;
        try (Stream<Path> s = Files.walk(RESULTS)) {
            plain = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(List.of(), plain, "gzip these (gzip -n -9 FILE): every reader takes NAME.json.gz "
                + "(ResultFiles.stored, bench/peers/results_io.py)");
    }

    @Test
    void gzippedJsonIsReadAsThePlainFileWas() throws IOException {
        String text = """
                [{"benchmark": "io.gradus.bench.GemmBench.gradus", "mode": "sample", "jdkVersion": "25.0.3", "vmName": "VM",
                  "jvmArgs": [], "params": {"n": "2048", "threads": "1"},
                  "primaryMetric": {"score": 180.5, "scoreUnit": "ms/op", "scorePercentiles": {"50.0": 171.25}}}]""";
        Path plain = tmp.resolve("gemm-native-1.json");
        assertEquals(plain, ResultFiles.stored(plain), "neither form there: the name asked for, for the error message");
        Path gzipped = tmp.resolve("gemm-native-1.json.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(gzipped, ResultFiles.stored(plain));
        List<ResultFiles.Jmh> r = ResultFiles.jmh(ResultFiles.stored(plain));
        assertEquals(1, r.size());
        assertEquals(171.25, r.get(0).ms());
        assertEquals(Map.of("n", "2048", "threads", "1"), r.get(0).params());
        Files.writeString(plain, text.replace("171.25", "99.0"));
        assertEquals(plain, ResultFiles.stored(plain), "the plain file first, where a run just wrote it");
        assertTrue(ResultFiles.isJson("openblas-3.json.gz") && ResultFiles.isJson("openblas-3.json"));
        assertFalse(ResultFiles.isJson("openblas-3.log") || ResultFiles.isJson("openblas-3.json.tmp"));
        assertEquals(List.of(plain, gzipped), BenchReport.files(tmp, n -> n.startsWith("gemm-native-") && ResultFiles.isJson(n)));
    }

    /** A raw file's text, gunzipped where it is stored gzipped. */
    private static String text(Path file) throws IOException {
        if (!file.toString().endsWith(".gz")) return Files.readString(file);
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void eachParserReadsWhatItsFormatSays() throws IOException {
        Path jmh = tmp.resolve("jmh.json");
        Files.writeString(jmh, """
                [{"benchmark": "io.gradus.bench.GemmBench.gradus", "mode": "sample", "jdkVersion": "25.0.3", "vmName": "VM",
                  "jvmArgs": ["-XX:UseAVX=2"], "params": {"n": "1024", "threads": "2"},
                  "primaryMetric": {"score": 12.5, "scoreUnit": "ms/op", "scorePercentiles": {"50.0": 11.0}}},
                 {"benchmark": "io.gradus.bench.LeNetBench.forwardBackward", "mode": "avgt", "jdkVersion": "25.0.3", "vmName": "VM",
                  "jvmArgs": [], "primaryMetric": {"score": 14.25, "scoreUnit": "ms/op"}}]""");
        List<ResultFiles.Jmh> r = ResultFiles.jmh(jmh);
        assertEquals(11.0, r.get(0).ms(), "SampleTime: the median product");
        assertEquals("gradus", r.get(0).benchmark());
        assertEquals(Map.of("n", "1024", "threads", "2"), r.get(0).params());
        assertEquals(List.of("-XX:UseAVX=2"), r.get(0).jvmArgs());
        assertEquals(14.25, r.get(1).ms(), "AverageTime: JMH's mean");
        Files.writeString(jmh, "[{\"benchmark\": \"x.Y.z\", \"mode\": \"thrpt\", \"primaryMetric\": {\"score\": 1, \"scoreUnit\": \"ops/s\"}}]");
        var e = assertThrows(IllegalArgumentException.class, () -> ResultFiles.jmh(jmh));
        assertTrue(e.getMessage().contains("z is in ops/s, expected ms/op"), e.getMessage());

        Path blas = tmp.resolve("openblas.log");
        Files.writeString(blas, "openblas ['0.3.21'] kernel ['Zen'] threads [2]\nopenblas n=1024 median 104.1 min 96.0 max 105.0 GFLOPS over 7\n"
                + "threads=2 openblas n=2048 median 201.5 min 190.0 max 203.0 GFLOPS over 5\n");
        assertEquals(List.of(new ResultFiles.OpenBlas("Zen", 1, 1024, 104.1, blas), new ResultFiles.OpenBlas("Zen", 2, 2048, 201.5, blas)),
                ResultFiles.openBlasLines(blas, "Zen", 1));
        Path blasJson = tmp.resolve("openblas.json");
        Files.writeString(blasJson, """
                {"runs": [{"core_type": "Cooperlake", "threads_asked": 1, "results": [{"n": 1024, "median": 96.5}]},
                          {"core_type": "SapphireRapids", "threads_asked": 1, "refused": "asked for X", "results": []}]}""");
        assertEquals(List.of(new ResultFiles.OpenBlas("Cooperlake", 1, 1024, 96.5, blasJson)), ResultFiles.openBlasJson(blasJson));

        Path torch = tmp.resolve("torch.log");
        Files.writeString(torch, "torch sgd               median 4.36 ms, range 4.08-15.46 ms over 20\n"
                + "torch forward+backward threads=2: median 20.48 ms, range 12.50-126.70 ms over 100\n"
                + "torch forward+backward+SGD threads=2: median 27.13 ms, range 13.34-123.02 ms over 100\n");
        assertEquals(Map.of("sgd", 4.36, "lenet", 20.48), ResultFiles.torch(torch));
    }
}
