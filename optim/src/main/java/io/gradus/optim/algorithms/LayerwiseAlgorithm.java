package io.gradus.optim.algorithms;

import io.gradus.optim.Step;

/**
 * An update rule that scales each parameter tensor (a layer's weight, a bias: one slot of
 * {@link io.gradus.optim.Params}) by a factor of two norms over the whole tensor, as LAMB's trust
 * ratio {@code ||x|| / ||r||}. One coordinate cannot know them, so the update takes two passes
 * over a tensor: the first updates the state and sums {@code x^2} and {@code r^2} (the direction),
 * the second moves the parameters by the direction times the factor. A tensor may be cut into
 * parts, each pass running on the parts in parallel; the Trainer adds the parts' sums in order.
 *
 * <p>{@link #update} (and {@link #updateScalar}, {@link #updateVector}, {@link #updateDevice})
 * treats the slice it is given as one tensor. The sums use {@link #NORM_LANES} fixed float lanes
 * (element {@code off + i} in lane {@code i % 16}), added by a fixed tree, in the scalar and the
 * vector passes alike: the factor, and so the update, is the same to the bit at every vector width.
 */
public interface LayerwiseAlgorithm extends Algorithm {

    /** The lanes of the norm sums' layout, whatever the vector width. */
    int NORM_LANES = 16;

    /**
     * Pass one over {@code [off, off + len)}, part of one tensor: updates the state and returns
     * {@code {sum x^2, sum r^2}} over the part ({@code x} before the update).
     */
    double[] firstPass(Step step, float[] p, float[] g, float[][] state, int off, int len);

    /** The tensor's factor from its sums. */
    double factor(double sumSquaresX, double sumSquaresR);

    /** Pass two over {@code [off, off + len)}: {@code x <- x - eta factor r}, {@code r} from the state pass one left. */
    void secondPass(Step step, float[] p, float[][] state, int off, int len, double factor);

    /** The 16 lanes' sum by a fixed halving tree, in float; then widened. */
    static double sumLanes(float[] lanes) {
        for (int width = NORM_LANES / 2; width > 0; width /= 2) {
            for (int i = 0; i < width; i++) lanes[i] += lanes[i + width];
        }
        return lanes[0];
    }
}
