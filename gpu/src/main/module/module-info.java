/**
 * The OpenCL device back end, bound through {@code java.lang.foreign}: device probe, resident
 * device arrays, kernels, SGEMM and the Dense-network kernels; the host runs the same API without
 * OpenCL. Calling into {@code libOpenCL} is a restricted operation: run with
 * {@code --enable-native-access=io.gradus.gpu} on the module path
 * ({@code =ALL-UNNAMED} on the class path).
 */
module io.gradus.gpu {
    requires transitive io.gradus.core;
    // Aparapi's translator (JavaKernel): an automatic module, named from its jar
    requires transitive aparapi;
    requires java.logging; // to filter the translator's warnings

    exports io.gradus.gpu;
    // the host device's Java storage, for the optimizer's CPU kernels when there is no OpenCL
    exports io.gradus.gpu.internal to io.gradus.optim;
}
