package io.gradus.gpu;

import io.gradus.kernels.internal.Checks;
import java.lang.foreign.MemorySegment;

/**
 * A float array that lives on one device ({@link DeviceContext}) and stays there: kernels read and
 * write it in place, and data crosses to or from the host only when {@link #upload} or
 * {@link #download} is called (blocking, counted by the context). On the host device it is a Java
 * array. Close it, or its context, to free the device memory.
 *
 * <p>Not for concurrent use from several threads without outside synchronization of the work that
 * uses it; the context serializes the calls themselves.
 */
public final class DeviceArray implements AutoCloseable {

    private final DeviceContext context;
    private final int length;
    private MemorySegment mem;
    private float[] host;
    private boolean closed;

    DeviceArray(DeviceContext context, int length, MemorySegment mem, float[] host) {
        this.context = context;
        this.length = length;
        this.mem = mem;
        this.host = host;
    }

    public DeviceContext context() {
        return context;
    }

    /** Number of floats. */
    public int length() {
        return length;
    }

    /** Copies all of {@code src} (of exactly {@link #length()} floats) to the device. */
    public void upload(float[] src) {
        if (src.length != length) {
            throw new IllegalArgumentException("src: " + src.length + " floats, expected this array's " + length);
        }
        upload(src, 0, 0, length);
    }

    /** Copies {@code src[srcOff, srcOff + n)} to {@code this[dstOff, dstOff + n)}. */
    public void upload(float[] src, int srcOff, int dstOff, int n) {
        Checks.slice("src", src, srcOff, n);
        checkRange("destination", dstOff, n);
        synchronized (context) {
            ensureOpen();
            if (n == 0) return;
            if (host != null) {
                System.arraycopy(src, srcOff, host, dstOff, n);
            } else {
                try {
                    OpenCl.check((int) context.cl().writeBuffer.invokeExact(context.queue(), mem, 1, 4L * dstOff, 4L * n,
                            MemorySegment.ofArray(src).asSlice(4L * srcOff, 4L * n), 0, MemorySegment.NULL, MemorySegment.NULL),
                            context.afterLastKernel("clEnqueueWriteBuffer of " + n + " floats"));
                } catch (Throwable t) {
                    throw OpenCl.rethrow(t);
                }
            }
            context.countUpload(4L * n);
        }
    }

    /** All of the array, copied into a new host array. */
    public float[] download() {
        float[] out = new float[length];
        download(0, out, 0, length);
        return out;
    }

    /** Copies all of the array into {@code dst} (of exactly {@link #length()} floats). */
    public void download(float[] dst) {
        if (dst.length != length) {
            throw new IllegalArgumentException("dst: " + dst.length + " floats, expected this array's " + length);
        }
        download(0, dst, 0, length);
    }

    /** Copies {@code this[srcOff, srcOff + n)} into {@code dst[dstOff, dstOff + n)}, after every queued launch. */
    public void download(int srcOff, float[] dst, int dstOff, int n) {
        checkRange("source", srcOff, n);
        Checks.slice("dst", dst, dstOff, n);
        synchronized (context) {
            ensureOpen();
            if (n == 0) return;
            if (host != null) {
                System.arraycopy(host, srcOff, dst, dstOff, n);
            } else {
                try {
                    OpenCl.check((int) context.cl().readBuffer.invokeExact(context.queue(), mem, 1, 4L * srcOff, 4L * n,
                            MemorySegment.ofArray(dst).asSlice(4L * dstOff, 4L * n), 0, MemorySegment.NULL, MemorySegment.NULL),
                            context.afterLastKernel("clEnqueueReadBuffer of " + n + " floats"));
                } catch (Throwable t) {
                    throw OpenCl.rethrow(t);
                }
            }
            context.countDownload(4L * n);
        }
    }

    /** Sets every element to {@code value}. */
    public void fill(float value) {
        fill(value, 0, length);
    }

    /** Sets {@code this[off, off + n)} to {@code value}. */
    public void fill(float value, int off, int n) {
        checkRange("fill", off, n);
        synchronized (context) {
            ensureOpen();
            context.fill(this, value, off, n);
        }
    }

    /** {@code this[dstOff, dstOff + n) = src[srcOff, srcOff + n)}, on the device (src on the same context). */
    public void copyFrom(DeviceArray src, int srcOff, int dstOff, int n) {
        if (src == null || src.context != context) {
            throw new IllegalArgumentException("src: expected an array of the same context " + context);
        }
        src.checkRange("source", srcOff, n);
        checkRange("destination", dstOff, n);
        synchronized (context) {
            ensureOpen();
            src.ensureOpen();
            if (n == 0) return;
            if (host != null) {
                System.arraycopy(src.host, srcOff, host, dstOff, n);
                return;
            }
            try {
                OpenCl.check((int) context.cl().copyBuffer.invokeExact(context.queue(), src.mem, mem, 4L * srcOff, 4L * dstOff,
                        4L * n, 0, MemorySegment.NULL, MemorySegment.NULL), "clEnqueueCopyBuffer of " + n + " floats");
            } catch (Throwable t) {
                throw OpenCl.rethrow(t);
            }
        }
    }

    static {
        io.gradus.gpu.internal.HostArrays.install(DeviceArray::host); // Gradus's other modules reach host() only so
    }

    /**
     * The Java array behind this array on the host device, which the host's kernels work on.
     *
     * @throws IllegalStateException for an OpenCL array
     */
    float[] host() {
        if (host == null) {
            throw new IllegalStateException(closed ? "this device array is closed"
                    : "an OpenCL array has no host storage: download it, or run an OpenCL kernel on it");
        }
        return host;
    }

    /** The OpenCL buffer (for kernel arguments). */
    MemorySegment mem() {
        ensureOpen();
        return mem;
    }

    public boolean isClosed() {
        synchronized (context) {
            return closed;
        }
    }

    /** Frees the device memory; further use throws. Closing twice is harmless. */
    @Override
    public void close() {
        synchronized (context) {
            if (closed) return;
            closed = true;
            if (mem != null) context.release(mem);
            mem = null;
            host = null;
            context.forget(this);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("this device array of " + length + " floats is closed");
    }

    private void checkRange(String what, int off, int n) {
        if (off < 0 || n < 0 || (long) off + n > length) {
            throw new IndexOutOfBoundsException(what + " range [" + off + ", " + ((long) off + n) + ") is outside the device array of "
                    + length + " floats");
        }
    }

    @Override
    public String toString() {
        return "DeviceArray[" + length + " floats on " + context.device().name() + (closed ? ", closed" : "") + "]";
    }
}
