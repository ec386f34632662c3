/**
 * The layers, losses and initializers the chapter's models need: Dense, Conv2D (direct at stride 1,
 * with fused ReLU and pooling), pooling, {@link io.gradus.core.nn.LeNet}, softmax cross-entropy and
 * L2 losses, Xavier and normal initialization.
 */
package io.gradus.core.nn;
