package io.gradus.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {

    @Test
    void threadsProperty() {
        assertEquals(Runtime.getRuntime().availableProcessors(), Parallel.threadsFromProperty(null));
        assertEquals(3, Parallel.threadsFromProperty(" 3 "));
        var e = assertThrows(IllegalArgumentException.class, () -> Parallel.threadsFromProperty("zero"));
        assertEquals("-Dgradus.threads = 'zero': expected a whole number >= 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.threadsFromProperty("0"));
    }

    /**
     * Every task of every job runs exactly once, on every pool size and for task counts below, at
     * and above it (each member's own range, then stealing from the others' backs).
     */
    @Test
    void everyTaskRunsOnce() {
        for (int threads : new int[]{1, 2, 3, 5}) {
            try (Parallel pool = Parallel.ofThreads(threads)) {
                for (int job = 0; job < 300; job++) {
                    int tasks = 1 + job % 7;
                    java.util.concurrent.atomic.AtomicIntegerArray runs = new java.util.concurrent.atomic.AtomicIntegerArray(tasks);
                    pool.forEach(tasks, runs::incrementAndGet);
                    for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), "threads " + threads + ", job " + job + ", task " + t);
                    int[] members = new int[threads];
                    pool.team(member -> {
                        assertEquals(threads, member.size());
                        members[member.index()]++;
                        member.barrier();
                    });
                    for (int m = 0; m < threads; m++) assertEquals(1, members[m], "threads " + threads + ", member " + m);
                }
            }
        }
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolStaysUsable() {
        try (Parallel pool = Parallel.ofThreads(3)) {
            var e = assertThrows(IllegalStateException.class, () -> pool.forEach(6, t -> {
                if (t == 4) throw new IllegalStateException("task 4");
            }));
            assertEquals("task 4", e.getMessage());
            int[] sum = new int[1];
            pool.team(member -> {
                synchronized (sum) {
                    sum[0] += member.index();
                }
            });
            assertEquals(0 + 1 + 2, sum[0]);
        }
    }

    /** Owners take their range from the front, thieves from the back, and nothing is taken twice. */
    @Test
    void taskRangesAreContiguousAndStolenFromTheBack() {
        Parallel.TaskRanges ranges = new Parallel.TaskRanges(10, 3); // [0,3) [3,6) [6,10)
        assertEquals(0, ranges.takeFront(0));
        assertEquals(3, ranges.takeFront(1));
        assertEquals(6, ranges.takeFront(2));
        assertEquals(9, ranges.takeBack(2));
        assertEquals(8, ranges.takeBack(2));
        assertEquals(7, ranges.takeFront(2));
        assertEquals(-1, ranges.takeFront(2));
        assertEquals(-1, ranges.takeBack(2));
        assertEquals(1, ranges.takeFront(0));
        assertEquals(2, ranges.takeBack(0));
        assertEquals(-1, ranges.takeFront(0));
        assertEquals(5, ranges.takeBack(1));
        assertEquals(4, ranges.takeFront(1));
        assertEquals(-1, ranges.takeBack(1));
    }
}
