/**
 * Gradus's floor: array kernels on {@code float[]} slices (a Vector API implementation and a
 * scalar one, chosen once per JVM), the BLIS-style SGEMM with its per-machine kernel table, the
 * direct convolution kernels, and the thread pool they run on.
 *
 * <p>On the module path the incubating Vector API is required, so an application needs no
 * {@code --add-modules} flag. The Vector API implementations live in a package that is not
 * exported: {@code SimdSupport} loads them.
 */
module io.gradus.kernels {
    requires jdk.incubator.vector;
    requires java.management;
    requires static jdk.management;

    exports io.gradus.kernels;
    exports io.gradus.kernels.gemm;
    // argument checks, the machine's description and the kernels' choice: for Gradus's own modules
    exports io.gradus.kernels.internal to io.gradus.core, io.gradus.gpu, io.gradus.optim;
}
