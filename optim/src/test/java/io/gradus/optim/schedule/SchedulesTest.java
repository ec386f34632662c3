package io.gradus.optim.schedule;

import org.junit.jupiter.api.Test;

import static io.gradus.optim.schedule.Schedules.*;
import static org.junit.jupiter.api.Assertions.*;

/** The values MXNet's schedulers give on the chapter's examples (11.11; book/NOTES.md). */
class SchedulesTest {

    @Test
    void cosineAsInTheChapter() {
        LrSchedule cos = cosine(40, 0.5, 0.01);
        assertEquals(0.5, cos.rate(0), 1e-15);
        assertEquals(0.255, cos.rate(20), 1e-15);
        assertEquals(0.01, cos.rate(40), 1e-15);
        assertEquals(0.01, cos.rate(41), 0, "pinned at the final rate after T");
        LrSchedule warm = cosineWithWarmup(40, 0.5, 0.01, 5, 0, WarmupMode.LINEAR);
        double[] first = {0, 0.1, 0.2, 0.3, 0.4, 0.5};
        for (int t = 0; t < first.length; t++) assertEquals(first[t], warm.rate(t), 1e-15, "t = " + t);
        // MXNet: final + (base - final)(1 + cos(pi (t - 5) / 35)) / 2 after the warmup.
        assertEquals(0.01 + 0.49 * (1 + Math.cos(Math.PI * 15 / 35)) / 2, warm.rate(20), 1e-15);
        assertEquals(0.01, warm.rate(40), 1e-15);
    }

    @Test
    void multiFactorDropsOnceTheCountExceedsEachStep() {
        LrSchedule s = multiFactor(new long[] {15, 30}, 0.5, 0.5);
        for (int t = 0; t <= 15; t++) assertEquals(0.5, s.rate(t), "t = " + t);
        for (int t = 16; t <= 30; t++) assertEquals(0.25, s.rate(t), "t = " + t);
        assertEquals(0.125, s.rate(31));
        assertEquals(0.125, s.rate(1000));
    }

    @Test
    void theBooksFactorSchedulerDecaysOncePerUpdateAndReadingItChangesNothing() {
        BookFactorScheduler s = new BookFactorScheduler(0.9, 1e-2, 2.0);
        double expected = 2.0;
        for (int t = 1; t <= 60; t++) {
            expected = Math.max(1e-2, expected * 0.9);
            for (int read = 0; read < 3; read++) assertEquals(expected, s.rate(t), 0, "update " + t + ", read " + read);
            s.advance(t);
        }
        BookFactorScheduler fresh = new BookFactorScheduler(0.9, 1e-2, 2.0);
        assertEquals(1.8, fresh.rate(1), 0, "the book's first value is base * factor");
        fresh.advance(1);
        assertEquals(1.62, fresh.rate(2), 1e-15);
        fresh.advance(2);
        double[] saved = fresh.state();
        double next = fresh.rate(3);
        BookFactorScheduler resumed = new BookFactorScheduler(0.9, 1e-2, 2.0);
        resumed.restore(saved);
        assertEquals(next, resumed.rate(3), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> resumed.restore(new double[] {1, 2}));
        assertEquals("book factor scheduler state [1.0, 2.0]: expected one finite rate >= 0", e.getMessage());
        assertEquals(next, resumed.rate(3), 0, "a refused state changes nothing");
    }

    @Test
    void compositesForwardAdvanceReportAndStateToTheirParts() {
        LrScheduler nested = sequence(new BookFactorScheduler(0.5, 0, 1.0), 2,
                warmup(new ReduceOnPlateau(0.1, 0.5, 0, 0, 0, 0), 1, 0.01, WarmupMode.CONSTANT));
        assertEquals(0.5, nested.rate(0), 0);
        nested.advance(0);
        nested.advance(1);
        assertEquals(0.01, nested.rate(2), 0, "the warmup of the second part");
        assertEquals(0.1, nested.rate(3), 0);
        nested.report(5);
        nested.report(6); // no improvement, patience 0: halved
        assertEquals(0.05, nested.rate(3), 0);
        double[] st = nested.state();
        assertArrayEquals(new double[] {1, 0.25, 0.05, 5, 0, 0}, st);
        LrScheduler copy = sequence(new BookFactorScheduler(0.5, 0, 1.0), 2,
                warmup(new ReduceOnPlateau(0.1, 0.5, 0, 0, 0, 0), 1, 0.01, WarmupMode.CONSTANT));
        copy.restore(st);
        assertArrayEquals(st, copy.state());
        assertThrows(IllegalArgumentException.class, () -> copy.restore(new double[] {1, 0.3, 1}));
        assertArrayEquals(st, copy.state(), "a refused state leaves every part as it was");
        var e = assertThrows(IllegalArgumentException.class, () -> LrScheduler.of(squareRoot(1)).restore(new double[] {1}));
        assertEquals("schedule state [1.0]: this schedule is pure and keeps none", e.getMessage());
    }

    @Test
    void aWarmupReadsTheScheduleAfterItOnlyWhenAsked() {
        int[] reads = {0};
        LrSchedule counted = t -> {
            reads[0]++;
            return 0.5;
        };
        LrSchedule w = warmup(counted, 4, 0, WarmupMode.LINEAR);
        assertEquals(0, reads[0], "building the warmup reads nothing");
        assertEquals(0.25, w.rate(2), 1e-15);
    }

    @Test
    void mxnetFactorDecaysEachTimeTheCountPassesAMultipleOfStep() {
        LrSchedule s = mxnetFactor(10, 0.5, 0.1, 1.0);
        assertEquals(1.0, s.rate(0));
        assertEquals(1.0, s.rate(10));
        assertEquals(0.5, s.rate(11));
        assertEquals(0.5, s.rate(20));
        assertEquals(0.25, s.rate(21));
        assertEquals(0.125, s.rate(31));
        assertEquals(0.1, s.rate(1000), "floored at stop_factor_lr");
    }

    @Test
    void simpleSchedules() {
        assertEquals(1.0, squareRoot(1.0).rate(0));
        assertEquals(Math.pow(2, -0.5), squareRoot(1.0).rate(1), 1e-15);
        assertEquals(Math.exp(-0.1 * 7), exponential(1, 0.1).rate(7), 1e-15);
        assertEquals(Math.pow(1 + 0.1 * 7, -0.5), polynomialDecay(1, 0.1, 0.5).rate(7), 1e-15);
        LrSchedule p = poly(10, 1, 2, 0);
        assertEquals(0.25, p.rate(5), 1e-15);
        assertEquals(0, p.rate(12));
        LrSchedule pw = piecewiseConstant(new long[] {3, 6}, new double[] {1, 0.1, 0.01});
        assertEquals(1, pw.rate(2));
        assertEquals(0.1, pw.rate(3));
        assertEquals(0.01, pw.rate(100));
        LrSchedule seq = sequence(LrSchedule.constant(0.3), 4, squareRoot(1));
        assertEquals(0.3, seq.rate(3));
        assertEquals(1.0, seq.rate(4));
        LrSchedule constWarm = warmup(LrSchedule.constant(0.5), 3, 0.05, WarmupMode.CONSTANT);
        assertEquals(0.05, constWarm.rate(2));
        assertEquals(0.5, constWarm.rate(3));
    }

    @Test
    void reduceOnPlateau() {
        ReduceOnPlateau s = new ReduceOnPlateau(1.0, 0.5, 2, 0.0, 1, 0.1);
        double[] after = new double[6];
        double[] metrics = {10, 9, 9, 9, 9, 9};
        for (int i = 0; i < metrics.length; i++) {
            s.report(metrics[i]);
            after[i] = s.rate(1);
        }
        // improved, improved, 1 bad, 2 bad, 3 bad > patience 2: halved, then cooling down
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.5, 0.5}, after);
        assertEquals(0.5, s.rate(123));
        double[] st = s.state();
        ReduceOnPlateau r = new ReduceOnPlateau(1.0, 0.5, 2, 0.0, 1, 0.1);
        r.restore(st);
        s.report(9);
        r.report(9);
        assertEquals(s.rate(1), r.rate(1));
        assertArrayEquals(s.state(), r.state());
    }

    @Test
    void badHyperparametersNameTheParameterAndTheRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> cosine(0, 0.5, 0.01));
        assertEquals("maxUpdate = 0: expected >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> squareRoot(Double.NaN));
        assertEquals("lr = NaN: expected a finite rate >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> multiFactor(new long[] {30, 15}, 0.5, 0.5));
        assertEquals("steps = [30, 15]: expected strictly increasing", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BookFactorScheduler(1.5, 0.01, 2));
        assertEquals("factor = 1.5: expected 0 < factor <= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> squareRoot(1).rate(-1));
        assertEquals("t = -1: expected an update count >= 0", e.getMessage());
    }

    /**
     * One-cycle, cyclic and Optax's exponential decay against the rates PyTorch 1.13 (and Optax's
     * formula) give, written by {@code optim/src/test/python/torch_schedules.py}: update t gets the
     * library's rate at its count t - 1.
     */
    @Test
    void oneCycleCyclicAndExponentialDecayFollowPyTorchAndOptax() throws java.io.IOException {
        java.util.Map<String, LrSchedule> cases = new java.util.LinkedHashMap<>();
        cases.put("one-cycle-cos", oneCycle(40, 0.5));
        cases.put("one-cycle-linear", oneCycle(33, 0.2, 0.25, Anneal.LINEAR, 10, 100, false));
        cases.put("one-cycle-three-phase", oneCycle(50, 1.0, 0.3, Anneal.COS, 25, 1e4, true));
        cases.put("cyclic-triangular", cyclicTriangular(0.01, 0.1, 4, 6));
        cases.put("exponential-decay", exponentialDecay(0.1, 5, 0.5, 0, false, java.util.OptionalDouble.empty()));
        cases.put("exponential-decay-staircase", exponentialDecay(0.1, 4, 0.5, 3, true, java.util.OptionalDouble.of(0.01)));
        int seen = 0;
        try (var in = SchedulesTest.class.getResourceAsStream("torch-schedules.tsv")) {
            assertNotNull(in, "torch-schedules.tsv is missing from the test resources");
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t");
                LrSchedule s = cases.get(f[0]);
                assertNotNull(s, "no Gradus schedule for case " + f[0]);
                for (int t = 1; t < f.length; t++) {
                    double want = Double.parseDouble(f[t]);
                    assertEquals(want, s.rate(t), 1e-12 * Math.max(1, want), f[0] + " at update " + t);
                }
                seen++;
            }
        }
        assertEquals(cases.size(), seen, "every case of the script");
        var e = assertThrows(IllegalArgumentException.class, () -> oneCycle(3, 0.1, 0.3, Anneal.COS, 25, 1e4, false));
        assertTrue(e.getMessage().contains("phase 1 would be empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> exponentialDecay(0.1, 0, 0.5, 0, false, java.util.OptionalDouble.empty()));
        assertEquals("transitionSteps = 0: expected >= 1", e.getMessage());
        assertEquals(0.5 / 25 / 1e4, oneCycle(40, 0.5).rate(40), 1e-15, "the last update gets the minimum, max / 25 / 1e4");
        assertEquals(0.5 / 25 / 1e4, oneCycle(40, 0.5).rate(1000), 1e-15, "past the end it stays at the minimum");
    }
}
