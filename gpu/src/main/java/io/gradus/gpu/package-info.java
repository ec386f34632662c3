/**
 * The OpenCL device back end: {@link io.gradus.gpu.DeviceProbe} chooses a device
 * ({@code -Dgradus.device}), {@link io.gradus.gpu.DeviceContext} holds it, {@link io.gradus.gpu.DeviceArray}s
 * stay resident on it, {@link io.gradus.gpu.DeviceKernel}s run OpenCL C on them;
 * {@link io.gradus.gpu.DeviceOps}, {@link io.gradus.gpu.DeviceBlas}, {@link io.gradus.gpu.DeviceNn}
 * and {@link io.gradus.gpu.DeviceMlp} are the kernels Gradus ships. Without OpenCL the host runs the
 * same API on Java arrays.
 */
package io.gradus.gpu;
