package io.gradus.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long run on stderr: a redrawn bar (the {@code progressbar} library) when stderr is
 * a terminal, plain lines at most every few seconds otherwise (a log file or CI gets a readable
 * record instead of carriage returns), or nothing.
 */
public abstract class Progress implements AutoCloseable {

    /** How progress is shown: {@code auto} picks {@code bar} when stderr is a terminal, else {@code lines}. */
    public enum Mode { AUTO, BAR, LINES, NONE }

    /** Advances by {@code n} units and shows {@code message} (e.g. the running loss) beside the count. */
    public abstract void step(long n, String message);

    @Override
    public abstract void close();

    static Progress open(Mode mode, String task, long total, PrintStream err) {
        Mode m = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : mode;
        return switch (m) {
            case BAR -> new Bar(task, total, err);
            case LINES -> new Lines(task, total, err);
            default -> new Progress() {
                @Override public void step(long n, String message) {}
                @Override public void close() {}
            };
        };
    }

    /**
     * Whether stderr is a terminal. Java has no direct test for stderr; on Linux its file descriptor
     * links to a {@code /dev/pts} or {@code /dev/tty} device exactly when it is one. Elsewhere the
     * console's own test (stdin and stdout) stands in.
     */
    static boolean stderrIsTerminal() {
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // not Linux, or /proc unreadable: fall through
        }
        var console = System.console();
        return console != null && console.isTerminal();
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String task, long total, PrintStream err) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }

        @Override
        public void step(long n, String message) {
            bar.stepBy(n);
            if (message != null) bar.setExtraMessage(" " + message);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private static final long INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();
        private final String task;
        private final long total;
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long done, lastPrinted = System.nanoTime();

        Lines(String task, long total, PrintStream err) {
            this.task = task;
            this.total = total;
            this.err = err;
        }

        @Override
        public void step(long n, String message) {
            done += n;
            long now = System.nanoTime();
            if (now - lastPrinted >= INTERVAL_NANOS || done == total) {
                lastPrinted = now;
                err.printf(java.util.Locale.ROOT, "%s: %d/%d (%.0f%%), %.1f s%s%n", task, done, total,
                        100.0 * done / Math.max(1, total), (now - start) / 1e9, message == null ? "" : ", " + message);
            }
        }

        @Override
        public void close() {}
    }
}
