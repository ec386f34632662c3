/**
 * Dense float32 tensors with NumPy broadcasting and views ({@link io.gradus.core.tensor.Tensor}),
 * and reverse-mode differentiation on a per-thread tape ({@link io.gradus.core.tensor.Autograd}),
 * as the book uses MXNet's {@code attach_grad}, {@code record} and {@code backward}.
 */
package io.gradus.core.tensor;
