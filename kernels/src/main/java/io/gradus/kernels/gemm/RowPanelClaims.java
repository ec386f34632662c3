package io.gradus.kernels.gemm;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The A panels of one {@code kc x nc} block (or, where {@link BlockedSgemm#columnParts} cuts the
 * block's columns into parts, its (A panel, part) pairs, numbered part by part: "panels" below),
 * split among the members of a team as contiguous
 * ranges that each member takes from the front, in blocks, and that a member whose own range is
 * empty takes from the back of: work stealing over row blocks, so that when the host slows one
 * core down the other computes more of the rows instead of waiting at the barrier.
 *
 * <p>Block sizes ({@link #blockSize}): at most {@code maxPanels} (the {@code mc} rows that fit a member's region of the
 * packed A buffer and its L2), and half of what is left of the range once that is less than two
 * such blocks, but at least {@code minPanels}. Balanced members therefore work through their own
 * range in full blocks and end with a few shrinking ones; a member that finishes first takes half
 * of what another has not claimed, so at the end the members wait for at most about one small block
 * instead of the difference of their speeds over the whole product. The range of a member sits
 * in its own cache line (the owner's claims do not contend with the others' until they steal).
 *
 * <p>Each range is one {@code long}: its front in the high 32 bits, its end in the low 32 bits; a
 * claim is a compare-and-set on it. Every panel is claimed exactly once between a {@link #reset}
 * and the next (a member resets its own range only while nobody claims: between the barrier that
 * ends one block and the barrier that starts the next).
 */
final class RowPanelClaims {

    /** No panel was left to claim. */
    static final long NONE = -1L;

    private static final int STRIDE = 8; // longs per 64-byte cache line

    private final AtomicLongArray ranges;
    private final int members;

    RowPanelClaims(int members) {
        this.members = members;
        this.ranges = new AtomicLongArray(members * STRIDE);
    }

    int members() {
        return members;
    }

    /** Member {@code member}'s own range of a block of {@code panels} panels: an equal, contiguous share. */
    void reset(int member, int panels) {
        long from = (long) panels * member / members, to = (long) panels * (member + 1) / members;
        ranges.set(member * STRIDE, from << 32 | to);
    }

    /**
     * The next block of panels for {@code member}: from the front of its own range, else from the
     * back of another member's (the next members first), as {@code first << 32 | end}, or
     * {@link #NONE} when every range is empty.
     */
    long claim(int member, int maxPanels, int minPanels) {
        long block = take(member, true, maxPanels, minPanels);
        for (int i = 1; block == NONE && i < members; i++) {
            block = take((member + i) % members, false, maxPanels, minPanels);
        }
        return block;
    }

    private long take(int range, boolean front, int maxPanels, int minPanels) {
        int i = range * STRIDE;
        while (true) {
            long r = ranges.get(i);
            int from = (int) (r >>> 32), to = (int) r;
            int left = to - from;
            if (left <= 0) return NONE;
            int size = blockSize(left, members, maxPanels, minPanels);
            long next = front ? (long) (from + size) << 32 | to : (long) from << 32 | (to - size);
            if (ranges.compareAndSet(i, r, next)) {
                return front ? (long) from << 32 | (from + size) : (long) (to - size) << 32 | to;
            }
        }
    }

    /**
     * The next block out of {@code left} panels. A team of one has nobody to wait for: equal blocks
     * of at most {@code maxPanels}. In a team: full blocks while at least two are left, then half of
     * what is left, never below {@code minPanels} (or what is left).
     */
    static int blockSize(int left, int members, int maxPanels, int minPanels) {
        if (members == 1) return ceilDiv(left, ceilDiv(left, maxPanels));
        int size = left >= 2 * maxPanels ? maxPanels : Math.max(minPanels, (left + 1) / 2);
        return Math.min(left, Math.min(maxPanels, size));
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int first(long block) {
        return (int) (block >>> 32);
    }

    static int end(long block) {
        return (int) block;
    }
}
