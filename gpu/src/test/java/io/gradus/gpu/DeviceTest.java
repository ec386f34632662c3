package io.gradus.gpu;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.ScalarArrayKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Device arrays and the device operations, on the selected device (pocl in CI) and on the host
 * device, against the CPU kernels.
 */
class DeviceTest {

    /** CI (and a developer who sets GRADUS_REQUIRE_OPENCL) must have a real OpenCL device. */
    static boolean openCLRequired() {
        return System.getenv("CI") != null || System.getenv("GRADUS_REQUIRE_OPENCL") != null;
    }

    static final DeviceContext DEVICE = DeviceContext.open(DeviceProbe.selected());
    static final DeviceContext HOST = DeviceContext.open(GpuDevice.host());

    @AfterAll
    static void close() {
        DEVICE.close();
        HOST.close();
    }

    @Test
    void theSelectedDeviceIsOpenCLWhereOpenCLIsRequired() {
        GpuDevice device = DeviceProbe.selected();
        System.out.println("device: " + device.describe());
        if (openCLRequired()) {
            assertTrue(device.isOpenCL(), "CI installs pocl: expected an OpenCL device, got " + device.describe());
            assertEquals(List.of(), DeviceProbe.problems(), "a probe with pocl installed reports no problem");
        }
    }

    /** An error found at a wait (where an asynchronous kernel fault surfaces) names the kernel launched last. */
    @Test
    void errorsAtAWaitNameTheKernelLaunchedLast() {
        try (DeviceContext ctx = DeviceContext.open(DeviceProbe.selected()); DeviceArray x = ctx.upload(new float[] {1, 2, 3})) {
            assertEquals("clFinish", ctx.afterLastKernel("clFinish"), "nothing launched yet");
            DeviceOps.axpy(2f, x, 0, x, 0, 3);
            if (ctx.isOpenCL()) {
                assertTrue(ctx.afterLastKernel("clFinish").startsWith("clFinish (the last kernel launched before it: "),
                        ctx.afterLastKernel("clFinish"));
            }
        }
    }

    /** The codes NVIDIA's driver and OpenCL 1.2 report have names in messages; an unknown code is shown as a number. */
    @Test
    void errorCodesAreNamed() {
        assertEquals("CL_INVALID_OPERATION (-59)", OpenCl.errorName(-59));
        assertEquals("CL_INVALID_WORK_ITEM_SIZE (-55)", OpenCl.errorName(-55));
        assertTrue(OpenCl.errorName(-9999).startsWith("NVIDIA: a kernel faulted"), OpenCl.errorName(-9999));
        assertEquals("OpenCL error -12345 (-12345)", OpenCl.errorName(-12345));
    }

    @Test
    void arraysStayOnTheDeviceUntilAskedAndCountTheirTransfers() {
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            float[] values = {1, 2, 3, 4, 5, 6, 7};
            var before = ctx.transfers();
            try (DeviceArray a = ctx.upload(values); DeviceArray b = ctx.allocate(7)) {
                assertArrayEquals(new float[7], b.download(), "allocated arrays start at zero");
                b.copyFrom(a, 2, 1, 4);
                b.fill(-1f, 5, 2);
                assertArrayEquals(new float[] {0, 3, 4, 5, 6, -1, -1}, b.download(), ctx.toString());
                a.upload(new float[] {9, 9}, 0, 5, 2);
                float[] part = new float[4];
                a.download(3, part, 1, 3);
                assertArrayEquals(new float[] {0, 4, 5, 9}, part);
                var after = ctx.transfers();
                assertEquals(before.uploads() + 2, after.uploads());
                assertEquals(before.uploadedBytes() + 4 * 9, after.uploadedBytes());
                assertEquals(before.downloads() + 3, after.downloads());
            }
        }
    }

    @Test
    void badRangesAndClosedArraysAreRefusedWithTheirSizes() {
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            DeviceArray a = ctx.allocate(5);
            var e = assertThrows(IndexOutOfBoundsException.class, () -> a.download(3, new float[5], 0, 3));
            assertEquals("source range [3, 6) is outside the device array of 5 floats", e.getMessage());
            var u = assertThrows(IllegalArgumentException.class, () -> a.upload(new float[4]));
            assertEquals("src: 4 floats, expected this array's 5", u.getMessage());
            long held = ctx.allocatedBytes();
            a.close();
            assertEquals(held - 20, ctx.allocatedBytes());
            var c = assertThrows(IllegalStateException.class, a::download);
            assertEquals("this device array of 5 floats is closed", c.getMessage());
            a.close();
        }
    }

    @Test
    void anAllocationTheDeviceCannotHoldNamesTheDeviceTheSizeAndItsMemory() {
        GpuDevice real = DeviceProbe.selected();
        GpuDevice small = new GpuDevice(real.name(), real.type(), real.platform(), real.driverVersion(), real.globalMemoryBytes(),
                1 << 20, real.computeUnits(), real.maxWorkGroupSize(), real.correctlyRoundedDivideSqrt(), real.platformId(),
                real.deviceId());
        if (!small.isOpenCL()) small = GpuDevice.host();
        try (DeviceContext ctx = DeviceContext.open(small)) {
            if (!ctx.isOpenCL()) return; // the host's limit is the Java heap; covered by WithoutOpenCLTest's run
            var e = assertThrows(DeviceException.class, () -> ctx.allocate(1 << 19));
            assertTrue(e.getMessage().startsWith("cannot allocate 2097152 bytes (2 MiB) on OpenCL "), e.getMessage());
            assertTrue(e.getMessage().contains("larger than its largest buffer, 1 MiB"), e.getMessage());
            assertTrue(e.getMessage().endsWith("of the device's " + (real.globalMemoryBytes() >> 20) + " MiB"), e.getMessage());
        }
    }

    @Test
    void elementwiseKernelsMatchTheCpu() {
        Random r = new Random(42);
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            for (int n : new int[] {0, 1, 17, 1000, 65537}) {
                int off = n % 5;
                float[] x = new float[off + n], y = new float[off + n + 3];
                for (int i = 0; i < x.length; i++) x[i] = 2f * r.nextFloat() - 1f;
                for (int i = 0; i < y.length; i++) y[i] = 2f * r.nextFloat() - 1f;
                float[] want = y.clone();
                ScalarArrayKernels.INSTANCE.axpy(0.75f, x, off, want, off + 1, n);
                ScalarArrayKernels.INSTANCE.scale(-2f, want, off + 1, n);
                try (DeviceArray dx = ctx.upload(x); DeviceArray dy = ctx.upload(y)) {
                    DeviceOps.axpy(0.75f, dx, off, dy, off + 1, n);
                    DeviceOps.scale(-2f, dy, off + 1, n);
                    float[] got = dy.download();
                    for (int i = 0; i < y.length; i++) {
                        // An OpenCL compiler may contract a*x+y into one fma: allow one rounding's difference.
                        assertEquals(want[i], got[i], 4 * Math.ulp(Math.abs(want[i]) + 1f), ctx + " n=" + n + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void sumOfSquaresMatchesADoubleSumAndSeesNonFiniteValues() {
        Random r = new Random(7);
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            for (int n : new int[] {0, 1, 255, 256, 257, 65536, 65537, 300_001}) {
                float[] x = new float[n + 3];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                double want = 0;
                for (int i = 2; i < 2 + n; i++) want += (double) x[i] * x[i];
                try (DeviceArray dx = ctx.upload(x)) {
                    double got = DeviceOps.sumOfSquares(dx, 2, n);
                    // float partials of up to 65536 squares each: relative error below 1e-5 here.
                    assertEquals(want, got, 1e-5 * want + 1e-9, ctx + " n=" + n);
                    assertEquals(-1, DeviceOps.firstNonFinite(dx, 2, n));
                    if (n > 300) {
                        dx.upload(new float[] {Float.NaN}, 0, 2 + 299, 1);
                        assertTrue(Double.isNaN(DeviceOps.sumOfSquares(dx, 2, n)));
                        assertEquals(299, DeviceOps.firstNonFinite(dx, 2, n));
                        dx.upload(new float[] {3e30f, 3e30f}, 0, 2 + 299, 2); // finite, but their squares overflow a float
                        double big = 2 * (double) 3e30f * 3e30f;
                        assertEquals(want - (double) x[301] * x[301] - (double) x[302] * x[302] + big,
                                DeviceOps.sumOfSquares(dx, 2, n), 1e-12 * big);
                    }
                }
            }
        }
    }

    /**
     * The wide chunking (enough work-groups for a GPU) sums the same squares: equal to a double sum
     * within float partials' rounding, and bit-equal to the CPU-order sum when the chunk is the
     * CPU's; non-finite values still show.
     */
    @Test
    void theWideChunkingSumsTheSameSquares() {
        Random r = new Random(8);
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
            for (int n : new int[] {1, 1000, 65537, 1_000_003}) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
                double want = 0;
                for (float v : x) want += (double) v * v;
                int chunk = DeviceOps.wideChunk(ctx, n);
                assertTrue(chunk >= 1024 && chunk <= 65536 && chunk % 256 == 0, "chunk " + chunk);
                try (DeviceArray dx = ctx.upload(x)) {
                    assertEquals(want, DeviceOps.sumOfSquares(dx, 0, n, chunk), 1e-5 * want, ctx + " n=" + n + " chunk " + chunk);
                    assertEquals(DeviceOps.sumOfSquares(dx, 0, n), DeviceOps.sumOfSquares(dx, 0, n, 65536), "the default is the CPU's chunk");
                    dx.upload(new float[] {Float.POSITIVE_INFINITY}, 0, n - 1, 1);
                    assertTrue(Double.isInfinite(DeviceOps.sumOfSquares(dx, 0, n, chunk)));
                }
            }
        }
        assertEquals(1024, DeviceOps.wideChunk(HOST, 1000), "at least four groups' worth");
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceOps.sumOfSquares(HOST.allocate(4), 0, 4, 0));
        assertEquals("chunk = 0: expected >= 1", e.getMessage());
    }

    @Test
    void aKernelThatDoesNotBuildReportsTheBuildLog() {
        if (!DEVICE.isOpenCL()) return;
        var e = assertThrows(DeviceException.class, () -> DEVICE.kernel("__kernel void broken( { }", "broken"));
        assertTrue(e.getMessage().startsWith("building kernel broken for "), e.getMessage());
        assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
        var h = assertThrows(UnsupportedOperationException.class, () -> HOST.kernel(DeviceOps.SOURCE, "axpy"));
        assertEquals("kernel axpy: the host device runs no OpenCL C", h.getMessage());
    }

    @Test
    void selectionRule() {
        GpuDevice cpu = new GpuDevice("pthread-Intel(R) Xeon(R)", "CPU", "Portable Computing Language", "5", 1L << 34, 1L << 32,
                2, 4096, true, 1, 2);
        GpuDevice gpu = new GpuDevice("NVIDIA H200", "GPU", "NVIDIA CUDA", "570", 1L << 37, 1L << 35, 132, 1024, true, 3, 4);
        assertSame(gpu, DeviceProbe.choose(List.of(cpu, gpu), null));
        assertSame(gpu, DeviceProbe.choose(List.of(cpu, gpu), "GPU"));
        assertSame(cpu, DeviceProbe.choose(List.of(cpu, gpu), "cpu"));
        assertSame(cpu, DeviceProbe.choose(List.of(cpu), "gpu"), "no GPU: any OpenCL device beats the host");
        assertSame(gpu, DeviceProbe.choose(List.of(cpu, gpu), "h200"));
        assertEquals("HOST", DeviceProbe.choose(List.of(cpu, gpu), "host").type());
        assertEquals("HOST", DeviceProbe.choose(List.of(cpu, gpu), "jtp").type());
        assertEquals("HOST", DeviceProbe.choose(List.of(), null).type());
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceProbe.choose(List.of(cpu), "radeon"));
        assertTrue(e.getMessage().startsWith("-Dgradus.device = radeon: no OpenCL device name contains it"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeviceProbe.choose(List.of(), "cpu"));
        assertTrue(e.getMessage().contains("no OpenCL driver found"), e.getMessage());
    }

    @Test
    void hostArraysExposeTheirStorageAndDeviceArraysDoNot() {
        try (DeviceArray h = HOST.allocate(3)) {
            h.host()[1] = 5;
            assertArrayEquals(new float[] {0, 5, 0}, h.download());
        }
        if (DEVICE.isOpenCL()) {
            try (DeviceArray d = DEVICE.allocate(3)) {
                var e = assertThrows(IllegalStateException.class, d::host);
                assertEquals("an OpenCL array has no host storage: download it, or run an OpenCL kernel on it", e.getMessage());
            }
        }
        assertEquals(ArrayKernels.get().name(), ArrayKernels.get().name());
    }
}
