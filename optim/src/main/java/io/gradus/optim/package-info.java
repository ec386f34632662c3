/**
 * Training: {@link io.gradus.optim.Params} (a model's parameters in one flat buffer), the
 * {@link io.gradus.optim.Optimizer} interface and the book's algorithms with their defaults
 * ({@link io.gradus.optim.Optimizers}, {@link io.gradus.optim.OptimizerCatalog}), the
 * {@link io.gradus.optim.Trainer} (its arrays on the CPU or on an OpenCL device), its settings
 * ({@link io.gradus.optim.ParamGroup}, {@link io.gradus.optim.WeightDecay},
 * {@link io.gradus.optim.NonFinite}), its state ({@link io.gradus.optim.TrainerState}) and
 * {@link io.gradus.optim.Checkpoint}s.
 */
package io.gradus.optim;
