package io.gradus.core.tensor;

import io.gradus.kernels.ArrayKernels;
import java.util.Arrays;

/** Forward passes of elementwise operations; contiguous operands of equal shape go to SIMD kernels. */
final class Elementwise {
    private Elementwise() {}

    enum Op { ADD, SUB, MUL, DIV, GT, LT, EQ }

    enum Fn { EXP, LOG, TANH, SIGMOID, RELU, SQRT, SQUARE, ABS, SIGN }

    static float apply(Op op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case GT -> a > b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
        };
    }

    static Tensor binary(String name, Tensor a, Tensor b, Op op) {
        int[] shape = Shape.broadcast(name, a.shape, b.shape);
        Tensor out = Tensor.zeros(shape);
        ArrayKernels k = ArrayKernels.get();
        if (Arrays.equals(a.shape, b.shape) && a.isContiguous() && b.isContiguous() && op.ordinal() <= Op.DIV.ordinal()) {
            binaryRow(k, op, a.data, a.offset, b.data, b.offset, out.data, 0, out.data.length);
            return out;
        }
        if (op.ordinal() <= Op.DIV.ordinal() && a.isContiguous() && b.isContiguous()) {
            // One operand a row repeated over the other's leading axes (a dense layer's bias):
            // row by row through the kernels rather than element by element through Strided.
            if (Arrays.equals(a.shape, shape) && isTrailingRow(b.shape, shape)) {
                int m = b.size(), rows = out.data.length / m;
                for (int r = 0; r < rows; r++) binaryRow(k, op, a.data, a.offset + r * m, b.data, b.offset, out.data, r * m, m);
                return out;
            }
            if (Arrays.equals(b.shape, shape) && isTrailingRow(a.shape, shape)) {
                int m = a.size(), rows = out.data.length / m;
                for (int r = 0; r < rows; r++) binaryRow(k, op, a.data, a.offset, b.data, b.offset + r * m, out.data, r * m, m);
                return out;
            }
        }
        int[] sa = Shape.broadcastStrides(a.shape, a.strides, shape);
        int[] sb = Shape.broadcastStrides(b.shape, b.strides, shape);
        float[] o = out.data, x = a.data, y = b.data;
        Strided.forEach(shape, (po, pa, pb) -> o[po] = apply(op, x[pa], y[pb]), 0, out.strides, a.offset, sa, b.offset, sb);
        return out;
    }

    /**
     * Whether {@code row}, leading 1s set aside, is the trailing axes of {@code shape} (so an
     * operand of that shape, contiguous, repeats as whole rows of {@code row}'s size), and is not
     * {@code shape} itself.
     */
    private static boolean isTrailingRow(int[] row, int[] shape) {
        int first = 0;
        while (first < row.length && row[first] == 1) first++;
        int length = row.length - first;
        if (length == 0 || length >= shape.length) return false;
        return Arrays.equals(row, first, row.length, shape, shape.length - length, shape.length);
    }

    /** {@code out[oo + i] = x[xo + i] op y[yo + i]} for {@code i < n} through the kernels, op one of ADD, SUB, MUL, DIV. */
    private static void binaryRow(ArrayKernels k, Op op, float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> k.add(x, xo, y, yo, out, oo, n);
            case SUB -> k.sub(x, xo, y, yo, out, oo, n);
            case MUL -> k.mul(x, xo, y, yo, out, oo, n);
            default -> k.div(x, xo, y, yo, out, oo, n);
        }
    }

    static Tensor scalar(Tensor a, Op op, float s) {
        Tensor x = a.packed();
        Tensor out = Tensor.zeros(a.shape);
        int n = out.data.length;
        ArrayKernels k = ArrayKernels.get();
        switch (op) {
            case ADD -> k.add(x.data, x.offset, s, out.data, 0, n);
            case SUB -> k.sub(x.data, x.offset, s, out.data, 0, n);
            case MUL -> k.mul(x.data, x.offset, s, out.data, 0, n);
            case DIV -> k.div(x.data, x.offset, s, out.data, 0, n);
            default -> {
                for (int i = 0; i < n; i++) out.data[i] = apply(op, x.data[x.offset + i], s);
            }
        }
        return out;
    }

    static Tensor map(Tensor a, Fn fn) {
        Tensor x = a.packed();
        Tensor out = Tensor.zeros(a.shape);
        float[] in = x.data, o = out.data;
        int off = x.offset, n = o.length;
        switch (fn) {
            case EXP -> ArrayKernels.get().exp(in, off, o, 0, n);
            case RELU -> ArrayKernels.get().relu(in, off, o, 0, n);
            case SQUARE -> ArrayKernels.get().mul(in, off, in, off, o, 0, n);
            case LOG -> { for (int i = 0; i < n; i++) o[i] = (float) Math.log(in[off + i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[i] = (float) Math.tanh(in[off + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) o[i] = (float) (1.0 / (1.0 + Math.exp(-in[off + i]))); }
            case SQRT -> { for (int i = 0; i < n; i++) o[i] = (float) Math.sqrt(in[off + i]); }
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(in[off + i]); }
            case SIGN -> { for (int i = 0; i < n; i++) o[i] = Math.signum(in[off + i]); }
        }
        return out;
    }
}
