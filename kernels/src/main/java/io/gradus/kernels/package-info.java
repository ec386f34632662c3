/**
 * Array kernels on {@code float[]} slices ({@link io.gradus.kernels.ArrayKernels}), the direct
 * convolution kernels ({@link io.gradus.kernels.ConvKernels}), the thread pool
 * ({@link io.gradus.kernels.Parallel}), the start-up choice between the Vector API and the scalar
 * implementations ({@code SimdSupport}) and what it reads of the machine
 * ({@code CpuInfo}). KERNELS.md states the layouts and what was measured.
 */
package io.gradus.kernels;
