package io.gradus.kernels.internal;

/**
 * Argument checks shared by every kernel. Each failure is an {@link IllegalArgumentException} whose
 * message names the argument, its value and what was expected, so a caller can see at once which
 * of many offsets or lengths was wrong.
 */
public final class Checks {
    private Checks() {}

    /** Requires {@code value >= 0}. */
    public static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " = " + value + ": expected >= 0");
        }
    }

    /** Requires {@code value >= 1}. */
    public static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " = " + value + ": expected >= 1");
        }
    }

    /**
     * Requires that {@code array[offset .. offset + length)} lies inside the array.
     *
     * @param name the argument's name as the caller's signature spells it
     */
    public static void slice(String name, float[] array, int offset, int length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " = null: expected an array");
        }
        nonNegative(name + " offset", offset);
        nonNegative("length", length);
        if ((long) offset + length > array.length) {
            throw new IllegalArgumentException(name + ": offset " + offset + " + length " + length
                    + " = " + ((long) offset + length) + " exceeds its array length " + array.length);
        }
    }

    /**
     * Requires that the {@code length} elements {@code array[offset + i * stride]} lie inside the array.
     */
    public static void strided(String name, float[] array, int offset, int length, int stride) {
        if (array == null) {
            throw new IllegalArgumentException(name + " = null: expected an array");
        }
        nonNegative(name + " offset", offset);
        nonNegative("length", length);
        positive(name + " stride", stride);
        if (length == 0) {
            return;
        }
        long last = offset + (long) (length - 1) * stride;
        if (last >= array.length) {
            throw new IllegalArgumentException(name + ": offset " + offset + " + (length " + length
                    + " - 1) * stride " + stride + " = " + last + " is past its array length "
                    + array.length);
        }
    }

    /**
     * Requires that a row-major matrix of {@code rows x cols} with leading dimension {@code ld}
     * starting at {@code offset} lies inside the array, and that {@code ld >= max(1, cols)}.
     */
    public static void matrix(String name, float[] array, int offset, int rows, int cols, int ld) {
        if (array == null) {
            throw new IllegalArgumentException(name + " = null: expected an array");
        }
        nonNegative(name + " offset", offset);
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("ld" + name.toLowerCase() + " = " + ld
                    + ": expected >= max(1, " + cols + "), the row length of " + name + " (" + rows
                    + " x " + cols + ")");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = offset + (long) (rows - 1) * ld + cols;
        if (end > array.length) {
            throw new IllegalArgumentException(name + ": a " + rows + " x " + cols + " matrix at offset "
                    + offset + " with leading dimension " + ld + " needs " + end
                    + " elements, but its array length is " + array.length);
        }
    }
}
