package io.gradus.kernels;

/** {@link ConvKernels} as plain loops: the reference the vector kernels are tested against. */
public final class ScalarConvKernels implements ConvKernels {

    public static final ScalarConvKernels INSTANCE = new ScalarConvKernels();

    private ScalarConvKernels() {}

    @Override
    public int positionBlock() {
        return 1;
    }

    @Override
    public void maxPool2x2(float[] wide, int plane, int rowWidth, float bias, boolean relu, float[] out, byte[] winner,
                           int outOff, int outH, int outW) {
        for (int i = 0; i < outH; i++) {
            int top = plane + 2 * i * rowWidth, row = outOff + i * outW;
            for (int j = 0; j < outW; j++) {
                int s0 = top + 2 * j, s1 = s0 + rowWidth;
                float w0 = wide[s0], w1 = wide[s0 + 1], w2 = wide[s1], w3 = wide[s1 + 1];
                // Selects rather than branches: which of the four wins is data.
                boolean up = w1 > w0;
                float best = up ? w1 : w0;
                int code = up ? 1 : 0;
                up = w2 > best;
                best = up ? w2 : best;
                code = up ? 2 : code;
                up = w3 > best;
                best = up ? w3 : best;
                code = up ? 3 : code;
                float v = best + bias;
                out[row + j] = relu && v < 0 ? 0f : v;
                winner[row + j] = (byte) code;
            }
        }
    }

    @Override
    public void correlate(float[] in, int inOff, int channelStride, int rowWidth, int channels, int kh, int kw,
                          float[] packedWeights, int outputs, float[] out, int outOff, int outStride, int positions) {
        int taps = channels * kh * kw;
        for (int o = 0; o < outputs; o++) {
            int wBase = (o / OUTPUT_BLOCK) * taps * OUTPUT_BLOCK + o % OUTPUT_BLOCK;
            for (int pos = 0; pos < positions; pos++) {
                float s = 0;
                int t = 0;
                for (int c = 0; c < channels; c++) {
                    for (int p = 0; p < kh; p++) {
                        int row = inOff + c * channelStride + p * rowWidth + pos;
                        for (int q = 0; q < kw; q++, t++) s += packedWeights[wBase + t * OUTPUT_BLOCK] * in[row + q];
                    }
                }
                out[outOff + o * outStride + pos] = s;
            }
        }
    }

    @Override
    public void weightGradient(float[] gy, int gyOff, int gyStride, int gyImageStride, int outputs,
                               float[] in, int inOff, int channelStride, int inImageStride, int rowWidth, int channels,
                               int kh, int kw, int positions, int images, float[] dw, int dwOff) {
        for (int o = 0; o < outputs; o++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        float s = 0;
                        for (int img = 0; img < images; img++) {
                            int g = gyOff + img * gyImageStride + o * gyStride;
                            int x = inOff + img * inImageStride + c * channelStride + p * rowWidth + q;
                            for (int pos = 0; pos < positions; pos++) s += gy[g + pos] * in[x + pos];
                        }
                        dw[dwOff + ((o * channels + c) * kh + p) * kw + q] += s;
                    }
                }
            }
        }
    }

    @Override
    public void sumShiftedTaps(float[] cols, int colsOff, int colsStride, int rowWidth, int channels, int kh, int kw,
                               float[] out, int outOff, int outStride, int length) {
        for (int c = 0; c < channels; c++) {
            int rows = colsOff + c * kh * kw * colsStride;
            for (int m = 0; m < length; m++) {
                float s = 0;
                int r = rows + m;
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++, r += colsStride) s += cols[r - p * rowWidth - q];
                }
                out[outOff + c * outStride + m] = s;
            }
        }
    }
}
