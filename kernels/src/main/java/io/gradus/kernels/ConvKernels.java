package io.gradus.kernels;

import io.gradus.kernels.internal.SimdSupport;

/**
 * Direct 2-D correlation at stride 1 on "wide" planes, the kernels behind core's convolution
 * (section 11.11's LeNet): no im2col matrix is built, so nothing larger than one image's planes
 * leaves the cache.
 *
 * <p>Layout. An input channel is a zero-padded plane stored row after row, {@code rowWidth} floats
 * per row, channels {@code channelStride} floats apart. An output position is
 * {@code pos = i * rowWidth + j}: the output keeps the input's row width, so the taps of output
 * {@code (i, j)} are the inputs at {@code pos + p * rowWidth + q}, one contiguous run per tap, and
 * a whole output plane is one vectorisable loop. The columns {@code j} past the valid output
 * width are junk ("wide" columns); callers ignore them in outputs and zero them in gradients.
 * Arrays must be long enough for the rounded-up position count the kernel reads
 * ({@link #positionBlock()}).
 *
 * <p>Weights are {@code W[o, c, p, q]} ({@code [O, C, KH, KW]} row-major), packed once per call
 * site by {@link #packWeights} into blocks of {@link #OUTPUT_BLOCK} output channels.
 *
 * <p>Vector width. {@link #correlate} sums each output's taps in the same order at every width.
 * The weight gradient sums positions in vector lanes, so its rounding follows the vector width
 * (tests bound it against double sums at 512, 256 and 128 bits and on the scalar kernels); it never
 * depends on the thread count.
 */
public interface ConvKernels {

    /** Output channels per packed weight block. */
    int OUTPUT_BLOCK = 8;

    /** Position counts passed to the kernels must be multiples of this. */
    int positionBlock();

    /**
     * {@code out[outOff + o * outStride + pos] = sum_{c, p, q} W[o, c, p, q] * in[inOff + c * channelStride + pos + p * rowWidth + q]}
     * for {@code o < outputs}, {@code pos < positions} (overwrites {@code out}).
     */
    void correlate(float[] in, int inOff, int channelStride, int rowWidth, int channels, int kh, int kw,
                   float[] packedWeights, int outputs, float[] out, int outOff, int outStride, int positions);

    /**
     * The weight gradient of {@link #correlate}, accumulated over {@code images}:
     * {@code dw[dwOff + ((o * C + c) * KH + p) * KW + q] += sum_{img, pos} gy[gyOff + img * gyImageStride + o * gyStride + pos]
     * * in[inOff + img * inImageStride + c * channelStride + pos + p * rowWidth + q]}.
     * {@code gy} must be zero at junk positions.
     */
    void weightGradient(float[] gy, int gyOff, int gyStride, int gyImageStride, int outputs,
                        float[] in, int inOff, int channelStride, int inImageStride, int rowWidth, int channels,
                        int kh, int kw, int positions, int images, float[] dw, int dwOff);

    /**
     * The input gradient's last step, the adjoint of {@link #correlate}'s taps ("col2im" on wide
     * planes, as a gather): for {@code c < channels} and {@code m < length},
     * {@code out[outOff + c * outStride + m] = sum_{p < KH, q < KW} cols[colsOff + ((c * KH + p) * KW + q) * colsStride + m - p * rowWidth - q]},
     * the taps summed in that row-major order, from zero, at every vector width (so every width
     * gives the same bits). Row {@code (c, p, q)} of {@code cols} holds what tap {@code (p, q)} of
     * channel {@code c} contributed at each wide position; an input position {@code m} received it
     * from the output {@code p * rowWidth + q} before it. Only the listed indices are read, so each
     * row needs {@code (KH - 1) * rowWidth + KW - 1} readable floats before {@code colsOff}'s
     * position (zeros, where no output was). Writes {@code out} only at the listed indices.
     */
    void sumShiftedTaps(float[] cols, int colsOff, int colsStride, int rowWidth, int channels, int kh, int kw,
                        float[] out, int outOff, int outStride, int length);

    /**
     * 2 x 2 max pooling at stride 2 of one channel of {@link #correlate}'s wide output, then a bias
     * and optionally ReLU: for {@code i < outH, j < outW}, the window's four sums
     * {@code w0 = wide[plane + 2i * rowWidth + 2j]}, {@code w1} (right of it), {@code w2} (below it),
     * {@code w3} (below right) are scanned in that order and the first strictly greater than the
     * best so far wins ({@code >}, so the first of equal values wins and a NaN wins only as
     * {@code w0}); then {@code out[outOff + i * outW + j] = max(best + bias, 0)} with ReLU (as
     * {@code v < 0 ? 0 : v}), {@code best + bias} without, and {@code winner[...]} = the winner's
     * index 0..3. Pooling the raw sums before the bias and ReLU gives the same values, because both
     * are monotone. Columns {@code 2 * outW} and beyond of the wide rows are never read.
     */
    void maxPool2x2(float[] wide, int plane, int rowWidth, float bias, boolean relu, float[] out, byte[] winner,
                    int outOff, int outH, int outW);

    /**
     * {@code W[o, c, p, q]} from {@code w[wOff..]} into {@code [ceil(O / 8)][C * KH * KW][8]}, zero
     * past the last output channel: the eight weights a tap multiplies lie side by side.
     */
    static float[] packWeights(float[] w, int wOff, int outputs, int taps) {
        int blocks = (outputs + OUTPUT_BLOCK - 1) / OUTPUT_BLOCK;
        float[] packed = new float[blocks * taps * OUTPUT_BLOCK];
        for (int o = 0; o < outputs; o++) {
            int block = o / OUTPUT_BLOCK, lane = o % OUTPUT_BLOCK;
            for (int t = 0; t < taps; t++) packed[(block * taps + t) * OUTPUT_BLOCK + lane] = w[wOff + o * taps + t];
        }
        return packed;
    }

    /** The implementation this JVM uses (Vector API when available). */
    static ConvKernels get() {
        return SimdSupport.convKernels();
    }
}
