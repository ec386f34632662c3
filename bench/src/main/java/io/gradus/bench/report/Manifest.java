package io.gradus.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the report does with each folder of {@code bench/results/}: the figures it feeds, or why it
 * is skipped. {@code BenchReportTest} fails when a folder is neither, so a new results folder must
 * be placed here when it lands.
 */
public final class Manifest {

    private Manifest() {}

    /**
     * A folder's use: the figures it is the source of, the figures under which it is listed as an
     * older result (comma-separated; its raw files are not read for them), or the reason it is
     * skipped. A skip reason stands alone; a source may also be older under other figures (a full
     * set of rounds whose SGEMM has a later set while its other figures do not).
     */
    public record Use(String sourceOf, String olderUnder, String skipReason) {
        static Use reads(String figures) {
            return new Use(figures, null, null);
        }

        /** The source of {@code figures}, and listed as an older result under {@code olderFigures}. */
        static Use readsAndOlder(String figures, String olderFigures) {
            return new Use(figures, olderFigures, null);
        }

        static Use older(String figures) {
            return new Use(null, figures, null);
        }

        /** The figures under which the report lists this folder as an older result (none if it is not one). */
        java.util.List<String> olderFigures() {
            return olderUnder == null ? java.util.List.of() : java.util.Arrays.stream(olderUnder.split(",")).map(String::trim).toList();
        }

        static Use skips(String reason) {
            return new Use(null, null, reason);
        }
    }

    /** Every folder, by name. */
    public static final Map<String, Use> FOLDERS = new LinkedHashMap<>();

    static {
        FOLDERS.put("2026-11-29-foundation", Use.reads("throughput-11-5 (its SGEMM sweep, on an Intel guest, is older than sgemm-against-n's)"));
        FOLDERS.put("2026-11-29-core", Use.older("lenet"));
        FOLDERS.put("2026-11-29-examples", Use.skips("wall time of the chapter's examples (logs of whole runs, no JMH): quoted in the README"));
        FOLDERS.put("2026-11-29-lenet-direct-conv", Use.older("lenet"));
        FOLDERS.put("2026-11-29-optim", Use.older("optimizer-steps"));
        FOLDERS.put("2026-11-29-optim-stream-triad", Use.older("optimizer-steps"));
        FOLDERS.put("2026-11-30-avx2-fenced", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-11-30-avx2-tiles", Use.skips("micro-kernel tile exploration (MicroKernelBench, one tile shape per file), no peer"));
        FOLDERS.put("2026-11-30-beyond-the-chapter", Use.older("optimizer-steps"));
        FOLDERS.put("2026-11-30-checked-adam", Use.skips("A/B of one change (checked against unchecked Adam), no peer"));
        FOLDERS.put("2026-11-30-conv-16-registers", Use.older("lenet"));
        FOLDERS.put("2026-11-30-device-pocl", Use.older("device"));
        FOLDERS.put("2026-11-30-lenet-widths", Use.older("lenet"));
        FOLDERS.put("2026-11-30-optim-avx2", Use.older("optimizer-steps"));
        FOLDERS.put("2026-11-30-optim-units", Use.reads("optimizer-steps"));
        FOLDERS.put("2026-11-30-portability", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-11-30-team-rows", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-02-one-trainer", Use.skips("A/B of one refactor (before/after the single Trainer), no peer"));
        FOLDERS.put("2026-12-02-rule-once", Use.skips("A/B of one refactor and precision logs, no peer"));
        FOLDERS.put("2026-12-02-spark", Use.skips("Spark rounds and epochs against the single-machine Trainer: a table in its README, no outside peer"));
        FOLDERS.put("2026-12-03-kernels-zen4", Use.older("lenet"));
        FOLDERS.put("2026-12-03-kernels-zen4-medians", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-03-kernels-zen5", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-03-kernels-zen5-packing", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-03-kernels-zen5-rowblocks", Use.skips("A/B of a change not kept (team members claiming row blocks against fixed shares of each pass); its README tables the kept code against the peers too"));
        FOLDERS.put("2026-12-03-lenet-on-the-device", Use.older("device"));
        FOLDERS.put("2026-12-03-sgemm-sweep-zen4", Use.reads("sgemm-against-n"));
        FOLDERS.put("2026-12-04-b-reread-zen4", Use.skips("exploratory probe of one hypothesis (a smaller kc where members' shares are below mc) on a rectangular product, and of the 2-thread product's phases on the Zen 4 guest; no peer"));
        FOLDERS.put("2026-12-04-avx2-blocking-zen4", Use.skips("blocking sweep of the 16-register SGEMM path (-XX:UseAVX=2) on the Zen 4 guest, OpenBLAS in the same rounds: a table in its README"));
        FOLDERS.put("2026-12-04-kernels-zen4-claims", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-04-kernels-zen4-d4823ff", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-04-kernels-zen4-confirm", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-04-kernels-zen5-confirm", Use.older("sgemm-against-openblas"));
        FOLDERS.put("2026-12-04-sgemm-16-cores", Use.reads("device, throughput-11-5's device column (device-check/: an H200); its SGEMM rounds on the 16 cores beside it are tabled in its README"));
        FOLDERS.put("2026-12-05-avx2-2048-zen4", Use.skips("exploratory checks of the 16-register SGEMM path at n = 2048 on one Zen 4 core (the tile's machine code and rate, unrolled loops, B's alignment, C's traffic, nc); its JMH rounds of the variants beside OpenBLAS are tabled in its README"));
        FOLDERS.put("2026-12-05-large-pages-zen5", Use.skips("A/B of one JVM option (the heap on 2 MiB hugetlbfs pages against 4 KiB pages) for SGEMM on the Zen 5 guest, no peer: a table in its README"));
        FOLDERS.put("2026-12-05-kernels-zen5-4dcdd62", Use.older("sgemm-against-openblas")); // its streaming and LeNet rows: the 10 s windows of later sets are the figures
        FOLDERS.put("2026-12-05-streaming-window-zen5", Use.older("optimizer-steps-against-pytorch"));
        FOLDERS.put("2026-12-05-lenet-window-zen5", Use.older("lenet"));
        FOLDERS.put("2026-12-06-lenet-zen5-1fd5e58", Use.older("lenet"));
        FOLDERS.put("2026-12-06-lenet-zen5-3f090ea", Use.older("lenet"));
        FOLDERS.put("2026-12-06-pooling-zen5", Use.skips("A/B of one kernel (PoolingBench, the kernels jar before and after the pooling rewrite), no peer: tables in its README"));
        FOLDERS.put("2026-12-06-lenet-zen5-a994d28", Use.older("lenet"));
        FOLDERS.put("2026-12-06-conv-zen5-9404a7e", Use.older("lenet"));
        FOLDERS.put("2026-12-06-conv-tiles-zen5", Use.skips("A/B of one kernel change (the correlation's narrower tiles for blocks with fewer channels present; the kernels jar before and after), no peer: tables in its README"));
        FOLDERS.put("2026-12-06-lenet-zen5-e36013a", Use.older("lenet"));
        FOLDERS.put("2026-12-06-conv16-zen5-1edf2af", Use.skips("A/B of one kernel change (the 16-register correlation's 4 x 2 tile in its own method; the kernels jar before and after) with PyTorch's LeNet in the same rounds: tables in its README"));
        FOLDERS.put("2026-12-06-packing-b-zen5-0caab70", Use.older("sgemm-against-openblas")); // its PackingBench rounds and harness/ are tabled in its README
        FOLDERS.put("2026-12-06-avx2-blocking-zen5", Use.skips("blocking sweep of the 16-register SGEMM path (-XX:UseAVX=2) at n = 2048 on the Zen 5 guest (kc = 512 and kc = k = 2048 against the shipped 126 x 1024), no peer: tables in its README"));
        FOLDERS.put("2026-12-07-confirm-zen5-1c4f48b", Use.older("sgemm-against-openblas, optimizer-steps-against-pytorch, lenet")); // its README tables issue 25's SGEMM points pooled over three sets
        FOLDERS.put("2026-12-07-amd-later-passes-zen5", Use.readsAndOlder("optimizer-steps-against-pytorch, lenet (six rounds, 8390754's kernels in the same rounds; the two tile orders in one JVM build at 512, 256 and 128 bits in orders/)", "sgemm-against-openblas"));
        FOLDERS.put("2026-12-07-tile-order-zen5", Use.skips("A/B of the SGEMM's tile order (a-major on the later kc passes) against 1c4f48b's kernels, OpenBLAS and PyTorch's LeNet in the same rounds, and exploratory runs: tables in its README"));
        FOLDERS.put("2026-12-07-pairs-1024-zen5", Use.reads("sgemm-against-openblas, its n = 1024 points (12 rounds, Gradus and OpenBLAS about a minute apart)"));
        FOLDERS.put("2026-12-07-pairs-2048-zen5", Use.reads("sgemm-against-openblas, its n = 2048 points (20 rounds, Gradus and OpenBLAS about a minute apart; exploratory timers of the product's phases and the tile's surroundings in harness/)"));
        FOLDERS.put("2026-12-07-streaming-pairs-zen5", Use.skips("SGD's fused step and the triad only (14 rounds, Gradus and PyTorch about half a minute apart): tables in its README"));
    }
}
