package io.gradus.gpu.internal;

import io.gradus.gpu.DeviceArray;
import java.util.function.Function;

/**
 * The Java array behind a {@link DeviceArray} of the host device, for Gradus's own modules: the
 * optimizer runs its CPU kernels there when there is no OpenCL. Not exported to applications (they
 * {@link DeviceArray#download} what they need), because on an OpenCL device there is no such array
 * and on the host it is live storage that kernels write.
 */
public final class HostArrays {
    private HostArrays() {}

    private static volatile Function<DeviceArray, float[]> access;

    /** Set once, by {@link DeviceArray}'s class initialization. */
    public static void install(Function<DeviceArray, float[]> hostStorage) {
        if (access != null) throw new IllegalStateException("HostArrays: access already installed");
        access = hostStorage;
    }

    /**
     * The Java array behind {@code a}, a host-device array.
     *
     * @throws IllegalStateException for an OpenCL array, or a closed one
     */
    public static float[] of(DeviceArray a) {
        return access.apply(a); // set: an instance of DeviceArray exists, so its class was initialized
    }
}
