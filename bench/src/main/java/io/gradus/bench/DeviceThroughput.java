package io.gradus.bench;

import io.gradus.gpu.internal.HostArrays;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceBlas;
import io.gradus.gpu.DeviceContext;
import java.util.Random;

/**
 * Sections 11.5.1-11.5.2 on a device: {@code A = B C} for n = 1024, computed four ways, as
 * {@link ThroughputBench} on the CPU, each launch resident on the device:
 * <ul>
 *   <li>element: one kernel launch per element (a work-group's dot product), over the first
 *       {@link #ELEMENT_ROWS} rows only (every element costs the same launch);</li>
 *   <li>column: one matrix-vector launch per column of A;</li>
 *   <li>block: one SGEMM launch per 64 columns;</li>
 *   <li>full: one SGEMM launch.</li>
 * </ul>
 * Each {@link #multiply} returns after the device finished.
 */
public final class DeviceThroughput implements AutoCloseable {

    static final int N = ThroughputBench.N;
    static final int BLOCK = ThroughputBench.BLOCK;
    public static final int ELEMENT_ROWS = 4;

    static final String SOURCE = """
            /* A[i, j] = dot(B[i, :], C[:, j]): one work-group of 256 per element, a fixed tree in local memory. */
            __kernel void element(__global float* A, __global const float* B, __global const float* C,
                                  const int n, const int i, const int j, __local float* scratch) {
                int lid = get_local_id(0), size = get_local_size(0);
                float s = 0.0f;
                for (int p = lid; p < n; p += size) s += B[i * n + p] * C[p * n + j];
                scratch[lid] = s;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int stride = size / 2; stride > 0; stride >>= 1) {
                    if (lid < stride) scratch[lid] += scratch[lid + stride];
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (lid == 0) A[i * n + j] = scratch[0];
            }
            /* A[:, j] = B C[:, j]: one work-item per row. */
            __kernel void column(__global float* A, __global const float* B, __global const float* C, const int n, const int j) {
                int i = get_global_id(0);
                if (i >= n) return;
                float s = 0.0f;
                for (int p = 0; p < n; p++) s += B[i * n + p] * C[p * n + j];
                A[i * n + j] = s;
            }
            """;

    private final DeviceContext device;
    private final DeviceArray a, b, c;

    /**
     * The book's two lines on the device ({@code Performance in Gigaflops: element X, column Y,
     * full Z} and {@code block W}), each way timed as the median of 3 after 2 untimed runs.
     */
    public static java.util.List<String> lines(DeviceContext device) {
        java.util.Map<String, Double> g = DeviceCheck.throughputTable(device);
        return java.util.List.of(
                String.format(java.util.Locale.ROOT, "Performance in Gigaflops: element %.3f, column %.3f, full %.3f",
                        g.get("element"), g.get("column"), g.get("full")),
                String.format(java.util.Locale.ROOT, "Performance in Gigaflops: block %.3f", g.get("block")));
    }

    DeviceThroughput(DeviceContext device) {
        this.device = device;
        Random r = new Random(11);
        float[] x = new float[N * N], y = new float[N * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian();
        }
        a = device.allocate(N * N);
        b = device.upload(x);
        c = device.upload(y);
    }

    static double flops(String mode) {
        return 2.0 * N * N * (mode.equals("element") ? ELEMENT_ROWS : N);
    }

    void multiply(String mode) {
        switch (mode) {
            case "element" -> {
                if (!device.isOpenCL()) {
                    float[] ah = HostArrays.of(a), bh = HostArrays.of(b), ch = HostArrays.of(c);
                    for (int i = 0; i < ELEMENT_ROWS; i++) {
                        for (int j = 0; j < N; j++) ah[i * N + j] = io.gradus.kernels.ArrayKernels.get().dot(bh, i * N, 1, ch, j, N, N);
                    }
                    break;
                }
                var k = device.kernel(SOURCE, "element");
                for (int i = 0; i < ELEMENT_ROWS; i++) {
                    for (int j = 0; j < N; j++) {
                        k.launchInGroups(256, 256, a, b, c, N, i, j, new io.gradus.gpu.DeviceKernel.Local(4 * 256));
                    }
                }
            }
            case "column" -> {
                if (!device.isOpenCL()) {
                    ThroughputBench.column(HostArrays.of(a), HostArrays.of(b), HostArrays.of(c));
                    break;
                }
                var k = device.kernel(SOURCE, "column");
                for (int j = 0; j < N; j++) k.launchInGroups(N, 64, a, b, c, N, j);
            }
            case "block" -> {
                for (int j = 0; j < N; j += BLOCK) {
                    DeviceBlas.sgemm(false, false, N, BLOCK, N, 1f, b, 0, N, c, j, N, 0f, a, j, N);
                }
            }
            case "full" -> DeviceBlas.sgemm(false, false, N, N, N, 1f, b, 0, N, c, 0, N, 0f, a, 0, N);
            default -> throw new IllegalArgumentException("mode = " + mode + ": expected element, column, block or full");
        }
        device.finish();
    }

    @Override
    public void close() {
        a.close();
        b.close();
        c.close();
    }
}
