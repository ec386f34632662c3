package io.gradus.gpu;

/**
 * A device that runs Gradus's device kernels: an OpenCL device (a GPU, or a CPU through an
 * OpenCL driver such as pocl), or the host itself when there is no OpenCL. On the host, device
 * arrays are Java arrays and the kernels are the CPU's own (the same Java code as a CPU Trainer
 * runs), so the same API works everywhere.
 *
 * @param name              the device name the driver reports, or "host"
 * @param type              "GPU", "CPU", "ACCELERATOR" or "HOST"
 * @param platform          the OpenCL platform's name, or "Java" for the host
 * @param driverVersion     the driver's version string
 * @param globalMemoryBytes the device's global memory
 * @param maxAllocationBytes the largest single buffer it allows
 * @param computeUnits      compute units (streaming multiprocessors, cores)
 * @param maxWorkGroupSize  the largest work-group
 * @param correctlyRoundedDivideSqrt whether the device can divide and take square roots correctly
 *                          rounded in single precision (then the update kernels build with
 *                          {@code -cl-fp32-correctly-rounded-divide-sqrt})
 * @param platformId        the OpenCL platform handle (0 for the host)
 * @param deviceId          the OpenCL device handle (0 for the host)
 */
public record GpuDevice(String name, String type, String platform, String driverVersion, long globalMemoryBytes,
                        long maxAllocationBytes, int computeUnits, int maxWorkGroupSize,
                        boolean correctlyRoundedDivideSqrt, long platformId, long deviceId) {

    /** The host: no OpenCL; device arrays are Java arrays, kernels the CPU's. */
    public static GpuDevice host() {
        long max = Runtime.getRuntime().maxMemory();
        return new GpuDevice("host", "HOST", "Java", System.getProperty("java.version"), max,
                Math.min(max, 4L * (Integer.MAX_VALUE - 16)), Runtime.getRuntime().availableProcessors(), 1, true, 0, 0);
    }

    /** True for an OpenCL device, false for the host fallback. */
    public boolean isOpenCL() {
        return deviceId != 0;
    }

    /** One line for logs and reports, e.g. {@code OpenCL GPU "NVIDIA H200" (NVIDIA CUDA, driver 570.1, 143155 MiB)}. */
    public String describe() {
        if (!isOpenCL()) return "host (no OpenCL: device arrays are Java arrays, kernels the CPU's)";
        return "OpenCL " + type + " \"" + name + "\" (" + platform + ", driver " + driverVersion + ", "
                + (globalMemoryBytes >> 20) + " MiB, " + computeUnits + " compute units)";
    }
}
