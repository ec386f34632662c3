package io.gradus.gpu;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.internal.kernel.KernelManager;
import java.util.LinkedHashSet;
import io.gradus.kernels.Checks;

/**
 * Elementwise kernels on a {@link GpuDevice}. This first piece of the GPU back end copies the
 * arrays to the device and back on every call (Aparapi's implicit mode); resident buffers come
 * with the full back end.
 */
public final class GpuArrays {

    /** Work-group sizes: 64 suits every current GPU's warp/wavefront; the Java pool runs one thread per item of a group. */
    private static final int OPENCL_GROUP = 64;
    private static final int JTP_GROUP = 4;

    private final GpuDevice device;
    private final AxpyKernel axpy = new AxpyKernel();

    public GpuArrays(GpuDevice device) {
        if (device == null) throw new IllegalArgumentException("device = null: expected a GpuDevice");
        this.device = device;
        // A Range made for a device is not enough: Aparapi's KernelManager still picks its own
        // "best" device unless the kernel's preferred devices say otherwise.
        KernelManager.instance().setPreferredDevices(axpy, new LinkedHashSet<>(java.util.List.of(device.device())));
    }

    /** On the device chosen by {@link DeviceProbe#selected()}. */
    public static GpuArrays onSelectedDevice() {
        return new GpuArrays(DeviceProbe.selected());
    }

    public GpuDevice device() {
        return device;
    }

    /** {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}, on the device. */
    public synchronized void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Checks.slice("x", x, xOff, n);
        Checks.slice("y", y, yOff, n);
        if (n == 0) {
            return;
        }
        axpy.bind(alpha, x, xOff, y, yOff, n);
        axpy.execute(range(n));
    }

    /** A 1-D range of at least n work-items in whole work-groups (see {@link AxpyKernel}). */
    private Range range(int n) {
        int local = device.isOpenCL() ? OPENCL_GROUP : JTP_GROUP;
        int global = (int) Math.min(Integer.MAX_VALUE / local * (long) local, ((long) n + local - 1) / local * local);
        return Range.create(device.device(), global, local);
    }

    /** The device the last launch actually ran on (Aparapi falls back to Java if OpenCL fails). */
    public Device lastDevice() {
        return axpy.getTargetDevice();
    }

    /** Releases the kernels' OpenCL resources. */
    public synchronized void dispose() {
        axpy.dispose();
    }
}
