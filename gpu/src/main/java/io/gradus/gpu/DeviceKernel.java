package io.gradus.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An OpenCL kernel built for one {@link DeviceContext}. {@link #launch} sets its arguments in order
 * ({@link DeviceArray}, {@code Integer}, {@code Float}, or {@link Local} scratch memory) and
 * enqueues a 1-D range; it returns at once, and the queue runs launches in order.
 */
public final class DeviceKernel {

    /** {@code bytes} of work-group local memory, for a {@code __local} argument. */
    public record Local(long bytes) {
        public Local {
            if (bytes < 1) throw new IllegalArgumentException("local memory of " + bytes + " bytes: expected >= 1");
        }
    }

    private final DeviceContext context;
    private final MemorySegment kernel;
    private final String name;
    /** The launch shapes (global and local sizes) seen so far: a new one may make the driver compile ({@link SignalHandlers}). */
    private final java.util.Set<String> shapes = new java.util.HashSet<>();

    DeviceKernel(DeviceContext context, MemorySegment kernel, String name) {
        this.context = context;
        this.kernel = kernel;
        this.name = name;
    }

    public String name() {
        return name;
    }

    MemorySegment handle() {
        return kernel;
    }

    /** {@code items} work-items in work-groups the driver chooses; nothing runs when {@code items == 0}. */
    public void launch(int items, Object... args) {
        launchInGroups(items, 0, args);
    }

    /**
     * {@code items} work-items rounded up to whole work-groups of {@code groupSize} (0: the driver
     * chooses, and no rounding); the kernel must ignore work-items at or past the real count.
     */
    public void launchInGroups(int items, int groupSize, Object... args) {
        if (items < 0) throw new IllegalArgumentException("kernel " + name + ": items = " + items + ", expected >= 0");
        if (groupSize < 0) throw new IllegalArgumentException("kernel " + name + ": groupSize = " + groupSize + ", expected >= 0");
        if (items == 0) return;
        long global = groupSize == 0 ? items : ((long) items + groupSize - 1) / groupSize * groupSize;
        enqueue(new long[] {global}, groupSize == 0 ? null : new long[] {groupSize}, args);
    }

    /**
     * A 2-D range of {@code width x height} work-items in work-groups of {@code groupWidth x groupHeight}
     * (the sizes must be multiples of the group's); dimension 0 is the width.
     */
    public void launch2d(int width, int height, int groupWidth, int groupHeight, Object... args) {
        if (groupWidth < 1 || groupHeight < 1 || width < 0 || height < 0 || width % groupWidth != 0 || height % groupHeight != 0) {
            throw new IllegalArgumentException("kernel " + name + ": range " + width + " x " + height + " in groups of "
                    + groupWidth + " x " + groupHeight + ", expected whole groups");
        }
        if (width == 0 || height == 0) return;
        enqueue(new long[] {width, height}, new long[] {groupWidth, groupHeight}, args);
    }

    private void enqueue(long[] global, long[] local, Object[] args) {
        synchronized (context) {
            context.ensureOpen();
            String shape = java.util.Arrays.toString(global) + "/" + java.util.Arrays.toString(local);
            setArgsAndEnqueue(global, local, args);
            context.launched(name);
            // the first launch of a shape may run the compiler (pocl specializes the work-group
            // function per shape), which may replace the JVM's signal handlers
            if (shapes.add(shape)) SignalHandlers.restore();
        }
    }

    /** Sets the arguments and enqueues; the caller holds the context's lock. */
    private void setArgsAndEnqueue(long[] global, long[] local, Object[] args) {
        OpenCl.Api cl = context.cl();
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                int status;
                switch (a) {
                    case DeviceArray array -> {
                        if (array.context() != context) {
                            throw new IllegalArgumentException("kernel " + name + ": argument " + i + " is an array of another context");
                        }
                        MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
                        slot.set(ValueLayout.ADDRESS, 0, array.mem());
                        status = (int) cl.setKernelArg.invokeExact(kernel, i, 8L, slot);
                    }
                    case Integer v -> status = (int) cl.setKernelArg.invokeExact(kernel, i, 4L, arena.allocateFrom(ValueLayout.JAVA_INT, v));
                    case Float v -> status = (int) cl.setKernelArg.invokeExact(kernel, i, 4L, arena.allocateFrom(ValueLayout.JAVA_FLOAT, v));
                    case Local l -> status = (int) cl.setKernelArg.invokeExact(kernel, i, l.bytes(), MemorySegment.NULL);
                    case null, default -> throw new IllegalArgumentException("kernel " + name + ": argument " + i + " = " + a
                            + ", expected a DeviceArray, Integer, Float or DeviceKernel.Local");
                }
                OpenCl.check(status, "clSetKernelArg " + i + " of kernel " + name);
            }
            MemorySegment globalSize = arena.allocateFrom(ValueLayout.JAVA_LONG, global);
            MemorySegment localSize = local == null ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_LONG, local);
            OpenCl.check((int) cl.enqueueNDRangeKernel.invokeExact(context.queue(), kernel, global.length, MemorySegment.NULL,
                    globalSize, localSize, 0, MemorySegment.NULL, MemorySegment.NULL),
                    "clEnqueueNDRangeKernel " + name + " over " + java.util.Arrays.toString(global));
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }
}
