/**
 * One unit per algorithm of chapter 11: a record of named hyperparameters with the book's
 * defaults, its update rule, paper and section in the Javadoc, its double-precision reference,
 * and its scalar, Vector API and OpenCL kernels with one signature
 * ({@link io.gradus.optim.algorithms.Algorithm}).
 */
package io.gradus.optim.algorithms;
