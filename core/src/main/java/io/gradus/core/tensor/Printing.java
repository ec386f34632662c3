package io.gradus.core.tensor;

/**
 * NumPy-style text for tensors: {@code [[1. 2.]\n [3. 4.]]}; beyond 1000 elements each axis shows
 * its first and last three entries around "...", as NumPy's default print options do.
 */
final class Printing {
    private Printing() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    static String format(Tensor t) {
        if (t.rank() == 0) return number(t.data[t.offset]);
        StringBuilder sb = new StringBuilder();
        append(sb, t, 0, t.offset, t.size() > THRESHOLD);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Tensor t, int axis, int pos, boolean summarize) {
        int n = t.shape[axis];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(axis == t.rank() - 1 ? "... " : "...\n" + " ".repeat(axis + 1));
                i = n - EDGE;
            }
            int p = pos + i * t.strides[axis];
            if (axis == t.rank() - 1) {
                sb.append(number(t.data[p]));
                if (i < n - 1) sb.append(' ');
            } else {
                append(sb, t, axis + 1, p, summarize);
                if (i < n - 1) sb.append("\n".repeat(t.rank() - 1 - axis)).append(" ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }

    /** Shortest float text, with NumPy's "1." for whole numbers. */
    static String number(float v) {
        if (Float.isNaN(v)) return "nan";
        if (Float.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = Float.toString(v);
        if (s.endsWith(".0") && !s.contains("E")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
