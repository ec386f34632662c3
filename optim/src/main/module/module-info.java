/**
 * The optimization algorithms of chapter 11: one unit per algorithm (hyperparameters, reference,
 * the per-coordinate body written once in Java and translated for the device, the Vector API
 * kernel), the catalog, the CPU and device Trainers, parameter
 * groups, checkpoints, learning-rate schedules, and the classic methods of section 11.3.
 */
module io.gradus.optim {
    requires transitive io.gradus.gpu;
    requires jdk.incubator.vector;

    exports io.gradus.optim;
    exports io.gradus.optim.algorithms;
    // the update kernels' float fields are read by JavaKernel when they are launched on a device
    opens io.gradus.optim.algorithms to io.gradus.gpu;
    exports io.gradus.optim.schedule;
    exports io.gradus.optim.classic;
}
