/**
 * One unit per algorithm of chapter 11: a record of named hyperparameters with the book's
 * defaults, its update rule, paper and section in the Javadoc, its double-precision reference,
 * its float32 update of one coordinate written once as a Java body (the nested {@code Rule}, an
 * {@link io.gradus.optim.algorithms.UpdateKernel}: the CPU's scalar path, and the device's kernel
 * through Aparapi's translator), and its Vector API kernel, with one signature
 * ({@link io.gradus.optim.algorithms.Algorithm}). An application's own rule is a
 * {@link io.gradus.optim.algorithms.KernelOptimizer} and runs on both Trainers the same way.
 */
package io.gradus.optim.algorithms;
