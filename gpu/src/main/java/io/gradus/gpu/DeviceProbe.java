package io.gradus.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the OpenCL devices and chooses the one Gradus's device kernels run on.
 *
 * <p>The choice follows {@code -Dgradus.device}: {@code gpu} (the default: a GPU if there is one,
 * else any OpenCL device), {@code cpu} (an OpenCL CPU device, e.g. pocl), {@code host} (no OpenCL:
 * the host runs the same API with Java arrays and the CPU's kernels; {@code jtp} is accepted for
 * it too), or any other text, matched case-insensitively against device names. When no OpenCL
 * device exists (no driver, or no {@code libOpenCL}), the host runs and one log line says so.
 * The choice is reported in one log line.
 */
public final class DeviceProbe {

    /** System property naming the device to use. */
    public static final String PROPERTY = "gradus.device";

    private static final System.Logger LOG = System.getLogger("io.gradus.gpu");

    private static final class Selected {
        static final GpuDevice DEVICE = chooseAndReport();
    }

    private DeviceProbe() {}

    /** What went wrong while probing: the loader's errors, and each platform whose query failed. */
    private static final List<String> PROBLEMS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Why OpenCL devices may be missing: the OpenCL library's load errors (each name tried) and the
     * platforms whose queries failed, each with its error. Empty when all went well.
     */
    public static List<String> problems() {
        List<String> out = new ArrayList<>();
        if (OpenCl.api().isEmpty()) for (String e : OpenCl.loadErrors()) out.add("loading the OpenCL library " + e);
        out.addAll(PROBLEMS);
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }

    /** Every OpenCL device of every platform; empty when OpenCL is missing or broken. Never throws. */
    public static List<GpuDevice> openCLDevices() {
        try {
            return queryDevices();
        } finally {
            SignalHandlers.restore(); // pocl loads LLVM when its platform is first queried
        }
    }

    private static List<GpuDevice> queryDevices() {
        List<GpuDevice> out = new ArrayList<>();
        var api = OpenCl.api();
        if (api.isEmpty()) return out;
        OpenCl.Api cl = api.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int status = (int) cl.getPlatformIDs.invokeExact(0, MemorySegment.NULL, count);
            if (status != OpenCl.CL_SUCCESS || count.get(ValueLayout.JAVA_INT, 0) == 0) {
                PROBLEMS.add("clGetPlatformIDs: " + (status != OpenCl.CL_SUCCESS ? OpenCl.errorName(status) : "no platform")
                        + ": the OpenCL loader found no driver (no ICD file in /etc/OpenCL/vendors, or $OCL_ICD_VENDORS, names one that loads)");
                return out;
            }
            int platforms = count.get(ValueLayout.JAVA_INT, 0);
            MemorySegment ids = arena.allocate(ValueLayout.ADDRESS, platforms);
            OpenCl.check((int) cl.getPlatformIDs.invokeExact(platforms, ids, MemorySegment.NULL), "clGetPlatformIDs");
            for (int p = 0; p < platforms; p++) {
                // each platform on its own: one broken driver does not hide the others' devices
                MemorySegment platform = ids.getAtIndex(ValueLayout.ADDRESS, p);
                String platformName = "platform " + p;
                try {
                    platformName = platformString(cl, platform, OpenCl.CL_PLATFORM_NAME);
                    status = (int) cl.getDeviceIDs.invokeExact(platform, OpenCl.CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
                    if (status != OpenCl.CL_SUCCESS) {
                        PROBLEMS.add(platformName + ": clGetDeviceIDs " + OpenCl.errorName(status));
                        continue;
                    }
                    int devices = count.get(ValueLayout.JAVA_INT, 0);
                    MemorySegment deviceIds = arena.allocate(ValueLayout.ADDRESS, devices);
                    OpenCl.check((int) cl.getDeviceIDs.invokeExact(platform, OpenCl.CL_DEVICE_TYPE_ALL, devices, deviceIds,
                            MemorySegment.NULL), "clGetDeviceIDs");
                    for (int d = 0; d < devices; d++) {
                        out.add(describe(cl, platform, platformName, deviceIds.getAtIndex(ValueLayout.ADDRESS, d)));
                    }
                } catch (Throwable e) {
                    PROBLEMS.add(platformName + ": " + e);
                    LOG.log(System.Logger.Level.WARNING, "OpenCL probe of " + platformName + " failed: " + e);
                }
            }
        } catch (Throwable e) {
            PROBLEMS.add("clGetPlatformIDs: " + e);
            // A broken driver is the same as no OpenCL: fall back to the host, and say why in the log.
            LOG.log(System.Logger.Level.WARNING, "OpenCL probe failed: " + e);
        }
        return out;
    }

    private static GpuDevice describe(OpenCl.Api cl, MemorySegment platform, String platformName, MemorySegment id) throws Throwable {
        long type = deviceLong(cl, id, OpenCl.CL_DEVICE_TYPE);
        String typeName = (type & OpenCl.CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type & OpenCl.CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (type & OpenCl.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
        long fp = deviceLong(cl, id, OpenCl.CL_DEVICE_SINGLE_FP_CONFIG);
        return new GpuDevice(deviceString(cl, id, OpenCl.CL_DEVICE_NAME).trim(), typeName, platformName,
                deviceString(cl, id, OpenCl.CL_DRIVER_VERSION).trim(), deviceLong(cl, id, OpenCl.CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(cl, id, OpenCl.CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceInt(cl, id, OpenCl.CL_DEVICE_MAX_COMPUTE_UNITS),
                (int) deviceLong(cl, id, OpenCl.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                (fp & OpenCl.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0, platform.address(), id.address());
    }

    private static String platformString(OpenCl.Api cl, MemorySegment platform, int param) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            OpenCl.check((int) cl.getPlatformInfo.invokeExact(platform, param, 0L, MemorySegment.NULL, size), "clGetPlatformInfo");
            MemorySegment text = arena.allocate(size.get(ValueLayout.JAVA_LONG, 0) + 1);
            OpenCl.check((int) cl.getPlatformInfo.invokeExact(platform, param, text.byteSize(), text, MemorySegment.NULL), "clGetPlatformInfo");
            return text.getString(0, StandardCharsets.UTF_8).trim();
        }
    }

    static String deviceString(OpenCl.Api cl, MemorySegment device, int param) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            OpenCl.check((int) cl.getDeviceInfo.invokeExact(device, param, 0L, MemorySegment.NULL, size), "clGetDeviceInfo");
            MemorySegment text = arena.allocate(size.get(ValueLayout.JAVA_LONG, 0) + 1);
            OpenCl.check((int) cl.getDeviceInfo.invokeExact(device, param, text.byteSize(), text, MemorySegment.NULL), "clGetDeviceInfo");
            return text.getString(0, StandardCharsets.UTF_8);
        }
    }

    /** A {@code cl_ulong}, {@code size_t} or bitfield property (all 8 bytes on 64-bit hosts). */
    static long deviceLong(OpenCl.Api cl, MemorySegment device, int param) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            OpenCl.check((int) cl.getDeviceInfo.invokeExact(device, param, 8L, value, MemorySegment.NULL), "clGetDeviceInfo");
            return value.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    static int deviceInt(OpenCl.Api cl, MemorySegment device, int param) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            OpenCl.check((int) cl.getDeviceInfo.invokeExact(device, param, 4L, value, MemorySegment.NULL), "clGetDeviceInfo");
            return value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** The device chosen for this JVM (probed and reported once). */
    public static GpuDevice selected() {
        return Selected.DEVICE;
    }

    /**
     * The selection rule, pure so it can be tested on any list.
     *
     * @param devices the OpenCL devices found
     * @param spec    {@code gpu}, {@code cpu}, {@code host} (or {@code jtp}), a name substring, or null for {@code gpu}
     * @throws IllegalArgumentException when a name or type was asked for and no device matches
     */
    public static GpuDevice choose(List<GpuDevice> devices, String spec) {
        String want = spec == null || spec.isBlank() ? "gpu" : spec.trim().toLowerCase(Locale.ROOT);
        switch (want) {
            case "host", "jtp":
                return GpuDevice.host();
            case "gpu":
                for (GpuDevice d : devices) if (d.type().equals("GPU")) return d;
                return devices.isEmpty() ? GpuDevice.host() : devices.getFirst();
            case "cpu":
                for (GpuDevice d : devices) if (d.type().equals("CPU")) return d;
                throw new IllegalArgumentException("-D" + PROPERTY + " = cpu: no OpenCL CPU device among " + names(devices));
            default:
                for (GpuDevice d : devices) {
                    if (d.name().toLowerCase(Locale.ROOT).contains(want)) return d;
                }
                throw new IllegalArgumentException("-D" + PROPERTY + " = " + spec
                        + ": no OpenCL device name contains it; devices: " + names(devices)
                        + "; expected gpu, cpu, host or part of a device name");
        }
    }

    private static String names(List<GpuDevice> devices) {
        if (devices.isEmpty()) return "[] (no OpenCL driver found)";
        List<String> names = new ArrayList<>();
        for (GpuDevice d : devices) names.add(d.describe());
        return names.toString();
    }

    private static GpuDevice chooseAndReport() {
        List<GpuDevice> devices = openCLDevices();
        GpuDevice chosen = choose(devices, System.getProperty(PROPERTY));
        if (devices.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Gradus device kernels run on the host: no OpenCL device found "
                    + "(install an OpenCL driver, e.g. Debian's pocl-opencl-icd, for OpenCL)"
                    + (problems().isEmpty() ? "" : "; " + String.join("; ", problems())));
        } else {
            LOG.log(System.Logger.Level.INFO, "Gradus device kernels run on " + chosen.describe());
        }
        return chosen;
    }
}
