package io.gradus.gpu;

/**
 * An OpenCL call failed: the message names the call, the OpenCL error (name and code) and, where
 * it matters, the device and the sizes involved.
 */
public class DeviceException extends RuntimeException {
    private final int status;

    public DeviceException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The OpenCL status code (negative), or 0 when the error is Gradus's own check. */
    public int status() {
        return status;
    }
}
