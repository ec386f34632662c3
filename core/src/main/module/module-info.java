/**
 * Tensors with autograd, the layers the chapter's models need (Dense, Conv2D, pooling, LeNet),
 * losses and initializers, and the datasets (airfoil, Fashion-MNIST) with their loader.
 */
module io.gradus.core {
    requires transitive io.gradus.kernels;
    requires java.net.http;

    exports io.gradus.core.tensor;
    exports io.gradus.core.nn;
    exports io.gradus.core.data;
}
