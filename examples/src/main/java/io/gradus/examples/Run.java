package io.gradus.examples;

import io.gradus.core.data.DataHub;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What a section runs with: its options, where its output goes, and the record of what it printed
 * and drew, which becomes its part of {@code report.md} when the section finishes.
 */
public final class Run {

    private final Section section;
    private final Path out;
    private final boolean quick;
    private final long seed;
    private final Integer epochs;
    private final Progress.Mode progressMode;
    private final boolean onDevice;
    private final PrintStream stdout, stderr;
    private final List<Report.Entry> entries = new ArrayList<>();
    private final List<Path> figures = new ArrayList<>();
    private int seeds = 1;
    private List<String> schedules = List.of();

    Run(Section section, Path out, boolean quick, long seed, Integer epochs, Progress.Mode progressMode, boolean onDevice,
        PrintStream stdout, PrintStream stderr) {
        this.section = section;
        this.out = out;
        this.quick = quick;
        this.seed = seed;
        this.epochs = epochs;
        this.progressMode = progressMode;
        this.onDevice = onDevice;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * This run with {@code seeds} seeds per LeNet schedule of 11.11 and only the {@code schedules}
     * named (empty: all).
     */
    Run withSeeds(int seeds, List<String> schedules) {
        if (seeds < 1) throw new IllegalArgumentException("seeds = " + seeds + ": expected >= 1");
        this.seeds = seeds;
        this.schedules = List.copyOf(schedules);
        return this;
    }

    /** How many seeds each LeNet schedule of 11.11 trains on ({@code --seeds}), from {@link #seed()} on. */
    public int seeds() {
        return seeds;
    }

    /** The schedules of 11.11 to train ({@code --schedule}, by the first word of their names); empty: all. */
    public List<String> schedules() {
        return schedules;
    }

    /** Whether to run the short version of long experiments (subsets, fewer epochs, shorter benchmarks). */
    public boolean quick() {
        return quick;
    }

    /**
     * The device the networks train on ({@code --device gpu}): the shared context on the device
     * {@code -Dgradus.device} chooses; null for the CPU.
     */
    public io.gradus.gpu.DeviceContext device() {
        return onDevice ? io.gradus.gpu.DeviceContext.shared() : null;
    }

    /** The seed every random choice of the section derives from. */
    public long seed() {
        return seed;
    }

    /** The number of epochs the user asked for, or {@code fallback}. */
    public int epochs(int fallback) {
        return epochs == null ? fallback : epochs;
    }

    /** The output directory (figures, report.md, raw benchmark results). */
    public Path outDir() {
        return out;
    }

    /** Where datasets are found (see {@link DataHub#fromEnvironment()}). */
    public DataHub hub() {
        return hubs.get();
    }

    /** Where {@link #hub()} comes from; tests swap in a hub that finds nothing. */
    static java.util.function.Supplier<DataHub> hubs = DataHub::fromEnvironment;

    /** Prints a result line to stdout and records it for the report. */
    public void say(String line) {
        stdout.println(line);
        stdout.flush();
        entries.add(new Report.Line(line));
    }

    /** {@link #say} with a format, always in the ROOT locale (a decimal point, never a comma). */
    public void sayf(String format, Object... args) {
        say(String.format(Locale.ROOT, format, args));
    }

    /** Writes {@code chart} as {@code <out>/<name>.png} (to a temporary name, then renamed) and records it. */
    public Path figure(String name, Chart<?, ?> chart, String caption) throws IOException {
        Files.createDirectories(out);
        Path png = out.resolve(name + ".png");
        Path tmp = Files.createTempFile(out, "." + name, ".tmp");
        try {
            Files.write(tmp, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        entries.add(new Report.Figure(png.getFileName().toString(), caption));
        figures.add(png);
        return png;
    }

    /** Progress on stderr for {@code total} units of a long task. */
    public Progress progress(String task, long total) {
        return Progress.open(progressMode, section.name() + " " + task, total, stderr);
    }

    /** The figures written so far. */
    List<Path> figures() {
        return List.copyOf(figures);
    }

    /** Appends what the section printed and drew to {@code <out>/report.md}. */
    void writeReport(String note) throws IOException {
        List<Report.Entry> all = new ArrayList<>(entries);
        if (note != null) all.add(new Report.Line(note));
        Report.append(out.resolve("report.md"), Report.markdown(section.title() + " (`" + section.name() + "`)", all));
    }
}
