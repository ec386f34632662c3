package io.gradus.gpu;

/**
 * The row-wise kernels of a network's loss and bookkeeping on a device, as OpenCL C (on the host
 * device, each has a Java loop with the same operations): softmax cross-entropy forward and
 * backward (stable: the row maximum subtracted), Gluon's L2 loss, column sums (bias gradients, and
 * the sum over a batch of per-example partial gradients), argmax accuracy and the gather of a
 * minibatch. Labels are class indices stored as floats, from an offset. All matrices are row-major
 * {@code [rows, cols]} at offset 0. Written in OpenCL C rather than as translated Java bodies
 * ({@link LayerKernels}) because each work-item walks a whole row or column; the per-element
 * layer kernels are Java.
 */
public final class DeviceNn {
    private DeviceNn() {}

    static final String SOURCE = """
            #pragma OPENCL FP_CONTRACT OFF
            /* One work-item per row: loss[r] = logsumexp(z[r]) - z[r, label]; dz = softmax(z[r]) - onehot. */
            __kernel void softmax_ce(__global const float* z, __global const float* labels, const int labelOff, const int rows,
                                     const int cols, __global float* loss, __global float* dz) {
                int r = get_global_id(0);
                if (r >= rows) return;
                __global const float* row = z + r * cols;
                float m = row[0];
                for (int c = 1; c < cols; c++) m = fmax(m, row[c]);
                float s = 0.0f;
                for (int c = 0; c < cols; c++) s += exp(row[c] - m);
                int label = (int) labels[labelOff + r];
                loss[r] = log(s) + m - row[label];
                for (int c = 0; c < cols; c++) dz[r * cols + c] = exp(row[c] - m) / s - (c == label ? 1.0f : 0.0f);
            }
            /* Gluon's L2Loss: loss[r] = (z[r] - y[r])^2 / 2, dz[r] = z[r] - y[r] (one output per row) */
            __kernel void l2(__global const float* z, __global const float* labels, const int labelOff, const int rows,
                             __global float* loss, __global float* dz) {
                int r = get_global_id(0);
                if (r >= rows) return;
                float d = z[r] - labels[labelOff + r];
                loss[r] = 0.5f * d * d;
                dz[r] = d;
            }
            /* out[outOff + c] (+)= sum_r x[r, c]: one work-item per column */
            __kernel void column_sums(__global const float* x, const int rows, const int cols, __global float* out,
                                      const int outOff, const int accumulate) {
                int c = get_global_id(0);
                if (c >= cols) return;
                float s = 0.0f;
                for (int r = 0; r < rows; r++) s += x[r * cols + c];
                out[outOff + c] = accumulate ? out[outOff + c] + s : s;
            }
            /* dst[r, :] = src[index[indexOff + r], :] for r < rows (a minibatch gathered on the device) */
            __kernel void gather_rows(__global const float* src, __global const float* index, const int indexOff,
                                      const int rows, const int cols, __global float* dst) {
                int i = get_global_id(0);
                if (i >= rows * cols) return;
                int r = i / cols, c = i % cols;
                dst[i] = src[(int) index[indexOff + r] * cols + c];
            }
            /* correct[r] = 1 when the row's first maximum is at its label */
            __kernel void argmax_correct(__global const float* z, __global const float* labels, const int labelOff,
                                         const int rows, const int cols, __global float* correct) {
                int r = get_global_id(0);
                if (r >= rows) return;
                int best = 0;
                for (int c = 1; c < cols; c++) if (z[r * cols + c] > z[r * cols + best]) best = c;
                correct[r] = best == (int) labels[labelOff + r] ? 1.0f : 0.0f;
            }
            """;

    private static final int GROUP = 256;

    /**
     * Softmax cross-entropy of {@code rows} logits rows against integer labels (stored as floats):
     * {@code loss[r] = log sum_c exp(z[r, c]) - z[r, label_r]} and its gradient
     * {@code dz[r, c] = softmax(z[r])_c - [c == label_r]} (of the summed loss), both with the row
     * maximum subtracted first.
     */
    public static void softmaxCrossEntropy(DeviceArray z, DeviceArray labels, int labelOff, int rows, int cols, DeviceArray loss,
                                           DeviceArray dz) {
        check(z, rows * cols, "z");
        check(labels, labelOff + rows, "labels");
        check(loss, rows, "loss");
        check(dz, rows * cols, "dz");
        DeviceContext ctx = z.context();
        if (!ctx.isOpenCL()) {
            float[] zh = z.host(), lh = labels.host(), out = loss.host(), d = dz.host();
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                float m = zh[base];
                for (int c = 1; c < cols; c++) m = Math.max(m, zh[base + c]);
                float s = 0f;
                for (int c = 0; c < cols; c++) s += (float) Math.exp(zh[base + c] - m);
                int label = (int) lh[labelOff + r];
                out[r] = (float) Math.log(s) + m - zh[base + label];
                for (int c = 0; c < cols; c++) d[base + c] = (float) Math.exp(zh[base + c] - m) / s - (c == label ? 1f : 0f);
            }
            return;
        }
        ctx.kernel(SOURCE, "softmax_ce").launchInGroups(rows, 64, z, labels, labelOff, rows, cols, loss, dz);
    }

    /**
     * Gluon's L2 loss of one output per row: {@code loss[r] = (z[r] - y[r])^2 / 2} and its gradient
     * {@code dz[r] = z[r] - y[r]} (of the summed loss).
     */
    public static void l2(DeviceArray z, DeviceArray labels, int labelOff, int rows, DeviceArray loss, DeviceArray dz) {
        check(z, rows, "z");
        check(labels, labelOff + rows, "labels");
        check(loss, rows, "loss");
        check(dz, rows, "dz");
        DeviceContext ctx = z.context();
        if (!ctx.isOpenCL()) {
            float[] zh = z.host(), lh = labels.host(), out = loss.host(), d = dz.host();
            for (int r = 0; r < rows; r++) {
                float diff = zh[r] - lh[labelOff + r];
                out[r] = 0.5f * diff * diff;
                d[r] = diff;
            }
            return;
        }
        ctx.kernel(SOURCE, "l2").launchInGroups(rows, 64, z, labels, labelOff, rows, loss, dz);
    }

    /** {@code out[outOff + c] = sum_r x[r, c]} (or {@code +=} when {@code accumulate}): a bias gradient. */
    public static void columnSums(DeviceArray x, int rows, int cols, DeviceArray out, int outOff, boolean accumulate) {
        check(x, rows * cols, "x");
        check(out, outOff + cols, "out");
        DeviceContext ctx = x.context();
        if (!ctx.isOpenCL()) {
            float[] xh = x.host(), o = out.host();
            for (int c = 0; c < cols; c++) {
                float s = 0f;
                for (int r = 0; r < rows; r++) s += xh[r * cols + c];
                o[outOff + c] = accumulate ? o[outOff + c] + s : s;
            }
            return;
        }
        ctx.kernel(SOURCE, "column_sums").launchInGroups(cols, 64, x, rows, cols, out, outOff, accumulate ? 1 : 0);
    }

    /** {@code correct[r] = 1} where row r's first maximum is at its label, else 0. */
    public static void argmaxCorrect(DeviceArray z, DeviceArray labels, int labelOff, int rows, int cols, DeviceArray correct) {
        check(z, rows * cols, "z");
        check(labels, labelOff + rows, "labels");
        check(correct, rows, "correct");
        DeviceContext ctx = z.context();
        if (!ctx.isOpenCL()) {
            float[] zh = z.host(), lh = labels.host(), out = correct.host();
            for (int r = 0; r < rows; r++) {
                int best = 0;
                for (int c = 1; c < cols; c++) if (zh[r * cols + c] > zh[r * cols + best]) best = c;
                out[r] = best == (int) lh[labelOff + r] ? 1f : 0f;
            }
            return;
        }
        ctx.kernel(SOURCE, "argmax_correct").launchInGroups(rows, 64, z, labels, labelOff, rows, cols, correct);
    }

    /**
     * {@code dst[r, :] = src[index[indexOff + r], :]} for {@code r < rows}, rows of {@code cols}
     * floats: a minibatch gathered from a dataset resident on the device (indices stored as floats,
     * exact below 2^24).
     */
    public static void gatherRows(DeviceArray src, DeviceArray index, int indexOff, int rows, int cols, DeviceArray dst) {
        check(index, indexOff + rows, "index");
        check(dst, (long) rows * cols, "dst");
        DeviceContext ctx = src.context();
        if (!ctx.isOpenCL()) {
            float[] s = src.host(), ix = index.host(), d = dst.host();
            for (int r = 0; r < rows; r++) System.arraycopy(s, (int) ix[indexOff + r] * cols, d, r * cols, cols);
            return;
        }
        ctx.kernel(SOURCE, "gather_rows").launchInGroups(rows * cols, GROUP, src, index, indexOff, rows, cols, dst);
    }

    private static void check(DeviceArray a, long needed, String name) {
        if (a == null) throw new IllegalArgumentException(name + " = null: expected a device array");
        if (needed > a.length()) {
            throw new IllegalArgumentException(name + ": needs " + needed + " floats, the device array has " + a.length());
        }
    }
}
