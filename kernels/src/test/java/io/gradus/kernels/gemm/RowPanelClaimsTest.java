package io.gradus.kernels.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link RowPanelClaims}: every panel claimed exactly once, block sizes as documented. */
class RowPanelClaimsTest {

    @Test
    void aTeamOfOneTakesEqualBlocksOfAtMostMaxPanels() {
        RowPanelClaims claims = new RowPanelClaims(1);
        claims.reset(0, 171); // n = 1024 at mr = 6: 171 panels; mc = 126: 21 panels a block
        List<Integer> sizes = new ArrayList<>();
        int next = 0;
        for (long block; (block = claims.claim(0, 21, 2)) != RowPanelClaims.NONE; ) {
            assertEquals(next, RowPanelClaims.first(block), "blocks follow each other");
            sizes.add(RowPanelClaims.end(block) - RowPanelClaims.first(block));
            next = RowPanelClaims.end(block);
        }
        assertEquals(171, next);
        // ceil(171 / 21) = 9 blocks of 19 panels, as equal passes of mc rows gave before.
        assertEquals(List.of(19, 19, 19, 19, 19, 19, 19, 19, 19), sizes);
    }

    @Test
    void aMemberTakesFullBlocksThenHalvesWhatIsLeftOfItsShare() {
        RowPanelClaims claims = new RowPanelClaims(2);
        claims.reset(0, 171);
        claims.reset(1, 171);
        // Member 0's share is [0, 85): full blocks of 21 while at least 42 are left, then halves, at least 2.
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long block = claims.claim(0, 21, 2);
            sizes.add(RowPanelClaims.end(block) - RowPanelClaims.first(block));
        }
        assertEquals(List.of(21, 21, 21, 11, 6, 3, 2), sizes);
        // Its share is empty now: the next claim is the back half of member 1's [85, 171), capped at 21.
        long stolen = claims.claim(0, 21, 2);
        assertEquals(171 - 21, RowPanelClaims.first(stolen));
        assertEquals(171, RowPanelClaims.end(stolen));
        // Member 1 still starts at the front of its share.
        assertEquals(85, RowPanelClaims.first(claims.claim(1, 21, 2)));
    }

    @Test
    void blockSizesFollowTheRule() {
        for (int max = 1; max <= 30; max++) {
            for (int left = 1; left <= 100; left++) {
                int alone = RowPanelClaims.blockSize(left, 1, max, 2);
                int blocks = (left + max - 1) / max;
                assertEquals((left + blocks - 1) / blocks, alone, "team of one, left " + left + ", max " + max);
                int team = RowPanelClaims.blockSize(left, 3, max, 2);
                int expected = left >= 2 * max ? max : Math.min(left, Math.min(max, Math.max(2, (left + 1) / 2)));
                assertEquals(expected, team, "team, left " + left + ", max " + max);
                assertTrue(team >= 1 && team <= Math.min(left, max));
            }
        }
    }

    @Test
    void membersClaimingAtOnceCoverEveryPanelExactlyOnce() throws Exception {
        for (int members = 2; members <= 5; members++) {
            for (int round = 0; round < 20; round++) {
                int panels = 7 + 37 * round;
                RowPanelClaims claims = new RowPanelClaims(members);
                AtomicIntegerArray taken = new AtomicIntegerArray(panels);
                CyclicBarrier start = new CyclicBarrier(members);
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = new ArrayList<>();
                for (int me = 0; me < members; me++) {
                    int member = me;
                    Thread t = new Thread(() -> {
                        try {
                            claims.reset(member, panels);
                            start.await();
                            for (long block; (block = claims.claim(member, 5, 2)) != RowPanelClaims.NONE; ) {
                                int first = RowPanelClaims.first(block), end = RowPanelClaims.end(block);
                                assertTrue(first < end && end - first <= 5, "block [" + first + ", " + end + ")");
                                for (int p = first; p < end; p++) taken.incrementAndGet(p);
                                if (member == 0) Thread.onSpinWait(); // member 0 slower: the others steal
                            }
                        } catch (Throwable e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    });
                    threads.add(t);
                    t.start();
                }
                for (Thread t : threads) t.join();
                assertEquals(List.of(), failures);
                for (int p = 0; p < panels; p++) {
                    assertEquals(1, taken.get(p), members + " members, " + panels + " panels: panel " + p);
                }
            }
        }
    }
}
