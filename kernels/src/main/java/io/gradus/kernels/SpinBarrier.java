package io.gradus.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A reusable barrier for the few members of a {@link Parallel#team}: they meet here dozens of
 * times per SGEMM, microseconds apart, so waiting spins briefly before yielding the core (a pool
 * may have more threads than cores). Allocation-free; can be broken when a member fails.
 */
final class SpinBarrier {

    /** Thrown in the members still waiting when another member failed. */
    static final class BrokenException extends RuntimeException {
        BrokenException() {
            super("another member of the team failed", null, false, false);
        }
    }

    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;
    private volatile boolean broken;

    SpinBarrier(int parties) {
        this.parties = parties;
    }

    void await() {
        int current = phase;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            phase = current + 1; // volatile write: releases every member's earlier writes
            return;
        }
        for (int spins = 0; phase == current; spins++) {
            if (broken) throw new BrokenException();
            if (spins < 2_000) {
                Thread.onSpinWait();
            } else if (spins < 4_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    void breakBarrier() {
        broken = true;
    }
}
