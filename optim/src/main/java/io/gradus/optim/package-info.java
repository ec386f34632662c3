/**
 * Training: {@link io.gradus.optim.Params} (a model's parameters in one flat buffer), the
 * {@link io.gradus.optim.Optimizer} interface and the book's algorithms with their defaults
 * ({@link io.gradus.optim.Optimizers}, {@link io.gradus.optim.OptimizerCatalog}), the
 * {@link io.gradus.optim.Trainer} on the CPU and the {@link io.gradus.optim.DeviceTrainer} on an
 * OpenCL device, {@link io.gradus.optim.ParamGroup}s and {@link io.gradus.optim.Checkpoint}s.
 */
package io.gradus.optim;
