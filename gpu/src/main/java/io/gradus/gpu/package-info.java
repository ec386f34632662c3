/**
 * The OpenCL device back end: {@link io.gradus.gpu.DeviceProbe} chooses a device
 * ({@code -Dgradus.device}), {@link io.gradus.gpu.DeviceContext} holds it, {@link io.gradus.gpu.DeviceArray}s
 * stay resident on it, {@link io.gradus.gpu.DeviceKernel}s run OpenCL C on them, and
 * {@link io.gradus.gpu.JavaKernel} compiles a kernel written in Java (a {@code com.aparapi.Kernel})
 * to such OpenCL C through Aparapi's translator;
 * {@link io.gradus.gpu.DeviceOps}, {@link io.gradus.gpu.DeviceBlas} and {@link io.gradus.gpu.DeviceNn}
 * are the kernels Gradus ships, and {@link io.gradus.gpu.DeviceNetwork} trains a network of
 * {@link io.gradus.gpu.DeviceLayer}s (Dense, convolution, pooling; section 11.11's LeNet) there.
 * Without OpenCL the host runs the same API on Java arrays.
 */
package io.gradus.gpu;
