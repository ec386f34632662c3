/**
 * Data-parallel training on Apache Spark (4.2.x, Scala 2.13, Java 25.0.3 or later): Gradus runs in
 * the executors as a library, Spark schedules, moves data and retries. The entry point is
 * {@link io.gradus.spark.SparkTrainer} over an RDD of {@link io.gradus.spark.Example}s and a
 * {@link io.gradus.spark.Recipe}; {@link io.gradus.spark.SparkDatasets} reads the chapter's data
 * from Hadoop paths; {@link io.gradus.spark.Recipes} builds the chapter's models.
 *
 * <h2>Where Spark pays: a cost model from the measured per-round costs</h2>
 * One round is one Spark job. With {@code P} executors (one partition each), {@code n} parameters,
 * {@code s} optimizer state arrays, a job latency {@code t_job}, a transfer rate {@code BW} into and
 * out of the driver, and {@code c} the time one executor core takes for one minibatch step:
 * <pre>
 *   synchronous, one step on a global batch of B:
 *     T_sync(P) = t_job + c(B/P) + 4n (P + log2 P) / BW + P n t_add
 *     single machine (one executor's cores): c(B)
 *   local SGD, H steps of b per partition:
 *     T_local(P) = t_job + H c(b) + 4n (1 + s)(P + log2 P) / BW + P n (1 + s) t_add
 *     the same work on one machine: P H c(b)
 * </pre>
 * The broadcast fans out as a tree ({@code log2 P}); every partition's result comes back to the one
 * driver ({@code P}), which adds them in partition order ({@code t_add} about 1 ns a float with the
 * checks). Measured here (bench/results/2026-12-02-spark; a 2-vCPU guest running two executor JVMs
 * of one core beside the driver): {@code t_job} 100-150 ms (a round of 10,000 parameters: medians
 * 130 and 136 ms over two sets), then 32-36 ms per MB of parameters from 1M to 10M parameters
 * (broadcast, two results, the sum); {@code c(256)} 22.5 ms for LeNet and 4.5 ms for the MLP on one
 * core (the Trainer's one-thread epoch over 235 steps). On an idle many-core cluster {@code t_job}
 * is 5-20 ms and a 10 GbE link gives {@code BW} about 1 GB/s; with {@code t_job} = 20 ms and that
 * {@code BW}:
 * <ul>
 *   <li>LeNet (61,706 parameters, SGD), local SGD at H = 16, b = 256: {@code H c(b)} = 360 ms of
 *       compute against 20 ms + 0.25 MB x (P + log2 P) / BW: 94% efficiency at 8 executors, 90% at
 *       64 (a 57x speedup);</li>
 *   <li>the 784-256-256-10 MLP (269,322 parameters): {@code H c(b)} = 72 ms against 20 ms + 1.1 MB x
 *       (P + log2 P) / BW: 68% at 8 executors, 39% at 64 (raise H or b there);</li>
 *   <li>synchronous LeNet with the chapter's global batch of 256: {@code c(256)/P} = 2.8 ms of
 *       compute per executor at P = 8 against a 20 ms job: 0.87x, slower than one machine at any P.
 *       With a global batch of 4,096 ({@code c} = 360 ms): 5.3x at 8 executors, 7.7x at 64;</li>
 *   <li>synchronous mode stops paying where {@code c(B)(1 - 1/P) < t_job + 4n (P + log2 P) / BW}:
 *       a step must take well over the job latency on one machine, and the driver's link caps P at
 *       about {@code c(B) BW / 4n}; at 10M parameters (40 MB) and P = 8 a step must take over half a
 *       second. Airfoil's step (0.2 ms) never pays: it is there to prove the equality.</li>
 * </ul>
 * On this 2-vCPU machine the model's terms are large: 8 rounds of 130-160 ms of Spark per LeNet
 * epoch (1.1-1.3 s against the Trainer's 3.5 s epoch on both cores), and two one-core executors
 * compute a step 1.5x slower than the Trainer's two threads on one batch, so local SGD's epoch is
 * 2.1x the Trainer's there (the measured split is in the results).
 * Local SGD divides every term but the compute by H, which is why it is the mode for more than a
 * few executors; its accuracy against H is measured in bench/results/2026-12-02-spark.
 */
package io.gradus.spark;
