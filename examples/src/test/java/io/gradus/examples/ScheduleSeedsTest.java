package io.gradus.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** {@code schedules --seeds N --schedule ID}: 11.11 over seeds, reported as medians and ranges. */
class ScheduleSeedsTest {

    @Test
    void spreadsAreTheMedianAndTheRange() {
        assertEquals(new LeNetRuns.Spread(0.5, 0.1, 0.9), LeNetRuns.Spread.of(new double[] {0.9, 0.1, 0.5}));
        assertEquals(new LeNetRuns.Spread(0.35, 0.1, 0.9), LeNetRuns.Spread.of(new double[] {0.9, 0.1, 0.2, 0.5}));
        assertEquals("0.350 (0.100-0.900)", LeNetRuns.Spread.of(new double[] {0.9, 0.1, 0.2, 0.5}).toString());
        var e = assertThrows(IllegalArgumentException.class, () -> LeNetRuns.Spread.of(new double[0]));
        assertEquals("values: expected at least one", e.getMessage());
    }

    /**
     * Two seeds of one schedule on the quick subset: a line per seed, then the medians and ranges
     * of those lines' numbers, the book's line beside them, and the figure with its band.
     */
    @Test
    void twoSeedsOfOneSchedulePrintEachSeedAndTheirMedian(@TempDir Path out) throws Exception {
        var r = CliErrorsTest.run("schedules", "--quick", "--seeds", "2", "--schedule", "cosine", "--progress", "none",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String text = r.out();
        assertTrue(text.contains("2 seeds per schedule (1 to 2)"), text);
        assertFalse(text.contains("square root (lr 1.0):"), "only the schedule asked for trains: " + text);
        var seedLine = java.util.regex.Pattern.compile("  seed (\\d): train loss ([0-9.]+), train acc ([0-9.]+), test acc ([0-9.]+)");
        var m = seedLine.matcher(text);
        double[] test = new double[2];
        int seeds = 0;
        while (m.find()) test[seeds++] = Double.parseDouble(m.group(4));
        assertEquals(2, seeds, text);
        String range = String.format(java.util.Locale.ROOT, "(%.3f-%.3f) over 2 seeds (1-2)", Math.min(test[0], test[1]),
                Math.max(test[0], test[1]));
        var medianLine = java.util.regex.Pattern.compile("test acc ([0-9.]+) \\(([0-9.]+)-([0-9.]+)\\) over 2 seeds \\(1-2\\)").matcher(text);
        assertTrue(medianLine.find() && text.contains("test acc " + medianLine.group(1) + " " + range), "expected the range " + range + " in " + text);
        // the median of two is their mean (of the unrounded values: within the printed rounding)
        assertEquals((test[0] + test[1]) / 2, Double.parseDouble(medianLine.group(1)), 0.001, text);
        assertTrue(text.contains("  the book, 40 epochs: train loss 0.342, train acc 0.876, test acc 0.867"), text);
        assertTrue(Files.size(out.resolve("11.11-cosine-lenet.png")) > 1000);
        assertTrue(Files.readString(out.resolve("report.md")).contains("(median over 2 seeds, the band their range)"));
    }

    @Test
    void anUnknownScheduleIsRefusedWithTheChoices(@TempDir Path out) {
        var r = CliErrorsTest.run("schedules", "--quick", "--schedule", "linear", "--progress", "none", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--schedule linear: expected one of [constant, square-root, book-factor, multi-factor, cosine, cosine-warmup]"),
                r.err());
    }
}
