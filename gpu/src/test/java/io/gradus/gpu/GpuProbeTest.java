package io.gradus.gpu;

import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.ScalarArrayKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GpuProbeTest {

    /** CI (and a developer who sets GRADUS_REQUIRE_OPENCL) must have a real OpenCL device. */
    static boolean openCLRequired() {
        return System.getenv("CI") != null || System.getenv("GRADUS_REQUIRE_OPENCL") != null;
    }

    @Test
    void axpyOnTheChosenDeviceMatchesTheCpuKernel() {
        GpuDevice device = DeviceProbe.selected();
        if (openCLRequired()) {
            assertTrue(device.isOpenCL(), "CI installs pocl: expected an OpenCL device, got " + device.describe());
        }
        GpuArrays gpu = new GpuArrays(device);
        Random r = new Random(42);
        for (int n : new int[] {1, 17, 1000, 65537}) {
            int off = n % 5;
            float[] x = new float[off + n], y = new float[off + n + 3];
            for (int i = 0; i < x.length; i++) x[i] = 2f * r.nextFloat() - 1f;
            for (int i = 0; i < y.length; i++) y[i] = 2f * r.nextFloat() - 1f;
            float[] want = y.clone();
            ScalarArrayKernels.INSTANCE.axpy(0.75f, x, off, want, off + 1, n);
            gpu.axpy(0.75f, x, off, y, off + 1, n);
            for (int i = 0; i < y.length; i++) {
                // An OpenCL compiler may contract a*x+y into one fma: allow one rounding's difference.
                assertEquals(want[i], y[i], 2 * Math.ulp(Math.abs(want[i]) + 1f), device.describe() + " n=" + n + " i=" + i);
            }
            if (openCLRequired()) {
                assertInstanceOf(OpenCLDevice.class, gpu.lastDevice(), "the kernel fell back to Java on " + device.describe());
            }
        }
        gpu.dispose();
    }

    @Test
    void javaThreadPoolRunsTheSameKernel() {
        GpuArrays jtp = new GpuArrays(GpuDevice.javaThreadPool());
        float[] x = {1, 2, 3, 4, 5}, y = {1, 1, 1, 1, 1};
        jtp.axpy(2f, x, 1, y, 0, 4);
        assertArrayEquals(new float[] {5, 7, 9, 11, 1}, y);
        assertSame(JavaDevice.THREAD_POOL, jtp.lastDevice());
        // Odd lengths: Aparapi's own range for the thread pool dropped the last element of these.
        for (int n = 1; n <= 41; n++) {
            float[] xs = new float[n], ys = new float[n], want = new float[n];
            for (int i = 0; i < n; i++) xs[i] = i + 1;
            ArrayKernels.get().axpy(3f, xs, 0, want, 0, n);
            jtp.axpy(3f, xs, 0, ys, 0, n);
            assertArrayEquals(want, ys, "n = " + n);
        }
        jtp.dispose();
    }

    @Test
    void selectionRule() {
        GpuDevice cpu = new GpuDevice(null, "pthread-Intel(R) Xeon(R)", "CPU", "Portable Computing Language");
        GpuDevice gpu = new GpuDevice(null, "NVIDIA H200", "GPU", "NVIDIA CUDA");
        assertSame(gpu, DeviceProbe.choose(List.of(cpu, gpu), null));
        assertSame(gpu, DeviceProbe.choose(List.of(cpu, gpu), "GPU"));
        assertSame(cpu, DeviceProbe.choose(List.of(cpu, gpu), "cpu"));
        assertSame(cpu, DeviceProbe.choose(List.of(cpu), "gpu"), "no GPU: any OpenCL device beats Java");
        assertSame(gpu, DeviceProbe.choose(List.of(cpu, gpu), "h200"));
        assertEquals("JTP", DeviceProbe.choose(List.of(cpu, gpu), "jtp").type());
        assertEquals("JTP", DeviceProbe.choose(List.of(), null).type());
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceProbe.choose(List.of(cpu), "radeon"));
        assertTrue(e.getMessage().startsWith("-Dgradus.device = radeon: no OpenCL device name contains it"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeviceProbe.choose(List.of(), "cpu"));
        assertTrue(e.getMessage().contains("no OpenCL driver found"), e.getMessage());
    }

    @Test
    void badSlicesAreRejectedBeforeLaunch() {
        GpuArrays jtp = new GpuArrays(GpuDevice.javaThreadPool());
        var e = assertThrows(IllegalArgumentException.class, () -> jtp.axpy(1f, new float[3], 1, new float[3], 0, 3));
        assertEquals("x: offset 1 + length 3 = 4 exceeds its array length 3", e.getMessage());
    }
}
