package io.gradus.gpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Runs only in the Surefire execution {@code without-opencl}, where the ICD loader finds no driver. */
@Tag("without-opencl")
class WithoutOpenCLTest {

    @Test
    void fallsBackToTheHostAndComputes() {
        assertTrue(DeviceProbe.openCLDevices().isEmpty(), "this execution hides every OpenCL driver");
        assertTrue(DeviceProbe.problems().stream().anyMatch(p -> p.contains("the OpenCL loader found no driver")
                || p.startsWith("loading the OpenCL library")), "the probe says why: " + DeviceProbe.problems());
        GpuDevice device = DeviceProbe.selected();
        assertFalse(device.isOpenCL());
        DeviceContext ctx = DeviceContext.shared();
        try (DeviceArray x = ctx.upload(new float[] {1, 2, 3}); DeviceArray y = ctx.upload(new float[] {1, 1, 1})) {
            DeviceOps.axpy(-2f, x, 0, y, 0, 3);
            assertArrayEquals(new float[] {-1, -3, -5}, y.download());
            assertEquals(14.0, DeviceOps.sumOfSquares(x, 0, 3));
        }
    }
}
