package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.kernels.ArrayKernels;
import io.gradus.optim.Step;

/**
 * An update rule that scales each parameter tensor (a layer's weight, a bias: one slot of
 * {@link io.gradus.optim.Params}) by a factor of two norms over the whole tensor, as LAMB's trust
 * ratio {@code ||x|| / ||r||}. One coordinate cannot know them, so the update takes two passes
 * over a tensor: the first updates the state and sums {@code x^2} and {@code r^2} (the direction),
 * the second moves the parameters by the direction times the factor. A tensor may be cut into
 * parts, each pass running on the parts in parallel; the Trainer adds the parts' sums in order.
 *
 * <p>{@link #update} and {@link #updateDevice} treat the slice they are given as one tensor; the
 * Trainer runs the passes itself, per tensor ({@code StepPlan}), one device read-back per step. The sums use {@link #NORM_LANES} fixed float lanes
 * (element {@code off + i} in lane {@code i % 16}), added by a fixed tree, in the scalar and the
 * vector passes alike: the factor, and so the update, is the same to the bit at every vector width.
 */
public sealed interface LayerwiseAlgorithm extends Algorithm permits Lamb {

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

    /**
     * The partial-sum pairs pass one writes on a device for a tensor of {@code len} elements: one
     * per chunk of {@link ArrayKernels#REDUCTION_CHUNK} (a work-group each), the CPU's chunks too.
     */
    static int deviceParts(int len) {
        return (len + ArrayKernels.REDUCTION_CHUNK - 1) / ArrayKernels.REDUCTION_CHUNK;
    }

    /**
     * Pass one on device arrays over one tensor {@code [off, off + len)}: updates the state and writes
     * {@code sum x^2, sum r^2} of each of its {@link #deviceParts} chunks, as float pairs, to
     * {@code partials} from float index {@code partialsOffset}. Returns at once (the queue runs it).
     */
    void firstPassDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len, DeviceArray partials,
                         int partialsOffset);

    /** Pass two on device arrays over one tensor, with the factor of its sums. */
    void secondPassDevice(Step step, DeviceArray p, DeviceArray[] state, int off, int len, double factor);

    @Override
    default int bytesPerParameter() {
        // pass one reads p and g and reads and writes each state; pass two reads p and each state and writes p
        return 4 * (2 + 2 * stateArrays()) + 4 * (2 + stateArrays());
    }

    /** The 16 lanes' sum by a fixed halving tree, in float; then widened. */
    static double sumLanes(float[] lanes) {
        for (int width = NORM_LANES / 2; width > 0; width /= 2) {
            for (int i = 0; i < width; i++) lanes[i] += lanes[i + width];
        }
        return lanes[0];
    }
}
