package io.gradus.kernels;

import io.gradus.kernels.internal.Checks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A fixed pool of threads for data-parallel kernels. A pool of {@code T} threads runs work on the
 * calling thread plus {@code T - 1} daemon workers, so {@code ofThreads(1)} runs everything inline.
 *
 * <p>Two ways to run work: {@link #forEach} hands out independent tasks; {@link #team} runs one
 * body on all {@code T} threads at once, which may meet at {@link Team#barrier()} (the SGEMM
 * packs shared panels together, waits, then computes). One job runs on a pool at a time — callers
 * queue on a lock — so a team's members always find idle workers and a barrier cannot deadlock.
 * Called from inside one of the pool's own jobs, both run inline on the calling thread alone.
 *
 * <p>The shared pool ({@link #common()}) has {@code -Dgradus.threads} threads, by default
 * {@link Runtime#availableProcessors()}. Kernels that take no pool use it.
 */
public final class Parallel implements AutoCloseable {

    /** System property giving the size of the shared pool. */
    public static final String THREADS_PROPERTY = "gradus.threads";

    private static final class CommonHolder {
        static final Parallel COMMON = new Parallel(threadsFromProperty(System.getProperty(THREADS_PROPERTY)), true);
    }

    /** One member of a running {@link #team}: its index, the team's size, and the shared barrier. */
    public static final class Team {
        private static final Team ALONE = new Team(0, 1, null);

        private final int index;
        private final int size;
        private final SpinBarrier barrier;

        Team(int index, int size, SpinBarrier barrier) {
            this.index = index;
            this.size = size;
            this.barrier = barrier;
        }

        /** A team of one, for running team code on the calling thread only. */
        public static Team alone() {
            return ALONE;
        }

        /** This member's index in {@code [0, size())}. */
        public int index() {
            return index;
        }

        public int size() {
            return size;
        }

        /** Waits until every member of the team has arrived (a full memory fence for their writes). */
        public void barrier() {
            if (barrier != null) barrier.await();
        }
    }

    private final int threads;
    private final ExecutorService workers;
    private final ThreadGroup group;
    private final boolean shared;
    private final ReentrantLock jobLock = new ReentrantLock();

    private Parallel(int threads, boolean shared) {
        this.threads = threads;
        this.shared = shared;
        this.group = new ThreadGroup("gradus-pool-" + threads);
        if (threads > 1) {
            AtomicInteger counter = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(group, r, "gradus-worker-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.workers = null;
        }
    }

    /** A new pool of {@code threads} threads (the caller counts as one); close it when done. */
    public static Parallel ofThreads(int threads) {
        Checks.positive("threads", threads);
        return new Parallel(threads, false);
    }

    /** The shared pool sized by {@code -Dgradus.threads} (default: all processors). */
    public static Parallel common() {
        return CommonHolder.COMMON;
    }

    static int threadsFromProperty(String value) {
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below, which names the property and the value
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " = '" + value
                + "': expected a whole number >= 1");
    }

    /** Number of threads, counting the caller. */
    public int threads() {
        return threads;
    }

    private boolean inline() {
        return threads == 1 || Thread.currentThread().getThreadGroup() == group;
    }

    /**
     * Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)} and returns when all
     * are done. An exception in any task is rethrown here (the others still finish).
     *
     * <p>Each member starts on its own contiguous range of tasks, in order, and only when its range
     * is done takes tasks from the back of the others' ({@link TaskRanges}), as OpenMP's static
     * schedule splits PyTorch's loops, with stealing for a member slowed down by a noisy neighbour or
     * the garbage collector. Handed out one at a time in turn, as before issue 25, the tasks of two
     * threads streaming one array were always neighbouring chunks, and on that Zen 5 guest
     * SGD's step over 16M floats ran markedly slower that way (KERNELS.md, "Splitting a pass across
     * threads"; the likely cause is one core's prefetcher reading past its chunk into lines the
     * other core is writing).
     */
    public void forEach(int tasks, IntConsumer body) {
        Checks.nonNegative("tasks", tasks);
        if (tasks == 0) {
            return;
        }
        if (tasks == 1 || inline()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        int members = Math.min(tasks, threads);
        TaskRanges ranges = new TaskRanges(tasks, members);
        run(members, false, member -> {
            int m = member.index();
            for (int t; (t = ranges.takeFront(m)) >= 0; ) {
                body.accept(t);
            }
            for (int k = 1; k < members; k++) {
                int victim = (m + k) % members;
                for (int t; (t = ranges.takeBack(victim)) >= 0; ) {
                    body.accept(t);
                }
            }
        });
    }

    /**
     * {@code [0, tasks)} cut into one contiguous range per member, each a double-ended counter: its
     * owner takes from the front, the others steal from the back, so a thief works far from where
     * the owner is. A range is {@code (front, back)} packed in one long, changed by compare-and-set,
     * one cache line per range (so two owners' counters do not share a line).
     */
    static final class TaskRanges {
        private static final int STRIDE = 8; // longs per 64-byte cache line
        private final AtomicLongArray bounds;

        TaskRanges(int tasks, int members) {
            bounds = new AtomicLongArray(members * STRIDE);
            for (int m = 0; m < members; m++) {
                long from = (long) tasks * m / members, to = (long) tasks * (m + 1) / members;
                bounds.set(m * STRIDE, from << 32 | to);
            }
        }

        /** The next task at the front of range {@code r}, or -1 when it is empty. */
        int takeFront(int r) {
            int i = r * STRIDE;
            while (true) {
                long b = bounds.get(i);
                int front = (int) (b >>> 32), back = (int) b;
                if (front >= back) return -1;
                if (bounds.compareAndSet(i, b, (long) (front + 1) << 32 | back)) return front;
            }
        }

        /** The last task of range {@code r}, or -1 when it is empty. */
        int takeBack(int r) {
            int i = r * STRIDE;
            while (true) {
                long b = bounds.get(i);
                int front = (int) (b >>> 32), back = (int) b;
                if (front >= back) return -1;
                if (bounds.compareAndSet(i, b, (long) front << 32 | (back - 1))) return back - 1;
            }
        }
    }

    /**
     * Runs {@code body} on every thread of the pool at once, each with its own {@link Team} view
     * ({@code size()} equals {@link #threads()}, or 1 when called from inside this pool). If a
     * member throws, the barrier breaks so the others stop too, and the first exception is
     * rethrown here.
     */
    public void team(Consumer<Team> body) {
        if (inline()) {
            body.accept(Team.ALONE);
            return;
        }
        run(threads, true, body);
    }

    private void run(int members, boolean withBarrier, Consumer<Team> body) {
        jobLock.lock();
        try {
            SpinBarrier barrier = withBarrier ? new SpinBarrier(members) : null;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(members - 1);
            for (int i = 1; i < members; i++) {
                Team member = new Team(i, members, barrier);
                workers.execute(() -> {
                    try {
                        runMember(body, member, failure, barrier);
                    } finally {
                        done.countDown();
                    }
                });
            }
            runMember(body, new Team(0, members, barrier), failure, barrier);
            awaitUninterruptibly(done);
            Throwable e = failure.get();
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        } finally {
            jobLock.unlock();
        }
    }

    private static void runMember(Consumer<Team> body, Team member, AtomicReference<Throwable> failure,
                                  SpinBarrier barrier) {
        try {
            body.accept(member);
        } catch (SpinBarrier.BrokenException broken) {
            // another member failed first; its exception is the one reported
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            if (barrier != null) barrier.breakBarrier();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the members are running on shared arrays: let them finish
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Stops the workers (the shared pool ignores this). */
    @Override
    public void close() {
        if (workers != null && !shared) {
            workers.shutdown();
        }
    }

    @Override
    public String toString() {
        return "Parallel[" + threads + " threads]";
    }
}
