package io.gradus.core.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, row-major strides and NumPy broadcasting. */
final class Shape {
    private Shape() {}

    /** The largest element count one tensor can hold (a Java array's limit). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    /**
     * Elements of {@code shape}.
     *
     * @throws IllegalArgumentException naming the shape when the count exceeds what one float[] holds
     */
    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " has more than " + MAX_ELEMENTS
                        + " elements: a tensor is one float[], expected at most that many");
            }
        }
        return (int) n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    static void checkDims(String what, int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " has a negative dimension");
        }
    }

    /**
     * The broadcast shape of {@code a} and {@code b} (NumPy rules: align trailing dimensions; each
     * pair must be equal or one of them 1).
     */
    static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast: dimension " + i + " is " + da + " vs " + db);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read {@code shape/strides} as if broadcast to {@code target} (0 on repeated axes). */
    static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int shift = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            out[i + shift] = shape[i] == 1 && target[i + shift] != 1 ? 0 : strides[i];
        }
        return out;
    }
}
