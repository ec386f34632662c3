package io.gradus.core.tensor;

import java.util.Arrays;

/** Reductions along one axis, and the scatters their gradients need. */
final class Reductions {
    private Reductions() {}

    /** The shape of a reduction along {@code axis}. */
    static int[] reducedShape(int[] shape, int axis, boolean keepDims) {
        if (keepDims) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != axis) s[j++] = shape[i];
        return s;
    }

    /** Splits {@code shape} around {@code axis} into outer x len x inner, for a contiguous tensor. */
    private static int outer(int[] shape, int axis) {
        int o = 1;
        for (int i = 0; i < axis; i++) o *= shape[i];
        return o;
    }

    private static int inner(int[] shape, int axis) {
        int n = 1;
        for (int i = axis + 1; i < shape.length; i++) n *= shape[i];
        return n;
    }

    static Tensor sum(Tensor t, int axis, boolean keepDims) {
        Tensor x = t.packed();
        int outer = outer(x.shape, axis), len = x.shape[axis], inner = inner(x.shape, axis);
        Tensor out = Tensor.zeros(reducedShape(x.shape, axis, keepDims));
        for (int o = 0; o < outer; o++) {
            for (int l = 0; l < len; l++) {
                int src = x.offset + (o * len + l) * inner;
                for (int i = 0; i < inner; i++) out.data[o * inner + i] += x.data[src + i];
            }
        }
        return out;
    }

    static Tensor argmax(Tensor t, int axis, boolean keepDims) {
        Tensor x = t.packed();
        int outer = outer(x.shape, axis), len = x.shape[axis], inner = inner(x.shape, axis);
        if (len == 0) throw new IllegalArgumentException("argmax: axis " + axis + " of shape " + Arrays.toString(t.shape) + " is empty");
        Tensor out = Tensor.zeros(reducedShape(x.shape, axis, keepDims));
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bestValue = x.data[x.offset + o * len * inner + i];
                for (int l = 1; l < len && !Float.isNaN(bestValue); l++) {
                    float v = x.data[x.offset + (o * len + l) * inner + i];
                    if (v > bestValue || Float.isNaN(v)) {
                        best = l;
                        bestValue = v;
                    }
                }
                out.data[o * inner + i] = best;
            }
        }
        return out;
    }

    /** The elements of {@code t} at the indices {@code idx} (keepDims shape) along {@code axis}. */
    static Tensor gather(Tensor t, Tensor idx, int axis, boolean keepDims) {
        Tensor x = t.packed();
        int outer = outer(x.shape, axis), len = x.shape[axis], inner = inner(x.shape, axis);
        Tensor out = Tensor.zeros(reducedShape(x.shape, axis, keepDims));
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int l = (int) idx.data[o * inner + i];
                out.data[o * inner + i] = x.data[x.offset + (o * len + l) * inner + i];
            }
        }
        return out;
    }

    /** Zeros of {@code shape} with {@code g} written at the indices {@code idx} along {@code axis}. */
    static Tensor scatter(Tensor g, Tensor idx, int[] shape, int axis) {
        Tensor gc = g.packed();
        int outer = outer(shape, axis), len = shape[axis], inner = inner(shape, axis);
        Tensor out = Tensor.zeros(shape);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int l = (int) idx.data[o * inner + i];
                out.data[(o * len + l) * inner + i] = gc.data[gc.offset + o * inner + i];
            }
        }
        return out;
    }

    /** {@code g} (reduced along {@code axis}, kept or not) repeated along that axis to {@code shape}. */
    static Tensor expandAlong(Tensor g, int[] shape, int axis) {
        Tensor kept = g.rank() == shape.length ? g : g.reshape(reducedShape(shape, axis, true));
        return Elementwise.binary("expand", Tensor.zeros(shape), kept, Elementwise.Op.ADD);
    }
}
