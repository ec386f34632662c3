package io.gradus.gpu;

import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;

/**
 * A device that runs Gradus's Aparapi kernels: an OpenCL device (a GPU, or a CPU through an OpenCL
 * driver such as pocl) or Aparapi's Java thread pool ("jtp") when there is no OpenCL.
 *
 * @param device      Aparapi's handle
 * @param name        the device name the driver reports (or "Java thread pool")
 * @param type        "GPU", "CPU", "ACC" or "JTP"
 * @param platform    the OpenCL platform's name, or "Aparapi" for the thread pool
 */
public record GpuDevice(Device device, String name, String type, String platform) {

    /** Aparapi's Java thread pool: the fallback when no OpenCL device exists. */
    public static GpuDevice javaThreadPool() {
        return new GpuDevice(JavaDevice.THREAD_POOL, "Java thread pool", "JTP", "Aparapi");
    }

    static GpuDevice of(OpenCLDevice d) {
        String platform = d.getOpenCLPlatform() == null ? "?" : d.getOpenCLPlatform().getName();
        return new GpuDevice(d, d.getName().trim(), String.valueOf(d.getType()), platform);
    }

    /** True for an OpenCL device, false for the Java thread pool. */
    public boolean isOpenCL() {
        return device instanceof OpenCLDevice;
    }

    /** One line for logs and reports, e.g. {@code OpenCL GPU "NVIDIA H200" (NVIDIA CUDA)}. */
    public String describe() {
        return isOpenCL() ? "OpenCL " + type + " \"" + name + "\" (" + platform + ")" : "Aparapi Java thread pool (no OpenCL)";
    }
}
