/**
 * The chapter's datasets and their loader: {@link io.gradus.core.data.Airfoil} (section 11.5.3),
 * {@link io.gradus.core.data.FashionMnist} (11.11), found or downloaded by
 * {@link io.gradus.core.data.DataHub}, and {@link io.gradus.core.data.DataLoader} (minibatches by
 * a fresh seeded permutation per epoch, section 11.4.4).
 */
package io.gradus.core.data;
