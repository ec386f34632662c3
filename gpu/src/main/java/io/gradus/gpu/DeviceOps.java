package io.gradus.gpu;

import io.gradus.kernels.ArrayKernels;

/**
 * Elementwise and reduction kernels on {@link DeviceArray}s: OpenCL C on an OpenCL device, the
 * CPU's {@link ArrayKernels} on the host device. What the device Trainer needs besides the update
 * rules: the sum of squares behind the global-norm clip and the non-finite check, and the
 * operations the benchmarks and tests use.
 */
public final class DeviceOps {
    private DeviceOps() {}

    /** Elements one work-group sums in {@link #sumOfSquares}: {@link ArrayKernels#REDUCTION_CHUNK}, the CPU's chunk too. */
    private static final int REDUCTION_CHUNK = ArrayKernels.REDUCTION_CHUNK;
    /** Work-items per reduction work-group. */
    static final int REDUCTION_GROUP = 256;

    static final String SOURCE = """
            __kernel void axpy(const float alpha, __global const float* x, const int xOff,
                               __global float* y, const int yOff, const int n) {
                int i = get_global_id(0);
                if (i < n) y[yOff + i] = y[yOff + i] + alpha * x[xOff + i];
            }

            __kernel void scale(const float alpha, __global float* x, const int off, const int n) {
                int i = get_global_id(0);
                if (i < n) x[off + i] = alpha * x[off + i];
            }

            /* One partial sum of squares per work-group of 256 items over a chunk of `chunk` elements:
               each item strides through the chunk (coalesced loads), then a fixed tree in local memory.
               The partition and the tree do not depend on the device, so neither does the result. */
            __kernel void sum_squares(__global const float* x, const int off, const int n, const int chunk,
                                      __global float* partials, __local float* scratch) {
                int group = get_group_id(0), lid = get_local_id(0), size = get_local_size(0);
                int start = group * chunk, end = min(n, start + chunk);
                float s = 0.0f;
                for (int i = start + lid; i < end; i += size) {
                    float v = x[off + i];
                    s += v * v;
                }
                scratch[lid] = s;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int stride = size / 2; stride > 0; stride >>= 1) {
                    if (lid < stride) scratch[lid] += scratch[lid + stride];
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (lid == 0) partials[group] = scratch[0];
            }
            """;

    /** {@code y[yOff, yOff + n) += alpha * x[xOff, xOff + n)}. */
    public static void axpy(float alpha, DeviceArray x, int xOff, DeviceArray y, int yOff, int n) {
        DeviceContext ctx = sameContext(x, y);
        if (!ctx.isOpenCL()) {
            ArrayKernels.get().axpy(alpha, x.host(), xOff, y.host(), yOff, n);
            return;
        }
        checkRange("x", x, xOff, n);
        checkRange("y", y, yOff, n);
        ctx.kernel(SOURCE, "axpy").launchInGroups(n, 64, alpha, x, xOff, y, yOff, n);
    }

    /** {@code x[off, off + n) *= alpha}. */
    public static void scale(float alpha, DeviceArray x, int off, int n) {
        DeviceContext ctx = x.context();
        if (!ctx.isOpenCL()) {
            ArrayKernels.get().scale(alpha, x.host(), off, n);
            return;
        }
        checkRange("x", x, off, n);
        ctx.kernel(SOURCE, "scale").launchInGroups(n, 64, alpha, x, off, n);
    }

    /**
     * {@code sum_i x[off + i]^2} over {@code n} elements, in double: float partial sums of chunks of
     * {@link ArrayKernels#REDUCTION_CHUNK} (a work-group each on the device; {@link
     * ArrayKernels#sumOfSquares} on the host device), added by {@link ArrayKernels#addChunkPartials}
     * (chunk order, in double; a chunk whose float sum overflows summed again in double). NaN or
     * infinity in {@code x} gives a non-finite result. The same on any device up to the rounding of
     * the partials. With {@code -Dgradus.reduction=wide}, the chunk is {@link #wideChunk} instead
     * (enough work-groups for a GPU; the partials then differ from the CPU's in their last bits).
     */
    public static double sumOfSquares(DeviceArray x, int off, int n) {
        return sumOfSquares(x, off, n, Reduction.SELECTED.wide ? wideChunk(x.context(), n) : REDUCTION_CHUNK);
    }

    /** Which chunking {@link #sumOfSquares(DeviceArray, int, int)} uses: {@code -Dgradus.reduction=cpu-order} (default) or {@code wide}. */
    private enum Reduction {
        CPU_ORDER(false), WIDE(true);

        final boolean wide;

        Reduction(boolean wide) {
            this.wide = wide;
        }

        static final Reduction SELECTED = switch (System.getProperty("gradus.reduction", "cpu-order").trim()) {
            case "cpu-order" -> CPU_ORDER;
            case "wide" -> WIDE;
            default -> throw new IllegalArgumentException("-Dgradus.reduction = " + System.getProperty("gradus.reduction")
                    + ": expected cpu-order or wide");
        };
    }

    /**
     * A chunk that gives a device about eight work-groups per compute unit for {@code n} elements
     * (a multiple of the 256-item group, at least 4 x 256): on a GPU of 132 compute units the 1M
     * elements that make 16 chunks of 65,536 make 1,056 of 1,024 instead.
     */
    public static int wideChunk(DeviceContext ctx, int n) {
        long groups = 8L * Math.max(1, ctx.device().computeUnits());
        long chunk = Math.max(4L * REDUCTION_GROUP, (n + groups - 1) / groups);
        return (int) Math.min(REDUCTION_CHUNK, (chunk + REDUCTION_GROUP - 1) / REDUCTION_GROUP * REDUCTION_GROUP);
    }

    /**
     * {@link #sumOfSquares(DeviceArray, int, int)} with float partials of {@code chunk} elements
     * each: {@link ArrayKernels#REDUCTION_CHUNK} gives the CPU's partition (its bits, on a device
     * that rounds as Java does), {@link #wideChunk} one sized for a GPU.
     *
     * @throws IllegalArgumentException when {@code chunk < 1}
     */
    public static double sumOfSquares(DeviceArray x, int off, int n, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk = " + chunk + ": expected >= 1");
        DeviceContext ctx = x.context();
        checkRange("x", x, off, n);
        int chunks = (int) (((long) n + chunk - 1) / chunk);
        if (chunks == 0) return 0;
        float[] partial = new float[chunks];
        if (!ctx.isOpenCL()) {
            float[] a = x.host();
            for (int c = 0; c < chunks; c++) {
                int start = off + c * chunk;
                partial[c] = ArrayKernels.get().sumOfSquares(a, start, Math.min(chunk, off + n - start));
            }
        } else {
            try (DeviceArray partials = ctx.allocate(chunks)) {
                ctx.kernel(SOURCE, "sum_squares").launchInGroups(chunks * REDUCTION_GROUP, REDUCTION_GROUP, x, off, n, chunk,
                        partials, new DeviceKernel.Local(4L * REDUCTION_GROUP));
                partials.download(partial);
            }
        }
        return ArrayKernels.addChunkPartials(partial, c -> { // a chunk whose float partial overflowed, again in double
            int start = c * chunk, len = Math.min(chunk, n - start);
            float[] values = new float[len];
            x.download(off + start, values, 0, len);
            double d = 0;
            for (float v : values) d += (double) v * v;
            return d;
        });
    }

    /** The first index in {@code [0, n)} whose element is NaN or infinite, or -1 (downloads the slice). */
    public static int firstNonFinite(DeviceArray x, int off, int n) {
        checkRange("x", x, off, n);
        float[] values = x.context().isOpenCL() ? new float[n] : null;
        if (values != null) x.download(off, values, 0, n);
        float[] a = values != null ? values : x.host();
        int base = values != null ? 0 : off;
        for (int i = 0; i < n; i++) if (!Float.isFinite(a[base + i])) return i;
        return -1;
    }

    private static DeviceContext sameContext(DeviceArray a, DeviceArray b) {
        if (a.context() != b.context()) {
            throw new IllegalArgumentException("arrays of two contexts: " + a + " and " + b + "; expected one context");
        }
        return a.context();
    }

    static void checkRange(String name, DeviceArray a, int off, int n) {
        if (off < 0 || n < 0 || (long) off + n > a.length()) {
            throw new IndexOutOfBoundsException(name + ": range [" + off + ", " + ((long) off + n) + ") is outside " + a);
        }
    }
}
