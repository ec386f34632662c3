package io.gradus.core.nn;

/**
 * The im2col matrix of one convolution layer, kept between training steps: for LeNet's first layer
 * it is 20 MB, and allocating (zeroing) it anew each step cost as much as filling it.
 *
 * <p>The buffer is lent to one forward pass at a time. The backward pass gives it back once it has
 * used it; a pass that never runs backward (evaluation outside {@code Autograd.record()} gives it
 * back at once) keeps it, and the next forward simply allocates a fresh array. So two graphs never
 * share one buffer.
 */
final class ColumnBuffer {
    private float[] free;

    /** An array of at least {@code size} floats that nobody else is using; contents undefined. */
    synchronized float[] borrow(int size) {
        float[] b = free;
        free = null;
        return b != null && b.length >= size ? b : new float[size];
    }

    /** Returns an array borrowed earlier. */
    synchronized void giveBack(float[] buffer) {
        if (free == null || free.length < buffer.length) free = buffer;
    }
}
