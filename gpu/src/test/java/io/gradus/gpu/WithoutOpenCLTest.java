package io.gradus.gpu;

import com.aparapi.device.JavaDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Runs only in the Surefire execution {@code without-opencl}, where the ICD loader finds no driver. */
@Tag("without-opencl")
class WithoutOpenCLTest {

    @Test
    void fallsBackToTheJavaThreadPoolAndComputes() {
        assertTrue(DeviceProbe.openCLDevices().isEmpty(), "this execution hides every OpenCL driver");
        GpuDevice device = DeviceProbe.selected();
        assertFalse(device.isOpenCL());
        GpuArrays gpu = GpuArrays.onSelectedDevice();
        float[] y = {1, 1, 1};
        gpu.axpy(-2f, new float[] {1, 2, 3}, 0, y, 0, 3);
        assertArrayEquals(new float[] {-1, -3, -5}, y);
        assertSame(JavaDevice.THREAD_POOL, gpu.lastDevice());
        gpu.dispose();
    }
}
