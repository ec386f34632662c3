package io.gradus.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One device in use: its OpenCL context and in-order command queue, the device arrays allocated on
 * it, and the kernels compiled for it (each OpenCL C source is built once per context). On the
 * host device (no OpenCL) the same API keeps Java arrays and the callers run their CPU kernels.
 *
 * <pre>{@code
 * try (DeviceContext gpu = DeviceContext.open(DeviceProbe.selected());
 *      DeviceArray x = gpu.upload(values)) {
 *     DeviceKernel scale = gpu.kernel(SOURCE, "scale");
 *     scale.launch(x.length(), x, 0, x.length(), 0.5f);
 *     x.download(values);
 * }
 * }</pre>
 *
 * <p>Threads: every method is synchronized on the context, so one context may be shared; the queue
 * runs launches in order, and a download waits for the launches before it. Transfers are counted
 * ({@link #transfers()}), so benchmarks can report time with and without them.
 */
public final class DeviceContext implements AutoCloseable {

    /** Bytes and calls moved between host and device since the context opened. */
    public record Transfers(long uploads, long uploadedBytes, long downloads, long downloadedBytes) {}

    private static DeviceContext shared;

    private final GpuDevice device;
    private final OpenCl.Api cl;
    private final MemorySegment context;
    private final MemorySegment queue;
    private final String buildOptions;
    private final Map<String, MemorySegment> programs = new HashMap<>();
    private final Map<String, DeviceKernel> kernels = new HashMap<>();
    private final Set<DeviceArray> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long uploads, uploadedBytes, downloads, downloadedBytes, allocatedBytes;
    private boolean closed;

    private DeviceContext(GpuDevice device, OpenCl.Api cl, MemorySegment context, MemorySegment queue) {
        this.device = device;
        this.cl = cl;
        this.context = context;
        this.queue = queue;
        // NVIDIA's compiler reports each kernel's registers and spills with -cl-nv-verbose, in the build log
        boolean nvidia = device.platform().toLowerCase(java.util.Locale.ROOT).contains("nvidia");
        this.buildOptions = ((device.correctlyRoundedDivideSqrt() ? "-cl-fp32-correctly-rounded-divide-sqrt" : "")
                + (nvidia ? " -cl-nv-verbose" : "")).trim();
    }

    /** Opens a context on {@code device} (the host device needs no OpenCL). */
    public static DeviceContext open(GpuDevice device) {
        if (device == null) throw new IllegalArgumentException("device = null: expected a GpuDevice (DeviceProbe.selected())");
        if (!device.isOpenCL()) return new DeviceContext(device, null, null, null);
        OpenCl.Api cl = OpenCl.api().orElseThrow(() -> new DeviceException(
                "device " + device.name() + ": the OpenCL library (libOpenCL) cannot be loaded", 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment properties = arena.allocate(ValueLayout.JAVA_LONG, 3);
            properties.setAtIndex(ValueLayout.JAVA_LONG, 0, OpenCl.CL_CONTEXT_PLATFORM);
            properties.setAtIndex(ValueLayout.JAVA_LONG, 1, device.platformId());
            properties.setAtIndex(ValueLayout.JAVA_LONG, 2, 0);
            MemorySegment ids = arena.allocate(ValueLayout.ADDRESS);
            ids.set(ValueLayout.ADDRESS, 0, MemorySegment.ofAddress(device.deviceId()));
            MemorySegment ctx = (MemorySegment) cl.createContext.invokeExact(properties, 1, ids, MemorySegment.NULL,
                    MemorySegment.NULL, status);
            OpenCl.check(status.get(ValueLayout.JAVA_INT, 0), "clCreateContext on " + device.name());
            MemorySegment q = (MemorySegment) cl.createCommandQueue.invokeExact(ctx, MemorySegment.ofAddress(device.deviceId()),
                    0L, status);
            OpenCl.check(status.get(ValueLayout.JAVA_INT, 0), "clCreateCommandQueue on " + device.name());
            return new DeviceContext(device, cl, ctx, q);
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        } finally {
            SignalHandlers.restore();
        }
    }

    /** A context on {@link DeviceProbe#selected()}, opened once and shared by the JVM; never closed. */
    public static synchronized DeviceContext shared() {
        if (shared == null) shared = open(DeviceProbe.selected());
        return shared;
    }

    public GpuDevice device() {
        return device;
    }

    /** Whether kernels run through OpenCL (else on the host, as Java code). */
    public boolean isOpenCL() {
        return device.isOpenCL();
    }

    /** A zero-filled array of {@code length} floats on the device. */
    public synchronized DeviceArray allocate(int length) {
        ensureOpen();
        if (length < 0) throw new IllegalArgumentException("length = " + length + ": expected >= 0");
        long bytes = 4L * length;
        if (!isOpenCL()) {
            DeviceArray a;
            try {
                a = new DeviceArray(this, length, null, new float[length]);
            } catch (OutOfMemoryError e) {
                throw new DeviceException(allocationFailure(bytes, "the Java heap is full (-Xmx)"), 0);
            }
            track(a, bytes);
            return a;
        }
        if (bytes > device.maxAllocationBytes()) {
            throw new DeviceException(allocationFailure(bytes, "larger than its largest buffer, "
                    + (device.maxAllocationBytes() >> 20) + " MiB"), -61);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment mem = (MemorySegment) cl.createBuffer.invokeExact(context, OpenCl.CL_MEM_READ_WRITE,
                    Math.max(4L, bytes), MemorySegment.NULL, status);
            int s = status.get(ValueLayout.JAVA_INT, 0);
            if (s != OpenCl.CL_SUCCESS) throw new DeviceException(allocationFailure(bytes, OpenCl.errorName(s)), s);
            DeviceArray a = new DeviceArray(this, length, mem, null);
            try {
                fill(a, 0f, 0, length); // drivers may allocate lazily: the first write is where memory runs out
            } catch (DeviceException e) {
                release(mem);
                throw new DeviceException(allocationFailure(bytes, OpenCl.errorName(e.status())), e.status());
            }
            track(a, bytes);
            return a;
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }

    private String allocationFailure(long bytes, String why) {
        return "cannot allocate " + bytes + " bytes (" + (bytes >> 20) + " MiB) on " + device.describe() + ": " + why
                + "; " + (allocatedBytes >> 20) + " MiB already allocated by Gradus of the device's "
                + (device.globalMemoryBytes() >> 20) + " MiB";
    }

    /** A device copy of {@code values}. */
    public DeviceArray upload(float[] values) {
        DeviceArray a = allocate(values.length);
        a.upload(values);
        return a;
    }

    /**
     * The kernel {@code name} of the OpenCL C {@code source}, built for this device on first use
     * (with {@code -cl-fp32-correctly-rounded-divide-sqrt} where the device supports it, and the
     * source's own {@code #pragma OPENCL FP_CONTRACT}).
     *
     * @throws UnsupportedOperationException on the host device, which runs no OpenCL
     * @throws DeviceException if the source does not build (the message holds the build log)
     */
    public synchronized DeviceKernel kernel(String source, String name) {
        ensureOpen();
        if (!isOpenCL()) throw new UnsupportedOperationException("kernel " + name + ": the host device runs no OpenCL C");
        String key = name + "\u0000" + source;
        DeviceKernel k = kernels.get(key);
        if (k != null) return k;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = programs.get(source);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            if (program == null) {
                MemorySegment text = arena.allocateFrom(source);
                MemorySegment strings = arena.allocate(ValueLayout.ADDRESS);
                strings.set(ValueLayout.ADDRESS, 0, text);
                program = (MemorySegment) cl.createProgramWithSource.invokeExact(context, 1, strings, MemorySegment.NULL, status);
                OpenCl.check(status.get(ValueLayout.JAVA_INT, 0), "clCreateProgramWithSource");
                MemorySegment ids = arena.allocate(ValueLayout.ADDRESS);
                ids.set(ValueLayout.ADDRESS, 0, MemorySegment.ofAddress(device.deviceId()));
                int built;
                try {
                    built = (int) cl.buildProgram.invokeExact(program, 1, ids, arena.allocateFrom(buildOptions),
                            MemorySegment.NULL, MemorySegment.NULL);
                } finally {
                    SignalHandlers.restore(); // the compiler may have replaced the JVM's signal handlers
                }
                if (built != OpenCl.CL_SUCCESS) {
                    String log = buildLog(program);
                    int ignored = (int) cl.releaseProgram.invokeExact(program);
                    throw new DeviceException("building kernel " + name + " for " + device.name() + " failed: "
                            + OpenCl.errorName(built) + "\n" + log, built);
                }
                programs.put(source, program);
                String log = buildLog(program).strip();
                if (!log.isEmpty()) buildLogs.put(name, log);
            }
            MemorySegment kernel = (MemorySegment) cl.createKernel.invokeExact(program, arena.allocateFrom(name), status);
            OpenCl.check(status.get(ValueLayout.JAVA_INT, 0), "clCreateKernel " + name);
            k = new DeviceKernel(this, kernel, name);
            kernels.put(key, k);
            return k;
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }

    /** The compiler's log of each program that built with something to say, by the kernel first asked of it. */
    private final Map<String, String> buildLogs = new java.util.LinkedHashMap<>();

    /**
     * The build logs of this context's programs that had one (on NVIDIA's driver, built with
     * {@code -cl-nv-verbose}: each kernel's registers, local memory and spills), by the name of the
     * kernel that first built the program.
     */
    public synchronized Map<String, String> buildLogs() {
        return Map.copyOf(buildLogs);
    }

    private String buildLog(MemorySegment program) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment id = MemorySegment.ofAddress(device.deviceId());
            int s = (int) cl.getProgramBuildInfo.invokeExact(program, id, OpenCl.CL_PROGRAM_BUILD_LOG, 0L, MemorySegment.NULL, size);
            if (s != OpenCl.CL_SUCCESS) return "(no build log: " + OpenCl.errorName(s) + ")";
            MemorySegment log = arena.allocate(size.get(ValueLayout.JAVA_LONG, 0) + 1);
            s = (int) cl.getProgramBuildInfo.invokeExact(program, id, OpenCl.CL_PROGRAM_BUILD_LOG, log.byteSize(), log, MemorySegment.NULL);
            return s != OpenCl.CL_SUCCESS ? "(no build log)" : log.getString(0, StandardCharsets.UTF_8);
        }
    }

    /** The name of the kernel launched last, for errors that a faulting kernel raises later (NVIDIA's -9999 at the next wait). */
    private volatile String lastKernel;

    void launched(String kernel) {
        lastKernel = kernel;
    }

    /**
     * {@code what}, and the kernel launched last when there was one: a blocking call is where an
     * asynchronous kernel fault surfaces, so its error names the kernel that most likely caused it.
     */
    String afterLastKernel(String what) {
        String k = lastKernel;
        return k == null ? what : what + " (the last kernel launched before it: " + k + ")";
    }

    /** Waits until every launch and transfer queued so far has finished. */
    public synchronized void finish() {
        ensureOpen();
        if (!isOpenCL()) return;
        try {
            OpenCl.check((int) cl.finish.invokeExact(queue), afterLastKernel("clFinish"));
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }

    public synchronized Transfers transfers() {
        return new Transfers(uploads, uploadedBytes, downloads, downloadedBytes);
    }

    /** Bytes of device arrays allocated and not yet closed. */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** Releases every array, kernel and program still held, then the queue and the context. */
    @Override
    public synchronized void close() {
        if (closed) return;
        if (this == shared) return; // the shared context lives as long as the JVM
        closed = true;
        for (DeviceArray a : new ArrayList<>(live)) a.close();
        if (!isOpenCL()) return;
        try {
            for (DeviceKernel k : kernels.values()) {
                int ignored = (int) cl.releaseKernel.invokeExact(k.handle());
            }
            for (MemorySegment p : programs.values()) {
                int ignored = (int) cl.releaseProgram.invokeExact(p);
            }
            int q = (int) cl.releaseCommandQueue.invokeExact(queue);
            int c = (int) cl.releaseContext.invokeExact(context);
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return "DeviceContext[" + device.describe() + "]";
    }

    // ----- what DeviceArray and DeviceKernel call; all under this context's lock -----

    OpenCl.Api cl() {
        return cl;
    }

    MemorySegment queue() {
        return queue;
    }

    void ensureOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    private void track(DeviceArray a, long bytes) {
        live.add(a);
        allocatedBytes += bytes;
    }

    void forget(DeviceArray a) {
        if (live.remove(a)) allocatedBytes -= 4L * a.length();
    }

    void release(MemorySegment mem) {
        try {
            int ignored = (int) cl.releaseMemObject.invokeExact(mem);
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }

    void countUpload(long bytes) {
        uploads++;
        uploadedBytes += bytes;
    }

    void countDownload(long bytes) {
        downloads++;
        downloadedBytes += bytes;
    }

    /** {@code a[off, off + n) = value}. */
    void fill(DeviceArray a, float value, int off, int n) {
        if (n == 0) return;
        if (!isOpenCL()) {
            java.util.Arrays.fill(a.host(), off, off + n, value);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pattern = arena.allocateFrom(ValueLayout.JAVA_FLOAT, value);
            OpenCl.check((int) cl.fillBuffer.invokeExact(queue, a.mem(), pattern, 4L, 4L * off, 4L * n, 0,
                    MemorySegment.NULL, MemorySegment.NULL), "clEnqueueFillBuffer");
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }

    /** Used by DeviceArray for uploads and downloads. */
    List<DeviceArray> liveArrays() {
        return new ArrayList<>(live);
    }
}
