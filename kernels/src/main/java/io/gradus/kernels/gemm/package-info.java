/**
 * Single-precision matrix products, BLAS-style on row-major arrays: {@link io.gradus.kernels.gemm.Gemm}
 * and {@link io.gradus.kernels.gemm.GemmEngine} (the five loops of BLIS around one micro-kernel),
 * and the kernel table that picks the micro-kernel and its block sizes for the machine
 * ({@code SgemmTuning}).
 */
package io.gradus.kernels.gemm;
