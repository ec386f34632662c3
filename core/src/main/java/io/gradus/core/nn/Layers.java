package io.gradus.core.nn;

import io.gradus.core.tensor.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;

/** The layers chapter 11's models need. */
public final class Layers {
    private Layers() {}

    /**
     * The ReLU activation for a layer's constructor. It is {@code Tensor::relu}, and layers that can
     * fuse it into their own pass (Conv2D at stride 1) recognise this very instance and do so.
     */
    public static final UnaryOperator<Tensor> RELU = Tensor::relu;

    /**
     * Applies its children in order; their parameters are named {@code "0.weight"}, {@code "1.bias"}, ...
     * A stride-1 {@link Conv2D} with {@link #RELU} followed by a {@code MaxPool2D(2, 2)} runs as one
     * fused operation ({@link Functional#conv2dReluPool2}): the same values and gradients, without
     * the full-size activation ever being written (LeNet's layers 0-1 and 2-3).
     */
    public static final class Sequential extends Module {
        private final List<Module> layers;

        public Sequential(Module... layers) {
            this.layers = List.of(layers);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = x;
            for (int i = 0; i < layers.size(); i++) {
                Module m = layers.get(i);
                if (m instanceof Conv2D conv && i + 1 < layers.size() && layers.get(i + 1) instanceof MaxPool2D pool
                        && conv.fusesWith(pool)) {
                    h = conv.forwardPooled(h);
                    i++;
                    continue;
                }
                h = m.forward(h);
            }
            return h;
        }

        @Override
        protected List<Module> children() {
            return layers;
        }
    }

    /**
     * Fully connected: {@code y = x W^T + b}, W of shape {@code [out, in]} as MXNet stores it; an
     * input of more than 2 axes is flattened to {@code [N, in]} first (Gluon's default).
     */
    public static final class Dense extends Module {
        private final Parameter weight, bias;
        private final UnaryOperator<Tensor> activation;

        public Dense(int in, int out) {
            this(in, out, null);
        }

        /** @param activation applied to the output, e.g. {@code Tensor::relu}; null for none */
        public Dense(int in, int out, UnaryOperator<Tensor> activation) {
            if (in < 1 || out < 1) throw new IllegalArgumentException("Dense(" + in + ", " + out + "): sizes must be >= 1");
            this.weight = new Parameter("weight", Tensor.zeros(out, in));
            this.bias = new Parameter("bias", Tensor.zeros(out));
            this.activation = activation;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor x2 = x.rank() == 2 ? x : x.reshape(x.dim(0), -1);
            Tensor y = x2.matmul(weight.value().transpose()).add(bias.value());
            return activation == null ? y : activation.apply(y);
        }

        @Override
        protected List<Parameter> ownParameters() {
            return List.of(weight, bias);
        }
    }

    /** 2-D convolution layer over {@code [N, C, H, W]} (see {@link Functional#conv2d}). */
    public static final class Conv2D extends Module {
        private final Parameter weight, bias;
        private final int stride, padding;
        private final UnaryOperator<Tensor> activation;
        private final ColumnBuffer columns = new ColumnBuffer();

        public Conv2D(int in, int out, int kernel, int stride, int padding, UnaryOperator<Tensor> activation) {
            if (in < 1 || out < 1 || kernel < 1) {
                throw new IllegalArgumentException("Conv2D(" + in + ", " + out + ", kernel " + kernel + "): sizes must be >= 1");
            }
            this.weight = new Parameter("weight", Tensor.zeros(out, in, kernel, kernel));
            this.bias = new Parameter("bias", Tensor.zeros(out));
            this.stride = stride;
            this.padding = padding;
            this.activation = activation;
        }

        /** Whether this layer and {@code pool} can run as {@link Functional#conv2dReluPool2}. */
        boolean fusesWith(MaxPool2D pool) {
            return activation == RELU && stride == 1 && pool.window == 2 && pool.stride == 2;
        }

        /** This layer followed by a 2 x 2, stride-2 max pooling, in one pass. */
        Tensor forwardPooled(Tensor x) {
            return Functional.conv2dReluPool2(x, weight.value(), bias.value(), padding);
        }

        @Override
        public Tensor forward(Tensor x) {
            if (activation == RELU) { // fused: one pass over the output instead of two
                return Functional.conv2d(x, weight.value(), bias.value(), stride, padding, columns, true);
            }
            Tensor y = Functional.conv2d(x, weight.value(), bias.value(), stride, padding, columns);
            return activation == null ? y : activation.apply(y);
        }

        @Override
        protected List<Parameter> ownParameters() {
            return List.of(weight, bias);
        }
    }

    /** Max pooling over square windows (see {@link Functional#maxPool2d}). */
    public static final class MaxPool2D extends Module {
        private final int window, stride;

        public MaxPool2D(int window, int stride) {
            this.window = window;
            this.stride = stride;
        }

        @Override
        public Tensor forward(Tensor x) {
            return Functional.maxPool2d(x, window, stride);
        }
    }

    /** Average pooling over square windows (see {@link Functional#avgPool2d}): the classic LeNet's subsampling. */
    public static final class AvgPool2D extends Module {
        private final int window, stride;

        public AvgPool2D(int window, int stride) {
            this.window = window;
            this.stride = stride;
        }

        @Override
        public Tensor forward(Tensor x) {
            return Functional.avgPool2d(x, window, stride);
        }
    }

    /** {@code max(x, 0)}. */
    public static final class ReLU extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.relu();
        }
    }

    /** {@code [N, ...]} to {@code [N, prod(...)]}. */
    public static final class Flatten extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.reshape(x.dim(0), -1);
        }
    }
}
