package io.gradus.core.nn;

import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.ConvKernels;
import io.gradus.kernels.Parallel;
import java.util.Arrays;

/**
 * Stride-1 convolution straight from the images, one image at a time, with {@link ConvKernels} on
 * "wide" planes (see there): no im2col matrix, so each image's planes stay in cache, where the
 * im2col form of LeNet's first layer writes and reads a 20 MB matrix three times per step.
 *
 * <ul>
 * <li>forward: each image is copied into a zero-padded plane of width {@code W + pad} (rows share
 *     their padding: {@link Planes}), and
 *     {@code y = W * x} is computed on the wide grid, then the valid columns are kept (plus bias,
 *     and optionally ReLU and 2 x 2 max pooling in the same pass);</li>
 * <li>weight gradient: {@code dW[o, c, p, q] = sum_{n, i, j} dy[n, o, i, j] x_pad[n, c, i + p, j + q]},
 *     over fixed chunks of images summed in order, so the result does not depend on the thread count;</li>
 * <li>input gradient: {@code W^T dy} on the wide grid (a 1 x 1 correlation), then each input
 *     position sums the {@code KH KW} products that reached it ({@link ConvKernels#sumShiftedTaps});
 *     see {@code inputGradient}.</li>
 * </ul>
 */
final class DirectConv2d {

    /** Images per weight-gradient task: fixed, so the order of the sums is too. */
    private static final int CHUNK = 8;

    private DirectConv2d() {}

    /**
     * Zero-padded planes for a correlation: {@code rows} rows of {@code rowWidth} floats per
     * channel, channels {@code channelStride} floats apart, and how many wide positions the kernel
     * computes.
     *
     * <p>Rows share their padding: a row holds its left padding and then its data, and no right
     * padding, because the taps that run past a row's end land on the next row's left padding,
     * which is zero just the same. An output {@code (i, j)} with {@code j < W + 2 padCols - KW + 1}
     * reads columns up to {@code W + 2 padCols - 1}; with {@code rowWidth = W + padCols} those past
     * the row are columns {@code 0 .. padCols - 1} of the next row (when the padding is wider than
     * the kernel, the rows are as wide as the outputs, and the overrun is shorter still). So the
     * wide grid has {@code padCols} fewer junk columns per row than with both paddings stored (two
     * instead of four for LeNet's first layer). Each output sums the same taps in the same order
     * either way.
     */
    private record Planes(int rowWidth, int rows, int positions, int channelStride) {
        static Planes of(int h, int w, int padRows, int padCols, int kh, int kw) {
            // A padding wider than the kernel makes outputs wider than W + padCols: rows widen to them.
            int rows = h + 2 * padRows, rowWidth = w + Math.max(padCols, 2 * padCols - kw + 1), outRows = rows - kh + 1;
            int block = ConvKernels.get().positionBlock();
            int positions = (outRows * rowWidth + block - 1) / block * block;
            // Room for every row plus the next row's left padding (the last valid output's taps
            // reach column padCols - 1 past the last row), and for the last tap of the last
            // (rounded-up) position.
            int channelStride = Math.max(rows * rowWidth + padCols, positions + (kh - 1) * rowWidth + kw);
            return new Planes(rowWidth, rows, positions, channelStride);
        }
    }

    /**
     * @param relu apply ReLU to the output in the same pass (and mask the gradient by {@code y > 0}
     *             in the backward pass), instead of a separate op that reads and writes every output again
     * @param pool follow with 2 x 2 max pooling at stride 2 in the same pass: the full-size output
     *             never exists, only its pooled values and which of the four won (for the backward pass)
     */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int pad, boolean relu, boolean pool) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        int oh = h + 2 * pad - kh + 1, ow = wd + 2 * pad - kw + 1, taps = c * kh * kw;
        int outH = pool ? oh / 2 : oh, outW = pool ? ow / 2 : ow, outPlane = outH * outW;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("conv2d + pool: output " + oh + "x" + ow + " is too small for a 2x2 window");
        }
        Planes in = Planes.of(h, wd, pad, pad, kh, kw);
        int rw = in.rowWidth(), positions = in.positions();
        float[] xs = x.storage(), ws = w.storage();
        int xOff = x.offset();
        float[] bias = b == null ? new float[o] : Arrays.copyOfRange(b.storage(), b.offset(), b.offset() + o);
        float[] packed = ConvKernels.packWeights(ws, w.offset(), o, taps);
        Tensor out = Tensor.zeros(n, o, outH, outW);
        float[] od = out.storage();
        // With pooling: which of the window's four won, 0..3 in row-major order (the first on ties, as maxPool2d).
        byte[] winner = pool ? new byte[n * o * outPlane] : null;
        ConvKernels k = ConvKernels.get();
        int tasks = (n + CHUNK - 1) / CHUNK, imageStride = c * in.channelStride();
        // The padded images are kept for the weight gradient, which reads them again.
        float[] xpad = new float[n * imageStride];
        Parallel.common().forEach(tasks, task -> {
            float[] wide = new float[o * positions];
            for (int img = task * CHUNK; img < Math.min(n, (task + 1) * CHUNK); img++) {
                pad(xs, xOff + img * c * h * wd, c, h, wd, pad, in, xpad, img * imageStride);
                k.correlate(xpad, img * imageStride, in.channelStride(), rw, c, kh, kw, packed, o, wide, 0, positions, positions);
                for (int ch = 0; ch < o; ch++) {
                    float bc = bias[ch];
                    int dst = (img * o + ch) * outPlane, plane = ch * positions;
                    if (pool) {
                        k.maxPool2x2(wide, plane, rw, bc, relu, od, winner, dst, outH, outW);
                    } else {
                        for (int i = 0; i < oh; i++) {
                            int src = plane + i * rw, row = dst + i * ow;
                            for (int j = 0; j < ow; j++) {
                                float v = wide[src + j] + bc;
                                od[row + j] = relu && v < 0 ? 0f : v;
                            }
                        }
                    }
                }
            }
        });
        boolean needX = x.requiresGrad(), needW = w.requiresGrad(), needB = b != null && b.requiresGrad();
        return Autograd.op(out, "conv2d", g -> {
            Tensor gc = g.isContiguous() ? g : g.detach().contiguous();
            float[] gd = gc.storage();
            int gOff = gc.offset();
            // dy of the convolution's own output on the wide grid, zero in junk columns, where the
            // ReLU was off, and (with pooling) everywhere but each window's winner. Adds dy's sum per
            // channel to dbSums.
            WideGradient wideGradient = (img, dst, dstOff, dbSums) -> {
                for (int ch = 0; ch < o; ch++) {
                    int src = (img * o + ch) * outPlane, plane = dstOff + ch * positions;
                    double sum = 0;
                    for (int i = 0; i < outH; i++) {
                        // Two running sums (even and odd columns) halve the chain of dependent adds;
                        // the order is fixed, so the result does not depend on the thread count.
                        double even = 0, odd = 0;
                        for (int j = 0; j < outW; j++) {
                            int at = src + i * outW + j;
                            float v = gd[gOff + at];
                            if (relu) v = Float.intBitsToFloat(Float.floatToRawIntBits(v) & passMask(od[at]));
                            // Every output writes its own cell (masked ones write the zero that was
                            // there): no branch on which outputs ReLU zeroed, which is data.
                            int pos = pool ? (2 * i + (winner[at] >> 1)) * rw + 2 * j + (winner[at] & 1) : i * rw + j;
                            dst[plane + pos] = v;
                            if ((j & 1) == 0) even += v; else odd += v;
                        }
                        sum += even + odd;
                    }
                    dbSums[ch] += sum;
                }
            };
            Tensor dw = needW ? Tensor.zeros(o, c, kh, kw) : null, db = needB ? Tensor.zeros(o) : null;
            Tensor dx = needX ? Tensor.zeros(n, c, h, wd) : null;
            float[][] dwChunks = new float[tasks][], dbChunks = new float[tasks][];
            Parallel.common().forEach(tasks, task -> {
                int first = task * CHUNK, count = Math.min(n, first + CHUNK) - first;
                float[] gyWide = new float[count * o * positions];
                double[] dbSums = new double[o];
                for (int m = 0; m < count; m++) wideGradient.fill(first + m, gyWide, m * o * positions, dbSums);
                if (needW) {
                    float[] dwc = new float[o * taps];
                    k.weightGradient(gyWide, 0, positions, o * positions, o, xpad, first * imageStride,
                            in.channelStride(), imageStride, rw, c, kh, kw, positions, count, dwc, 0);
                    dwChunks[task] = dwc;
                }
                float[] dbc = new float[o];
                for (int ch = 0; ch < o; ch++) dbc[ch] = (float) dbSums[ch];
                dbChunks[task] = dbc;
                if (needX) inputGradient(gyWide, positions, rw, first, count, ws, w.offset(), c, h, wd, o, kh, kw, pad, dx.storage());
            });
            ArrayKernels sum = ArrayKernels.get();
            if (needW) for (float[] chunk : dwChunks) sum.add(chunk, 0, dw.storage(), 0, dw.storage(), 0, chunk.length);
            if (needB) for (float[] chunk : dbChunks) sum.add(chunk, 0, db.storage(), 0, db.storage(), 0, chunk.length);
            return b == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
        }, b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b});
    }

    /**
     * All ones where ReLU let {@code y}'s gradient through ({@code !(y <= 0)}: positive values and
     * NaN of either sign, as the comparison the forward pass made), all zeros otherwise (zeros of
     * either sign and negative values), computed from the bits without a branch.
     */
    static int passMask(float y) {
        int bits = Float.floatToRawIntBits(y);
        // -bits & ~bits is negative exactly when bits > 0 (a positive float, +0 and -0 excluded);
        // 0x7f800000 - |bits| is negative exactly for NaN (exponent all ones, mantissa non-zero).
        return ((-bits & ~bits) | (0x7f800000 - (bits & 0x7fffffff))) >> 31;
    }

    @FunctionalInterface
    private interface WideGradient {
        void fill(int img, float[] dst, int dstOff, double[] dbSums);
    }

    /**
     * dx for images {@code [first, first + count)} from their wide dy (in {@code gyWide}, one image
     * after another), in two steps on the forward pass's wide grid (row width {@code rw}):
     * <ol>
     * <li>{@code T[(c, p, q)][pos] = sum_o W[o, c, p, q] dy_o[pos]} for every wide output position:
     *     the product {@code W^T dy} of the {@code (C KH KW) x O} transposed weights with dy, run as
     *     a 1 x 1 {@link ConvKernels#correlate} of dy's O channels;</li>
     * <li>{@code dx_pad[k] = sum_{p, q} T[(c, p, q)][k - p rw - q]} ({@link ConvKernels#sumShiftedTaps}):
     *     the forward pass read input {@code k} through tap {@code (p, q)} of the output at
     *     {@code k - p rw - q}, and every other position there is a junk column or off the grid,
     *     where dy is zero.</li>
     * </ol>
     * This multiplies each of dy's wide positions by each weight once. The full correlation of dy
     * padded by {@code K - 1} with the flipped weights, which this replaced (issue 25), multiplied
     * the padding too: for LeNet's second layer it ran 16 x 25 taps at each of the 14 x 14 input
     * positions, where dy has 10 x 10 values (10 x 14 wide ones here), and rounded the 6 input
     * channels up to a block of 8, 1.9 times the products of this form.
     */
    private static void inputGradient(float[] gyWide, int positions, int rw, int first, int count, float[] ws, int wOff,
                                      int c, int h, int wd, int o, int kh, int kw, int pad, float[] dx) {
        ConvKernels k = ConvKernels.get();
        int taps = c * kh * kw;
        // W[o][(c, p, q)] is row-major [O, C*KH*KW]; its transpose is the 1 x 1 correlation's weights.
        float[] transposed = new float[taps * o];
        for (int oc = 0; oc < o; oc++)
            for (int t = 0; t < taps; t++) transposed[t * o + oc] = ws[wOff + oc * taps + t];
        float[] packed = ConvKernels.packWeights(transposed, 0, taps, o);
        // Input (y, x) is wide position (y + pad) rw + pad + x: the sums run over the wide positions
        // of rows pad .. pad + h - 1, and when the rows hold nothing else (no padding) they are dx's
        // own plane, written in place.
        int start = pad * rw + pad, length = (h - 1) * rw + wd;
        boolean inPlace = rw == wd;
        // Each row of T has `front` zeros before position 0 (the farthest tap reaches back that far)
        // and zeros after the last position it holds, up to the last one the sums read.
        int front = (kh - 1) * rw + kw - 1, stride = oddLines(front + Math.max(positions, start + length));
        float[] cols = new float[taps * stride];
        float[] wide = inPlace ? null : new float[c * length];
        for (int m = 0; m < count; m++) {
            k.correlate(gyWide, m * o * positions, positions, positions, o, 1, 1, packed, taps, cols, front, stride, positions);
            int img = first + m;
            if (inPlace) {
                k.sumShiftedTaps(cols, front + start, stride, rw, c, kh, kw, dx, img * c * h * wd, h * wd, length);
            } else {
                k.sumShiftedTaps(cols, front + start, stride, rw, c, kh, kw, wide, 0, length, length);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(wide, ch * length + y * rw, dx, ((img * c + ch) * h + y) * wd, wd);
                    }
                }
            }
        }
    }

    /**
     * {@code floats} rounded up to an odd number of 64-byte lines: rows of T a power of two apart
     * (LeNet's are 256 floats) would fall in a few sets of the L1 cache.
     */
    private static int oddLines(int floats) {
        int lines = (floats + 15) / 16;
        return (lines | 1) * 16;
    }

    /** Copies one image's channels into zero-padded planes of {@code in}'s layout at {@code dstOff}. */
    private static void pad(float[] x, int xOff, int c, int h, int wd, int pad, Planes in, float[] dst, int dstOff) {
        Arrays.fill(dst, dstOff, dstOff + c * in.channelStride(), 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(x, xOff + (ch * h + y) * wd, dst, dstOff + ch * in.channelStride() + (y + pad) * in.rowWidth() + pad, wd);
            }
        }
    }
}
