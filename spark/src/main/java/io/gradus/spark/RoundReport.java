package io.gradus.spark;

import java.util.Locale;

/**
 * What one training round did, as the driver saw it. A round's wall time is split four ways:
 * <ul>
 *   <li>{@code scheduleMs}: Spark's own part of the round's job: scheduling and launching the
 *       tasks, serializing their closures, and bringing their results back to the driver (the
 *       job's wall time less the slowest task's fetch and compute time);</li>
 *   <li>{@code broadcastMs}: putting the round's parameters (synchronous) or checkpoint (local SGD)
 *       into a broadcast on the driver, plus the slowest task's fetch of it;</li>
 *   <li>{@code computeMs}: the slowest task's Gradus work (forward, backward, and in local SGD the
 *       local updates), the part that more executors divide;</li>
 *   <li>{@code combineMs}: the driver's work after the job: summing the gradients in partition
 *       order and the fused update (synchronous), or averaging parameters and state (local SGD),
 *       plus a checkpoint when one was due.</li>
 * </ul>
 *
 * @param round         the round's number, 1 for the first of the run (counted across resumes)
 * @param rounds        the number of rounds the run was asked for
 * @param mode          synchronous or local SGD
 * @param loss          the mean training loss over the round's examples, at the parameters they saw
 * @param examples      examples the round's gradients were computed on
 * @param seconds       the round's wall time
 * @param scheduleMs    see above
 * @param broadcastMs   see above
 * @param computeMs     see above
 * @param combineMs     see above
 * @param checkpointed  whether a checkpoint was written after this round
 */
public record RoundReport(long round, long rounds, SparkTrainer.Mode mode, double loss, long examples, double seconds,
                          double scheduleMs, double broadcastMs, double computeMs, double combineMs, boolean checkpointed) {

    /** Examples per second of wall time. */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }

    /** One line for a log: {@code round 12/100: loss 0.2431, 5321 examples/s, 48 ms = schedule 30 + broadcast 3 + compute 12 + combine 3}. */
    public String line() {
        return String.format(Locale.ROOT, "round %d/%d: loss %.4f, %.0f examples/s, %.0f ms = schedule %.0f + broadcast %.0f + compute %.0f"
                        + " + combine %.0f%s", round, rounds, loss, examplesPerSecond(), seconds * 1e3, scheduleMs, broadcastMs, computeMs,
                combineMs, checkpointed ? " (checkpoint)" : "");
    }
}
