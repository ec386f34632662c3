package io.gradus.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool of threads for data-parallel kernels. A pool of {@code T} threads runs work on the
 * calling thread plus {@code T - 1} daemon workers, so {@code ofThreads(1)} runs everything inline.
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

    private final int threads;
    private final ExecutorService workers;
    private final ThreadGroup group;
    private final boolean shared;

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

    /**
     * Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)} and returns when all
     * are done. Tasks are handed out dynamically. An exception in any task is rethrown here (the
     * others still finish). Called from inside one of this pool's own tasks, it runs inline, so
     * nesting cannot deadlock.
     */
    public void forEach(int tasks, IntConsumer body) {
        Checks.nonNegative("tasks", tasks);
        if (tasks == 0) {
            return;
        }
        if (threads == 1 || tasks == 1 || Thread.currentThread().getThreadGroup() == group) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        int helpers = Math.min(tasks, threads) - 1;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(helpers);
        Runnable drain = () -> {
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        for (int h = 0; h < helpers; h++) {
            workers.execute(() -> {
                try {
                    drain.run();
                } finally {
                    done.countDown();
                }
            });
        }
        drain.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pool tasks", e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
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
