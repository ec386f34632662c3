package io.gradus.gpu;

/**
 * One layer of a {@link DeviceNetwork}, as core's layers of the same name define it ({@code
 * io.gradus.core.nn.Layers}): shapes and hyperparameters only; the network allocates and runs.
 * Images are {@code [N, C, H, W]} row-major; a {@link Dense} after an image layer reads each
 * example's {@code C * H * W} values as one row (Gluon's flatten).
 */
public sealed interface DeviceLayer permits DeviceLayer.Dense, DeviceLayer.Conv2d, DeviceLayer.MaxPool2d, DeviceLayer.AvgPool2d {

    /** The activation a Dense or Conv2d layer applies to its output. */
    enum Activation {
        /** the identity */
        NONE,
        /** {@code max(z, 0)} */
        RELU,
        /** {@code 1 / (1 + exp(-z))} */
        SIGMOID
    }

    /** Whether the layer has a weight and a bias. */
    default boolean hasParameters() {
        return this instanceof Dense || this instanceof Conv2d;
    }

    /**
     * Fully connected: {@code y = act(x W^T + b)}, W of shape {@code [out, in]} (MXNet's layout).
     *
     * @param in  the input width ({@code C * H * W} of an image input)
     * @param out the output width
     */
    record Dense(int in, int out, Activation activation) implements DeviceLayer {
        public Dense {
            if (in < 1 || out < 1) throw new IllegalArgumentException("Dense(" + in + ", " + out + "): expected sizes >= 1");
            if (activation == null) throw new IllegalArgumentException("Dense activation = null: expected NONE, RELU or SIGMOID");
        }
    }

    /**
     * 2-D cross-correlation, as core's {@code Functional.conv2d} defines it:
     * {@code y[n,o,i,j] = act(b[o] + sum_{c,p,q} w[o,c,p,q] x[n,c,i s - pad + p, j s - pad + q])}
     * (zero outside x), W of shape {@code [out, in, k, k]}.
     */
    record Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Activation activation) implements DeviceLayer {
        public Conv2d {
            if (inChannels < 1 || outChannels < 1 || kernel < 1) {
                throw new IllegalArgumentException("Conv2d(" + inChannels + ", " + outChannels + ", kernel " + kernel
                        + "): expected sizes >= 1");
            }
            if (stride < 1 || padding < 0) {
                throw new IllegalArgumentException("Conv2d: stride = " + stride + ", padding = " + padding
                        + ": expected stride >= 1, padding >= 0");
            }
            if (activation == null) throw new IllegalArgumentException("Conv2d activation = null: expected NONE, RELU or SIGMOID");
        }
    }

    /** The maximum of each {@code window x window} square moved by {@code stride}, no padding; the gradient goes to the first maximum. */
    record MaxPool2d(int window, int stride) implements DeviceLayer {
        public MaxPool2d {
            if (window < 1 || stride < 1) {
                throw new IllegalArgumentException("MaxPool2d(" + window + ", " + stride + "): expected window and stride >= 1");
            }
        }
    }

    /** The mean of each {@code window x window} square moved by {@code stride}, no padding. */
    record AvgPool2d(int window, int stride) implements DeviceLayer {
        public AvgPool2d {
            if (window < 1 || stride < 1) {
                throw new IllegalArgumentException("AvgPool2d(" + window + ", " + stride + "): expected window and stride >= 1");
            }
        }
    }
}
