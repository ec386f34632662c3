package io.gradus.kernels;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The direct convolution kernels against naive double-precision loops over the same wide planes. */
class ConvKernelsTest {

    /** Positions rounded up to the kernel's block, and an input long enough for every tap of them. */
    record Case(int channels, int outputs, int kh, int kw, int rowWidth, int rows, int positions, int channelStride) {
        static Case of(ConvKernels k, int channels, int outputs, int kh, int kw, int rowWidth, int rows) {
            int block = k.positionBlock();
            int positions = (rows * rowWidth + block - 1) / block * block;
            int channelStride = positions + (kh - 1) * rowWidth + kw;
            return new Case(channels, outputs, kh, kw, rowWidth, rows, positions, channelStride);
        }
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    static void checkCorrelate(ConvKernels k, Random rnd, int channels, int outputs, int kh, int kw, int rowWidth, int rows) {
        Case c = Case.of(k, channels, outputs, kh, kw, rowWidth, rows);
        int inOff = 3, taps = channels * kh * kw;
        float[] in = random(rnd, inOff + channels * c.channelStride());
        float[] w = random(rnd, outputs * taps + 2);
        // NaN where nothing may be written: before the first row and in the 4 floats after each row.
        float[] out = new float[5 + outputs * (c.positions() + 4)];
        Arrays.fill(out, Float.NaN);
        k.correlate(in, inOff, c.channelStride(), rowWidth, channels, kh, kw, ConvKernels.packWeights(w, 2, outputs, taps),
                outputs, out, 5, c.positions() + 4, c.positions());
        for (int o = 0; o < outputs; o++) {
            for (int pos = 0; pos < c.positions(); pos++) {
                double s = 0;
                for (int ch = 0; ch < channels; ch++)
                    for (int p = 0; p < kh; p++)
                        for (int q = 0; q < kw; q++)
                            s += (double) w[2 + ((o * channels + ch) * kh + p) * kw + q] * in[inOff + ch * c.channelStride() + pos + p * rowWidth + q];
                assertEquals(s, out[5 + o * (c.positions() + 4) + pos], 1e-4 * (1 + Math.abs(s)) * Math.sqrt(taps),
                        k + " o=" + o + " pos=" + pos + " " + c);
            }
            for (int gap = 0; gap < 4; gap++) {
                assertTrue(Float.isNaN(out[5 + o * (c.positions() + 4) + c.positions() + gap]), k + " wrote past row " + o + " " + c);
            }
        }
        for (int i = 0; i < 5; i++) assertTrue(Float.isNaN(out[i]), k + " wrote before the first row " + c);
    }

    static void checkWeightGradient(ConvKernels k, Random rnd, int channels, int outputs, int kh, int kw, int rowWidth, int rows, int images) {
        Case c = Case.of(k, channels, outputs, kh, kw, rowWidth, rows);
        int positions = c.positions(), gyStride = positions + 16, gyImage = outputs * gyStride + 7, inImage = channels * c.channelStride() + 3;
        float[] gy = random(rnd, 1 + images * gyImage), in = random(rnd, 2 + images * inImage);
        int taps = channels * kh * kw;
        float[] dw = random(rnd, 4 + outputs * taps), before = dw.clone();
        k.weightGradient(gy, 1, gyStride, gyImage, outputs, in, 2, c.channelStride(), inImage, rowWidth, channels, kh, kw,
                positions, images, dw, 4);
        for (int o = 0; o < outputs; o++)
            for (int ch = 0; ch < channels; ch++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++) {
                        double s = 0;
                        for (int img = 0; img < images; img++)
                            for (int pos = 0; pos < positions; pos++)
                                s += (double) gy[1 + img * gyImage + o * gyStride + pos]
                                        * in[2 + img * inImage + ch * c.channelStride() + pos + p * rowWidth + q];
                        int d = 4 + ((o * channels + ch) * kh + p) * kw + q;
                        assertEquals(before[d] + s, dw[d], 1e-4 * Math.sqrt(images * positions) * (1 + Math.abs(s)),
                                k + " dw[" + o + "," + ch + "," + p + "," + q + "]");
                    }
        assertEquals(before[0], dw[0]); // nothing written before dwOff
    }

    /**
     * The gather against a double sum of its definition, the scalar kernel's bits (same order from
     * zero at every width), and NaN sentinels around each channel's run, which must stay unwritten.
     */
    static void checkSumShiftedTaps(ConvKernels k, Random rnd, int channels, int kh, int kw, int rowWidth, int length) {
        int taps = kh * kw, colsOff = (kh - 1) * rowWidth + kw - 1 + 3, colsStride = colsOff + length + 5;
        float[] cols = random(rnd, channels * taps * colsStride);
        int outOff = 2, outStride = length + 3;
        float[] out = new float[outOff + channels * outStride + 4], reference = new float[out.length];
        Arrays.fill(out, Float.NaN);
        k.sumShiftedTaps(cols, colsOff, colsStride, rowWidth, channels, kh, kw, out, outOff, outStride, length);
        ScalarConvKernels.INSTANCE.sumShiftedTaps(cols, colsOff, colsStride, rowWidth, channels, kh, kw, reference, outOff, outStride, length);
        String shape = k + " channels=" + channels + " " + kh + "x" + kw + " rowWidth=" + rowWidth + " length=" + length;
        for (int i = 0; i < out.length; i++) {
            int c = (i - outOff) / outStride, m = (i - outOff) % outStride;
            if (i < outOff || c >= channels || m >= length) {
                assertTrue(Float.isNaN(out[i]), shape + ": wrote out[" + i + "] outside the runs");
                continue;
            }
            double s = 0;
            for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++) s += cols[colsOff + ((c * kh + p) * kw + q) * colsStride + m - p * rowWidth - q];
            assertEquals(s, out[i], 1e-6 * taps * (1 + Math.abs(s)), shape + " c=" + c + " m=" + m);
            assertEquals(Float.floatToRawIntBits(reference[i]), Float.floatToRawIntBits(out[i]), shape + ": the scalar kernel's bits at c=" + c + " m=" + m);
        }
    }

    @Test
    void bothImplementationsMatchNaiveLoops() {
        Random rnd = new Random(5);
        for (ConvKernels k : new ConvKernels[] {ScalarConvKernels.INSTANCE, ConvKernels.get()}) {
            // LeNet's two layers (one image), then odd shapes: outputs not a multiple of 8 or 4, 1x1 and 3x2 kernels.
            // The vector tiles depend on the JIT's registers (32, or 16 under -XX:UseAVX=2): CI runs this both ways.
            checkCorrelate(k, rnd, 1, 6, 5, 5, 32, 28);
            checkCorrelate(k, rnd, 6, 16, 5, 5, 14, 10);
            // LeNet's planes with rows sharing their padding (core's DirectConv2d): the first layer's
            // 30-wide rows and the second's input gradient; odd numbers of vectors of positions at
            // 512, 256 or 128 bits end with the one-vector tile, which also takes one vector alone.
            checkCorrelate(k, rnd, 1, 6, 5, 5, 30, 28);
            checkCorrelate(k, rnd, 16, 6, 5, 5, 14, 14);
            checkCorrelate(k, rnd, 2, 9, 1, 2, 3, 1);
            checkCorrelate(k, rnd, 3, 11, 3, 2, 9, 7);
            checkCorrelate(k, rnd, 2, 1, 1, 1, 5, 3);
            // Blocks of 8 with 7, 6, 2 and 1 channels present: 32 registers take the 8- or 6-channel
            // tile by that count, 16 registers the 4- or 2-channel pass (2 x 4 vectors, and 2 x 2 for
            // an odd pair of vectors).
            checkCorrelate(k, rnd, 2, 15, 3, 3, 11, 6);
            checkCorrelate(k, rnd, 1, 14, 5, 5, 30, 9);
            checkCorrelate(k, rnd, 3, 10, 2, 2, 17, 5);
            checkCorrelate(k, rnd, 1, 2, 5, 5, 30, 28);
            checkWeightGradient(k, rnd, 1, 6, 5, 5, 32, 28, 2);
            checkWeightGradient(k, rnd, 6, 16, 5, 5, 14, 10, 3);
            checkWeightGradient(k, rnd, 3, 7, 3, 2, 9, 7, 2);
            checkWeightGradient(k, rnd, 2, 5, 5, 5, 12, 8, 2); // 5-wide, odd outputs: the 2-channel tile's remainder
            checkWeightGradient(k, rnd, 2, 1, 1, 1, 5, 3, 1);
            // LeNet's second layer (14 x 14 planes in place), its first layer's 30-wide rows, and runs
            // shorter than a vector, of whole double vectors, and with a one-vector and a partial tail.
            checkSumShiftedTaps(k, rnd, 6, 5, 5, 14, 196);
            checkSumShiftedTaps(k, rnd, 1, 5, 5, 30, 27 * 30 + 28);
            checkSumShiftedTaps(k, rnd, 3, 3, 2, 9, 5);
            checkSumShiftedTaps(k, rnd, 2, 1, 1, 4, 64);
            checkSumShiftedTaps(k, rnd, 2, 2, 3, 7, 48);
            checkSumShiftedTaps(k, rnd, 4, 3, 3, 11, 101);
        }
    }

    /**
     * Pooling against a plain scan of each window (first strictly greater wins), on planes full of
     * ties (small integers, as a convolution of LeNet's zero background gives) and a few NaNs, at
     * LeNet's shapes and odd ones; every value and winner must be the reference's, bit for bit.
     */
    @Test
    void maxPoolingPicksTheFirstLargestOfEachWindowAsAPlainScan() {
        Random rnd = new Random(9);
        // {rowWidth, outH, outW}: LeNet's two layers, odd ones; 8 or more rows with 16 or 17 columns
        // take the vector kernel's byte-winner form with whole and partial vectors of outputs.
        int[][] shapes = {{32, 14, 14}, {14, 5, 5}, {9, 3, 4}, {40, 1, 17}, {6, 2, 3}, {40, 9, 17}, {32, 8, 16}};
        for (ConvKernels k : new ConvKernels[] {ScalarConvKernels.INSTANCE, ConvKernels.get()}) {
            for (int[] shape : shapes) {
                int rowWidth = shape[0], outH = shape[1], outW = shape[2], plane = 3;
                float[] wide = new float[plane + 2 * outH * rowWidth];
                for (int i = 0; i < wide.length; i++) {
                    int r = rnd.nextInt(20);
                    wide[i] = r == 0 ? Float.NaN : r < 8 ? 0f : rnd.nextInt(5) - 2;
                }
                for (boolean relu : new boolean[] {false, true}) {
                    float bias = relu ? -0.5f : 0.25f;
                    float[] out = new float[2 + outH * outW];
                    byte[] winner = new byte[2 + outH * outW];
                    k.maxPool2x2(wide, plane, rowWidth, bias, relu, out, winner, 2, outH, outW);
                    for (int i = 0; i < outH; i++) {
                        for (int j = 0; j < outW; j++) {
                            int s0 = plane + 2 * i * rowWidth + 2 * j;
                            float[] window = {wide[s0], wide[s0 + 1], wide[s0 + rowWidth], wide[s0 + rowWidth + 1]};
                            int best = 0;
                            for (int w = 1; w < 4; w++) if (window[w] > window[best]) best = w;
                            float v = window[best] + bias;
                            float expected = relu && v < 0 ? 0f : v;
                            String where = k + " " + java.util.Arrays.toString(shape) + " relu=" + relu + " (" + i + ", " + j + ")";
                            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[2 + i * outW + j]), where);
                            assertEquals(best, winner[2 + i * outW + j], where);
                        }
                    }
                    assertEquals(0f, out[0]);
                    assertEquals(0f, out[1]);
                }
            }
        }
    }

    @Test
    void packedWeightsAreBlocksOfEightOutputsPerTap() {
        float[] w = new float[10 * 3];
        for (int i = 0; i < w.length; i++) w[i] = i + 1;
        float[] p = ConvKernels.packWeights(w, 0, 10, 3);
        assertEquals(2 * 3 * 8, p.length);
        assertEquals(w[0], p[0]);           // o 0, tap 0
        assertEquals(w[3], p[1]);           // o 1, tap 0
        assertEquals(w[1], p[8]);           // o 0, tap 1
        assertEquals(w[8 * 3], p[3 * 8]);   // o 8, tap 0: second block
        assertEquals(0f, p[3 * 8 + 2]);     // o 10 does not exist: zero
    }
}
