package io.gradus.gpu;

/**
 * A device that runs Gradus's device kernels: an OpenCL device (a GPU, or a CPU through an
 * OpenCL driver such as pocl), or the host itself when there is no OpenCL. On the host, device
 * arrays are Java arrays and the kernels are the CPU's own (the same Java code as a CPU Trainer
 * runs), so the same API works everywhere.
 *
 * <p>Obtained from {@link DeviceProbe} (or {@link #host()}); an application cannot make one from
 * raw OpenCL handles, so a context is only ever opened on a device the driver reported.
 */
public final class GpuDevice {
    private final String name, type, platform, driverVersion;
    private final long globalMemoryBytes, maxAllocationBytes;
    private final int computeUnits, maxWorkGroupSize;
    private final boolean correctlyRoundedDivideSqrt;
    private final long platformId, deviceId;

    /**
     * @param platformId the OpenCL platform handle (0 for the host)
     * @param deviceId   the OpenCL device handle (0 for the host)
     */
    GpuDevice(String name, String type, String platform, String driverVersion, long globalMemoryBytes, long maxAllocationBytes,
              int computeUnits, int maxWorkGroupSize, boolean correctlyRoundedDivideSqrt, long platformId, long deviceId) {
        this.name = name;
        this.type = type;
        this.platform = platform;
        this.driverVersion = driverVersion;
        this.globalMemoryBytes = globalMemoryBytes;
        this.maxAllocationBytes = maxAllocationBytes;
        this.computeUnits = computeUnits;
        this.maxWorkGroupSize = maxWorkGroupSize;
        this.correctlyRoundedDivideSqrt = correctlyRoundedDivideSqrt;
        this.platformId = platformId;
        this.deviceId = deviceId;
    }

    /** The device name the driver reports, or "host". */
    public String name() {
        return name;
    }

    /** "GPU", "CPU", "ACCELERATOR" or "HOST". */
    public String type() {
        return type;
    }

    /** The OpenCL platform's name, or "Java" for the host. */
    public String platform() {
        return platform;
    }

    /** The driver's version string. */
    public String driverVersion() {
        return driverVersion;
    }

    /** The device's global memory. */
    public long globalMemoryBytes() {
        return globalMemoryBytes;
    }

    /** The largest single buffer it allows. */
    public long maxAllocationBytes() {
        return maxAllocationBytes;
    }

    /** Compute units (streaming multiprocessors, cores). */
    public int computeUnits() {
        return computeUnits;
    }

    /** The largest work-group. */
    public int maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    /**
     * Whether the device divides and takes square roots correctly rounded in single precision (then
     * the update kernels build with {@code -cl-fp32-correctly-rounded-divide-sqrt}).
     */
    public boolean correctlyRoundedDivideSqrt() {
        return correctlyRoundedDivideSqrt;
    }

    long platformId() {
        return platformId;
    }

    long deviceId() {
        return deviceId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpuDevice d && d.platformId == platformId && d.deviceId == deviceId && d.name.equals(name)
                && d.type.equals(type) && d.maxAllocationBytes == maxAllocationBytes;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, type, platformId, deviceId);
    }

    @Override
    public String toString() {
        return describe();
    }

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
