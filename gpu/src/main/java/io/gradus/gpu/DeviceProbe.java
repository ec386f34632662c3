package io.gradus.gpu;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the OpenCL devices and chooses the one Gradus's GPU kernels run on.
 *
 * <p>The choice follows {@code -Dgradus.device}: {@code gpu} (the default: a GPU if there is one,
 * else any OpenCL device), {@code cpu} (an OpenCL CPU device, e.g. pocl), {@code jtp} (Aparapi's
 * Java thread pool, no OpenCL), or any other text, matched case-insensitively against device
 * names. When no OpenCL device exists (no driver, or no {@code libOpenCL}), the Java thread pool
 * runs the same kernels and one log line says so. The choice is reported in one log line.
 */
public final class DeviceProbe {

    /** System property naming the device to use. */
    public static final String PROPERTY = "gradus.device";

    private static final System.Logger LOG = System.getLogger("io.gradus.gpu");

    private static final class Selected {
        static final GpuDevice DEVICE = chooseAndReport();
    }

    private DeviceProbe() {}

    /** Every OpenCL device of every platform; empty when OpenCL is missing. Never throws. */
    public static List<GpuDevice> openCLDevices() {
        List<GpuDevice> out = new ArrayList<>();
        try {
            if (!OpenCLLoader.isOpenCLAvailable()) {
                return out;
            }
            for (var platform : new com.aparapi.internal.opencl.OpenCLPlatform().getOpenCLPlatforms()) {
                for (OpenCLDevice d : platform.getOpenCLDevices()) {
                    out.add(GpuDevice.of(d));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // A broken driver or a missing native library is the same as no OpenCL: fall back.
            LOG.log(System.Logger.Level.DEBUG, "OpenCL probe failed", e);
        }
        return out;
    }

    /** The device chosen for this JVM (probed and reported once). */
    public static GpuDevice selected() {
        return Selected.DEVICE;
    }

    /**
     * The selection rule, pure so it can be tested on any list.
     *
     * @param devices the OpenCL devices found
     * @param spec    {@code gpu}, {@code cpu}, {@code jtp}, a name substring, or null for {@code gpu}
     * @throws IllegalArgumentException when a name or type was asked for and no device matches
     */
    public static GpuDevice choose(List<GpuDevice> devices, String spec) {
        String want = spec == null || spec.isBlank() ? "gpu" : spec.trim().toLowerCase(Locale.ROOT);
        switch (want) {
            case "jtp":
                return GpuDevice.javaThreadPool();
            case "gpu":
                for (GpuDevice d : devices) if (d.type().equals("GPU")) return d;
                return devices.isEmpty() ? GpuDevice.javaThreadPool() : devices.getFirst();
            case "cpu":
                for (GpuDevice d : devices) if (d.type().equals("CPU")) return d;
                throw new IllegalArgumentException("-D" + PROPERTY + " = cpu: no OpenCL CPU device among "
                        + names(devices));
            default:
                for (GpuDevice d : devices) {
                    if (d.name().toLowerCase(Locale.ROOT).contains(want)) return d;
                }
                throw new IllegalArgumentException("-D" + PROPERTY + " = " + spec
                        + ": no OpenCL device name contains it; devices: " + names(devices)
                        + "; expected gpu, cpu, jtp or part of a device name");
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
            LOG.log(System.Logger.Level.WARNING, "Gradus GPU kernels run on Aparapi's Java thread pool: no OpenCL "
                    + "device found (install an OpenCL driver, e.g. Debian's pocl-opencl-icd, for OpenCL)");
        } else {
            LOG.log(System.Logger.Level.INFO, "Gradus GPU kernels run on " + chosen.describe());
        }
        return chosen;
    }
}
