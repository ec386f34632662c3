package io.gradus.kernels.vector;

import io.gradus.kernels.ConvKernels;
import io.gradus.kernels.internal.CpuInfo;
import java.lang.invoke.VarHandle;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvKernels} with the Vector API. {@link #correlate} holds an 8-channel x 2-vector tile
 * of accumulators (8 x 32 outputs with AVX-512) and, per tap, loads two input vectors and
 * broadcasts eight packed weights for sixteen FMAs: the register tile of a GEMM micro-kernel on
 * an implicit im2col matrix. {@link #weightGradient} runs four output channels against one tap's
 * shifted input at a time, summing over positions and images in vector lanes and reducing the
 * lanes once per weight by {@link VectorArrayKernels}'s fixed tree (so results do not depend on
 * the JIT's reduction).
 *
 * <p>Those tiles are sized for 32 vector registers (AVX-512, AArch64). With 16 (x86 with AVX2,
 * {@code CpuInfo#vectorRegisters()}) they spill, so there {@link #correlate} runs the 8-channel
 * block as two passes of 4 channels x 2 vectors (8 accumulators, 2 input vectors, 4 broadcasts) and
 * the 5-wide weight gradient takes 2 channels x 5 taps (10 accumulators, 2 of dy, one shifted input
 * at a time behind a compiler-only {@link VarHandle#loadLoadFence()}, as the SGEMM's fenced 6x2v
 * tile). Every accumulator sums the same terms in the same order either way, so the two shapes give
 * identical bits. A block of output channels with fewer channels present than its tile has (LeNet's
 * first layer: 6) runs a narrower tile that spends no FMAs on the absent channels' zero weights:
 * 6 channels x 2 vectors with 32 registers, 2 channels x 4 vectors for the second pass with 16.
 */
public final class VectorConvKernels implements ConvKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /** Whether the JIT has 16 vector registers rather than 32: the tiles are chosen for them. */
    private static final boolean SIXTEEN_REGISTERS = CpuInfo.detect().vectorRegisters() < 32;

    public static final VectorConvKernels INSTANCE = new VectorConvKernels();

    private VectorConvKernels() {}

    /**
     * One vector with 32 registers: the tiles take two vectors of positions at a time and a last
     * odd vector with {@link #correlateOneVector}, so LeNet's second layer rounds 140 positions up
     * to 144 rather than 160 with 16 lanes. Two vectors with 16 registers: there a one-vector tile
     * made LeNet's step much slower, not faster, in issue 25's trial runs under
     * {@code -XX:UseAVX=2}.
     */
    @Override
    public int positionBlock() {
        return SIXTEEN_REGISTERS ? 2 * V : V;
    }

    /** Lane {@code j} of {@code a.rearrange(EVEN_LANES, b)} is lane {@code 2j} of {@code a} and {@code b} end to end. */
    private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(S, j -> 2 * j);
    /** Lane {@code j} of {@code a.rearrange(ODD_LANES, b)} is lane {@code 2j + 1} of {@code a} and {@code b} end to end. */
    private static final VectorShuffle<Float> ODD_LANES = VectorShuffle.fromOp(S, j -> 2 * j + 1);

    /**
     * The scalar kernel's comparisons, {@code V} windows at a time: the window's four values come
     * from de-interleaving two vectors of each of its rows into even and odd columns (a two-vector
     * rearrange, one {@code vpermt2ps} with AVX-512), so each lane is one output, stored straight
     * to {@code out}. Same comparisons in the same order, so the same values and winners as
     * {@link io.gradus.kernels.ScalarConvKernels}. The form before computed a window at every
     * column and kept the even ones through a buffer, at twice the comparisons and a scalar copy
     * per output; JMH's {@code PoolingBench} compares the two (issue 25,
     * {@code bench/results/2026-12-06-pooling-zen5}).
     */
    @Override
    public void maxPool2x2(float[] wide, int plane, int rowWidth, float bias, boolean relu, float[] out, byte[] winner,
                           int outOff, int outH, int outW) {
        if (WINNER_BYTES != null && outH >= BYTE_WINNERS_MIN_ROWS) {
            maxPool2x2ByteWinners(wide, plane, rowWidth, bias, relu, out, winner, outOff, outH, outW);
            return;
        }
        float[] code = new float[V];
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f),
                three = FloatVector.broadcast(S, 3f), b = FloatVector.broadcast(S, bias);
        for (int i = 0; i < outH; i++) {
            int top = plane + 2 * i * rowWidth, below = top + rowWidth, row = outOff + i * outW;
            for (int j = 0; j < outW; j += V) {
                int t = top + 2 * j, u = below + 2 * j;
                FloatVector t0 = columns(wide, t), t1 = columns(wide, t + V), u0 = columns(wide, u), u1 = columns(wide, u + V);
                FloatVector w0 = t0.rearrange(EVEN_LANES, t1), w1 = t0.rearrange(ODD_LANES, t1);
                FloatVector w2 = u0.rearrange(EVEN_LANES, u1), w3 = u0.rearrange(ODD_LANES, u1);
                VectorMask<Float> up = w1.compare(VectorOperators.GT, w0);
                FloatVector max = w0.blend(w1, up), winners = zero.blend(one, up);
                up = w2.compare(VectorOperators.GT, max);
                max = max.blend(w2, up);
                winners = winners.blend(two, up);
                up = w3.compare(VectorOperators.GT, max);
                max = max.blend(w3, up);
                winners = winners.blend(three, up);
                FloatVector v = max.add(b);
                if (relu) v = v.blend(zero, v.compare(VectorOperators.LT, 0f));
                int count = Math.min(V, outW - j);
                if (count == V) v.intoArray(out, row + j);
                else v.intoArray(out, row + j, S.indexInRange(0, count));
                winners.intoArray(code, 0);
                for (int m = 0; m < count; m++) winner[row + j + m] = (byte) code[m];
            }
        }
    }

    /**
     * Bytes, one lane per float lane, for the winners of {@link #maxPool2x2} with 16 lanes (512-bit
     * vectors), where a mask's cast to bytes is a move between mask registers. With 8 lanes (AVX2)
     * the same cast made the pooling about twice as slow as the scalar copy of the winners in
     * issue 25's exploratory runs, and 4 lanes have no byte shape (32 bits): {@code null} there,
     * and the winners go through the scalar copy.
     */
    private static final VectorSpecies<Byte> WINNER_BYTES =
            V >= 16 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(V * Byte.SIZE)) : null;

    /**
     * Pooled rows per plane from which {@link #maxPool2x2} takes {@link #maxPool2x2ByteWinners}.
     * In {@code PoolingBench} on the Zen 5 guest the byte form pooled LeNet's first layer (6 planes
     * of 14 rows) in about 1.1 us per image against 2.2 for the float form, but its second layer
     * (16 planes of 5 rows) in 2.1-3.1 us against 1.4-1.9: a cost per call, it seems, that short
     * planes do not amortise (the cause is not pinned down; see
     * {@code bench/results/2026-12-06-pooling-zen5}).
     */
    private static final int BYTE_WINNERS_MIN_ROWS = 8;

    /** The winner codes 1, 2, 3 in {@link #WINNER_BYTES}' lanes (null where it is). */
    private static final ByteVector WINNER_ONE = winnerCode(1), WINNER_TWO = winnerCode(2), WINNER_THREE = winnerCode(3);

    private static ByteVector winnerCode(int code) {
        return WINNER_BYTES == null ? null : ByteVector.broadcast(WINNER_BYTES, (byte) code);
    }

    /**
     * {@link #maxPool2x2} with the winners chosen in byte lanes (the comparisons' masks cast to them)
     * and stored as a vector; the masks of a row's last, partial vector of outputs are made once per call.
     */
    private static void maxPool2x2ByteWinners(float[] wide, int plane, int rowWidth, float bias, boolean relu, float[] out,
                                              byte[] winner, int outOff, int outH, int outW) {
        FloatVector zero = FloatVector.zero(S), b = FloatVector.broadcast(S, bias);
        ByteVector none = ByteVector.zero(WINNER_BYTES);
        int last = outW - (outW - 1) / V * V;
        VectorMask<Float> lastOut = S.indexInRange(0, last);
        VectorMask<Byte> lastWinner = WINNER_BYTES.indexInRange(0, last);
        for (int i = 0; i < outH; i++) {
            int top = plane + 2 * i * rowWidth, below = top + rowWidth, row = outOff + i * outW;
            for (int j = 0; j < outW; j += V) {
                int t = top + 2 * j, u = below + 2 * j;
                FloatVector t0 = columns(wide, t), t1 = columns(wide, t + V), u0 = columns(wide, u), u1 = columns(wide, u + V);
                FloatVector w0 = t0.rearrange(EVEN_LANES, t1), w1 = t0.rearrange(ODD_LANES, t1);
                FloatVector w2 = u0.rearrange(EVEN_LANES, u1), w3 = u0.rearrange(ODD_LANES, u1);
                VectorMask<Float> up = w1.compare(VectorOperators.GT, w0);
                FloatVector max = w0.blend(w1, up);
                ByteVector winners = none.blend(WINNER_ONE, up.cast(WINNER_BYTES));
                up = w2.compare(VectorOperators.GT, max);
                max = max.blend(w2, up);
                winners = winners.blend(WINNER_TWO, up.cast(WINNER_BYTES));
                up = w3.compare(VectorOperators.GT, max);
                max = max.blend(w3, up);
                winners = winners.blend(WINNER_THREE, up.cast(WINNER_BYTES));
                FloatVector v = max.add(b);
                if (relu) v = v.blend(zero, v.compare(VectorOperators.LT, 0f));
                if (j + V < outW) {
                    v.intoArray(out, row + j);
                    winners.intoArray(winner, row + j);
                } else {
                    v.intoArray(out, row + j, lastOut);
                    winners.intoArray(winner, row + j, lastWinner);
                }
            }
        }
    }

    /**
     * {@code V} floats of {@code wide} from {@code at}; lanes past the array read zero. (The pooling
     * reads two vectors per row, past its windows: junk columns or the next row, computed and never kept.)
     */
    private static FloatVector columns(float[] wide, int at) {
        return at + V <= wide.length ? FloatVector.fromArray(S, wide, at) : FloatVector.fromArray(S, wide, at, S.indexInRange(at, wide.length));
    }

    @Override
    public void correlate(float[] in, int inOff, int channelStride, int rowWidth, int channels, int kh, int kw,
                          float[] pw, int outputs, float[] out, int outOff, int outStride, int positions) {
        if (positions % positionBlock() != 0) {
            throw new IllegalArgumentException("positions = " + positions + ": expected a multiple of " + positionBlock());
        }
        if (SIXTEEN_REGISTERS) {
            correlateFourChannelsAtATime(in, inOff, channelStride, rowWidth, channels, kh, kw, pw, outputs, out, outOff, outStride, positions);
            return;
        }
        int[] tapAt = tapOffsets(channelStride, rowWidth, channels, kh, kw);
        int taps = tapAt.length;
        for (int o0 = 0; o0 < outputs; o0 += OUTPUT_BLOCK) {
            int rows = Math.min(OUTPUT_BLOCK, outputs - o0), wBase = (o0 / OUTPUT_BLOCK) * taps * OUTPUT_BLOCK;
            int blockOut = outOff + o0 * outStride;
            int pos = rows <= 6
                    ? correlateSixChannels(in, inOff, tapAt, pw, wBase, rows, out, blockOut, outStride, positions)
                    : correlateEightChannels(in, inOff, tapAt, pw, wBase, rows, out, blockOut, outStride, positions);
            if (pos < positions) {
                correlateOneVector(in, inOff, tapAt, pw, wBase, rows, out, blockOut, outStride, pos);
            }
        }
    }

    /**
     * Where each tap of {@link #correlate} reads, relative to the output position, in the packed
     * weights' order {@code (c, p, q)}: {@code c * channelStride + p * rowWidth + q}. One flat loop
     * over this table ran LeNet's 5 x 5 taps 10-20% faster than the loops over c, p and q it
     * replaced, and a 1 x 1 correlation (core's input gradient, {@code W^T dy}) 4-5 times faster,
     * where those loops' one-trip p and q loops cost more than the FMAs (issue 25, exploratory
     * single-thread loop harness; JMH's {@code ConvLayerBench} measures the layers).
     */
    private static int[] tapOffsets(int channelStride, int rowWidth, int channels, int kh, int kw) {
        int[] at = new int[channels * kh * kw];
        int t = 0;
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++) at[t++] = c * channelStride + p * rowWidth + q;
        return at;
    }

    /**
     * An 8-channel block with 7 or 8 channels present ({@code rows}): 8 channels x 2 vectors of
     * accumulators, the weights of a tap broadcast one channel at a time (16 accumulators, 2 input
     * vectors and a broadcast: 19 of the 32 registers). Returns the first position it left: the tail
     * of an odd number of vectors is {@link #correlateOneVector}'s.
     */
    private static int correlateEightChannels(float[] in, int inOff, int[] tapAt, float[] pw, int wBase, int rows,
                                              float[] out, int outOff, int outStride, int positions) {
        FloatVector z = FloatVector.zero(S);
        int taps = tapAt.length;
        int pos = 0;
        for (; pos + 2 * V <= positions; pos += 2 * V) {
            FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z, a50 = z, a51 = z, a60 = z, a61 = z, a70 = z, a71 = z;
            int base = inOff + pos;
            for (int k = 0, t = wBase; k < taps; k++, t += OUTPUT_BLOCK) {
                int row = base + tapAt[k];
                FloatVector x0 = FloatVector.fromArray(S, in, row), x1 = FloatVector.fromArray(S, in, row + V);
                FloatVector w;
                w = FloatVector.broadcast(S, pw[t + 0]); a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
                w = FloatVector.broadcast(S, pw[t + 1]); a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
                w = FloatVector.broadcast(S, pw[t + 2]); a20 = x0.fma(w, a20); a21 = x1.fma(w, a21);
                w = FloatVector.broadcast(S, pw[t + 3]); a30 = x0.fma(w, a30); a31 = x1.fma(w, a31);
                w = FloatVector.broadcast(S, pw[t + 4]); a40 = x0.fma(w, a40); a41 = x1.fma(w, a41);
                w = FloatVector.broadcast(S, pw[t + 5]); a50 = x0.fma(w, a50); a51 = x1.fma(w, a51);
                w = FloatVector.broadcast(S, pw[t + 6]); a60 = x0.fma(w, a60); a61 = x1.fma(w, a61);
                w = FloatVector.broadcast(S, pw[t + 7]); a70 = x0.fma(w, a70); a71 = x1.fma(w, a71);
            }
            int r = outOff + pos;
            a00.intoArray(out, r); a01.intoArray(out, r + V);
            r += outStride; a10.intoArray(out, r); a11.intoArray(out, r + V);
            r += outStride; a20.intoArray(out, r); a21.intoArray(out, r + V);
            r += outStride; a30.intoArray(out, r); a31.intoArray(out, r + V);
            r += outStride; a40.intoArray(out, r); a41.intoArray(out, r + V);
            r += outStride; a50.intoArray(out, r); a51.intoArray(out, r + V);
            r += outStride; a60.intoArray(out, r); a61.intoArray(out, r + V);
            if (rows == 8) { r += outStride; a70.intoArray(out, r); a71.intoArray(out, r + V); }
        }
        return pos;
    }

    /**
     * An 8-channel block with at most 6 channels present (LeNet's first layer has 6, and the second
     * layer's input gradient ends on 150 = 18 x 8 + 6 rows): 6 channels x 2 vectors of accumulators,
     * so the two absent channels cost no FMAs, where the 8 x 2 tile would multiply their zero
     * weights (a quarter of the first layer's products). Each accumulator sums the same taps in the
     * same order as the 8-channel tile. Returns the first position it left: the tail of an odd
     * number of vectors is {@link #correlateOneVector}'s.
     */
    private static int correlateSixChannels(float[] in, int inOff, int[] tapAt, float[] pw, int wBase, int rows,
                                            float[] out, int outOff, int outStride, int positions) {
        FloatVector z = FloatVector.zero(S);
        int pos = 0;
        for (; pos + 2 * V <= positions; pos += 2 * V) {
            FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z, a50 = z, a51 = z;
            int base = inOff + pos;
            for (int k = 0, t = wBase; k < tapAt.length; k++, t += OUTPUT_BLOCK) {
                int row = base + tapAt[k];
                FloatVector x0 = FloatVector.fromArray(S, in, row), x1 = FloatVector.fromArray(S, in, row + V);
                FloatVector w;
                w = FloatVector.broadcast(S, pw[t + 0]); a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
                w = FloatVector.broadcast(S, pw[t + 1]); a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
                w = FloatVector.broadcast(S, pw[t + 2]); a20 = x0.fma(w, a20); a21 = x1.fma(w, a21);
                w = FloatVector.broadcast(S, pw[t + 3]); a30 = x0.fma(w, a30); a31 = x1.fma(w, a31);
                w = FloatVector.broadcast(S, pw[t + 4]); a40 = x0.fma(w, a40); a41 = x1.fma(w, a41);
                w = FloatVector.broadcast(S, pw[t + 5]); a50 = x0.fma(w, a50); a51 = x1.fma(w, a51);
            }
            int r = outOff + pos;
            a00.intoArray(out, r); a01.intoArray(out, r + V);
            if (1 < rows) { r += outStride; a10.intoArray(out, r); a11.intoArray(out, r + V); }
            if (2 < rows) { r += outStride; a20.intoArray(out, r); a21.intoArray(out, r + V); }
            if (3 < rows) { r += outStride; a30.intoArray(out, r); a31.intoArray(out, r + V); }
            if (4 < rows) { r += outStride; a40.intoArray(out, r); a41.intoArray(out, r + V); }
            if (5 < rows) { r += outStride; a50.intoArray(out, r); a51.intoArray(out, r + V); }
        }
        return pos;
    }

    /**
     * The last vector of positions of an 8-channel block, when the positions are an odd number of
     * vectors (32 registers only, see {@link #positionBlock}): 8 accumulators, one input vector and
     * one broadcast. Each accumulator sums the same taps in the same order as the two-vector tiles.
     * (A three-vector tile for the last three, each broadcast feeding three FMAs, was slower in
     * issue 25's trial runs.)
     */
    private static void correlateOneVector(float[] in, int inOff, int[] tapAt, float[] pw, int wBase, int rows,
                                           float[] out, int outOff, int outStride, int pos) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        int base = inOff + pos;
        for (int k = 0, t = wBase; k < tapAt.length; k++, t += OUTPUT_BLOCK) {
            FloatVector x = FloatVector.fromArray(S, in, base + tapAt[k]);
            a0 = x.fma(FloatVector.broadcast(S, pw[t + 0]), a0);
            a1 = x.fma(FloatVector.broadcast(S, pw[t + 1]), a1);
            a2 = x.fma(FloatVector.broadcast(S, pw[t + 2]), a2);
            a3 = x.fma(FloatVector.broadcast(S, pw[t + 3]), a3);
            a4 = x.fma(FloatVector.broadcast(S, pw[t + 4]), a4);
            a5 = x.fma(FloatVector.broadcast(S, pw[t + 5]), a5);
            a6 = x.fma(FloatVector.broadcast(S, pw[t + 6]), a6);
            a7 = x.fma(FloatVector.broadcast(S, pw[t + 7]), a7);
        }
        if (0 < rows) a0.intoArray(out, outOff + pos);
        if (1 < rows) a1.intoArray(out, outOff + outStride + pos);
        if (2 < rows) a2.intoArray(out, outOff + 2 * outStride + pos);
        if (3 < rows) a3.intoArray(out, outOff + 3 * outStride + pos);
        if (4 < rows) a4.intoArray(out, outOff + 4 * outStride + pos);
        if (5 < rows) a5.intoArray(out, outOff + 5 * outStride + pos);
        if (6 < rows) a6.intoArray(out, outOff + 6 * outStride + pos);
        if (7 < rows) a7.intoArray(out, outOff + 7 * outStride + pos);
    }

    /**
     * {@link #correlate} for 16 vector registers: each 8-channel block of packed weights in two
     * passes, weights {@code 0-3} then {@code 4-7} of each tap, each pass
     * {@link #correlateFourChannels} (4 channels x 2 vectors of accumulators), or
     * {@link #correlateTwoChannels} when at most 2 of its channels are present.
     */
    private static void correlateFourChannelsAtATime(float[] in, int inOff, int channelStride, int rowWidth, int channels,
                                                     int kh, int kw, float[] pw, int outputs, float[] out, int outOff,
                                                     int outStride, int positions) {
        int[] tapAt = tapOffsets(channelStride, rowWidth, channels, kh, kw);
        int taps = tapAt.length;
        for (int o0 = 0; o0 < outputs; o0 += OUTPUT_BLOCK) {
            int wBase = (o0 / OUTPUT_BLOCK) * taps * OUTPUT_BLOCK;
            for (int half = 0; half < OUTPUT_BLOCK && o0 + half < outputs; half += 4) {
                int rows = Math.min(4, outputs - o0 - half);
                int weight0 = wBase + half, passOut = outOff + (o0 + half) * outStride;
                if (rows <= 2) correlateTwoChannels(in, inOff, tapAt, pw, weight0, rows, out, passOut, outStride, positions);
                else correlateFourChannels(in, inOff, tapAt, pw, weight0, rows, out, passOut, outStride, positions);
            }
        }
    }

    /**
     * {@link #correlateFourChannelsAtATime}'s pass over weights {@code half .. half + 3} of each tap
     * with 3 or 4 of those channels present ({@code rows}): 4 channels x 2 vectors, 8 accumulators,
     * 2 input vectors and a broadcast (11 of the 16 registers). Its own method, as the 32-register
     * tiles are: C2 then compiles each tile with its own profile (issue 25, e36013a).
     */
    private static void correlateFourChannels(float[] in, int inOff, int[] tapAt, float[] pw, int weight0, int rows,
                                              float[] out, int outOff, int outStride, int positions) {
        FloatVector z = FloatVector.zero(S);
        for (int pos = 0; pos < positions; pos += 2 * V) {
            FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
            int base = inOff + pos;
            for (int k = 0, t = weight0; k < tapAt.length; k++, t += OUTPUT_BLOCK) {
                int row = base + tapAt[k];
                FloatVector x0 = FloatVector.fromArray(S, in, row), x1 = FloatVector.fromArray(S, in, row + V);
                FloatVector w;
                w = FloatVector.broadcast(S, pw[t + 0]); a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
                w = FloatVector.broadcast(S, pw[t + 1]); a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
                w = FloatVector.broadcast(S, pw[t + 2]); a20 = x0.fma(w, a20); a21 = x1.fma(w, a21);
                w = FloatVector.broadcast(S, pw[t + 3]); a30 = x0.fma(w, a30); a31 = x1.fma(w, a31);
            }
            int r = outOff + pos;
            a00.intoArray(out, r); a01.intoArray(out, r + V);
            r += outStride; a10.intoArray(out, r); a11.intoArray(out, r + V);
            r += outStride; a20.intoArray(out, r); a21.intoArray(out, r + V);
            if (rows == 4) { r += outStride; a30.intoArray(out, r); a31.intoArray(out, r + V); }
        }
    }

    /**
     * {@link #correlateFourChannelsAtATime}'s pass over weights {@code half .. half + 3} of each tap
     * when at most 2 of those channels are present (the second pass of LeNet's first layer, 6
     * channels = 4 + 2): 2 channels x 4 vectors, the same 8 accumulators and 6 loads per 8 FMAs as
     * the 4 x 2 tile, without the FMAs of the two absent channels' zero weights; a 2 x 2 tile takes
     * the last two vectors when the positions are an odd number of pairs. Each accumulator sums the
     * same taps in the same order as the 4 x 2 tile.
     */
    private static void correlateTwoChannels(float[] in, int inOff, int[] tapAt, float[] pw, int weight0, int rows,
                                             float[] out, int outOff, int outStride, int positions) {
        FloatVector z = FloatVector.zero(S);
        int pos = 0;
        for (; pos + 4 * V <= positions; pos += 4 * V) {
            FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
            int base = inOff + pos;
            for (int k = 0, t = weight0; k < tapAt.length; k++, t += OUTPUT_BLOCK) {
                int row = base + tapAt[k];
                FloatVector x0 = FloatVector.fromArray(S, in, row), x1 = FloatVector.fromArray(S, in, row + V);
                FloatVector x2 = FloatVector.fromArray(S, in, row + 2 * V), x3 = FloatVector.fromArray(S, in, row + 3 * V);
                FloatVector w;
                w = FloatVector.broadcast(S, pw[t + 0]); a00 = x0.fma(w, a00); a01 = x1.fma(w, a01); a02 = x2.fma(w, a02); a03 = x3.fma(w, a03);
                w = FloatVector.broadcast(S, pw[t + 1]); a10 = x0.fma(w, a10); a11 = x1.fma(w, a11); a12 = x2.fma(w, a12); a13 = x3.fma(w, a13);
            }
            int r = outOff + pos;
            a00.intoArray(out, r); a01.intoArray(out, r + V); a02.intoArray(out, r + 2 * V); a03.intoArray(out, r + 3 * V);
            if (1 < rows) { r += outStride; a10.intoArray(out, r); a11.intoArray(out, r + V); a12.intoArray(out, r + 2 * V); a13.intoArray(out, r + 3 * V); }
        }
        if (pos < positions) {
            FloatVector a00 = z, a01 = z, a10 = z, a11 = z;
            int base = inOff + pos;
            for (int k = 0, t = weight0; k < tapAt.length; k++, t += OUTPUT_BLOCK) {
                int row = base + tapAt[k];
                FloatVector x0 = FloatVector.fromArray(S, in, row), x1 = FloatVector.fromArray(S, in, row + V);
                FloatVector w;
                w = FloatVector.broadcast(S, pw[t + 0]); a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
                w = FloatVector.broadcast(S, pw[t + 1]); a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
            }
            int r = outOff + pos;
            a00.intoArray(out, r); a01.intoArray(out, r + V);
            if (1 < rows) { r += outStride; a10.intoArray(out, r); a11.intoArray(out, r + V); }
        }
    }

    /**
     * {@code V} input positions at a time, two vectors per step so that two chains of dependent
     * adds overlap, and a masked vector for the last {@code length % V} (the outputs of the next
     * channel, or another image's, may follow straight on). Each lane sums from zero in the scalar
     * kernel's {@code (p, q)} order, so the bits are its bits.
     */
    @Override
    public void sumShiftedTaps(float[] cols, int colsOff, int colsStride, int rowWidth, int channels, int kh, int kw,
                               float[] out, int outOff, int outStride, int length) {
        FloatVector z = FloatVector.zero(S);
        for (int c = 0; c < channels; c++) {
            int rows = colsOff + c * kh * kw * colsStride, dst = outOff + c * outStride;
            int m = 0;
            for (; m + 2 * V <= length; m += 2 * V) {
                FloatVector s0 = z, s1 = z;
                int r = rows + m;
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++, r += colsStride) {
                        int at = r - p * rowWidth - q;
                        s0 = s0.add(FloatVector.fromArray(S, cols, at));
                        s1 = s1.add(FloatVector.fromArray(S, cols, at + V));
                    }
                }
                s0.intoArray(out, dst + m);
                s1.intoArray(out, dst + m + V);
            }
            for (; m < length; m += V) {
                VectorMask<Float> live = S.indexInRange(m, length);
                FloatVector s0 = z;
                int r = rows + m;
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++, r += colsStride) s0 = s0.add(FloatVector.fromArray(S, cols, r - p * rowWidth - q, live));
                }
                s0.intoArray(out, dst + m, live);
            }
        }
    }

    @Override
    public void weightGradient(float[] gy, int gyOff, int gyStride, int gyImageStride, int outputs,
                               float[] in, int inOff, int channelStride, int inImageStride, int rowWidth, int channels,
                               int kh, int kw, int positions, int images, float[] dw, int dwOff) {
        if (positions % positionBlock() != 0) {
            throw new IllegalArgumentException("positions = " + positions + ": expected a multiple of " + positionBlock());
        }
        int o = 0;
        // The accumulators go to this tile and are summed by addLaneSums: see there why.
        float[] tile = new float[20 * V];
        if (kw == 5 && SIXTEEN_REGISTERS) {
            o = weightGradientTwoChannelsFiveTaps(0, gy, gyOff, gyStride, gyImageStride, outputs, in, inOff, channelStride,
                    inImageStride, rowWidth, channels, kh, positions, images, dw, dwOff, tile);
        } else if (kw == 5) {
            // 5-wide kernels (LeNet's, AlexNet's 5x5 layers): a 4-channel x 5-tap tile, 20 accumulators;
            // per position vector 4 loads of dy and 5 shifted loads of x feed 20 FMAs.
            FloatVector z = FloatVector.zero(S);
            int step = channels * kh * kw;
            for (; o + 4 <= outputs; o += 4) {
                for (int c = 0; c < channels; c++) {
                    for (int p = 0; p < kh; p++) {
                        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s04 = z, s10 = z, s11 = z, s12 = z, s13 = z, s14 = z, s20 = z, s21 = z, s22 = z, s23 = z, s24 = z, s30 = z, s31 = z, s32 = z, s33 = z, s34 = z;
                        for (int img = 0; img < images; img++) {
                            int g = gyOff + img * gyImageStride + o * gyStride;
                            int x = inOff + img * inImageStride + c * channelStride + p * rowWidth;
                            for (int pos = 0; pos < positions; pos += V) {
                            FloatVector x0 = FloatVector.fromArray(S, in, x + pos + 0);
                            FloatVector x1 = FloatVector.fromArray(S, in, x + pos + 1);
                            FloatVector x2 = FloatVector.fromArray(S, in, x + pos + 2);
                            FloatVector x3 = FloatVector.fromArray(S, in, x + pos + 3);
                            FloatVector x4 = FloatVector.fromArray(S, in, x + pos + 4);
                            FloatVector g0 = FloatVector.fromArray(S, gy, g + 0 * gyStride + pos);
                            FloatVector g1 = FloatVector.fromArray(S, gy, g + 1 * gyStride + pos);
                            FloatVector g2 = FloatVector.fromArray(S, gy, g + 2 * gyStride + pos);
                            FloatVector g3 = FloatVector.fromArray(S, gy, g + 3 * gyStride + pos);
                            s00 = g0.fma(x0, s00); s01 = g0.fma(x1, s01); s02 = g0.fma(x2, s02); s03 = g0.fma(x3, s03); s04 = g0.fma(x4, s04);
                            s10 = g1.fma(x0, s10); s11 = g1.fma(x1, s11); s12 = g1.fma(x2, s12); s13 = g1.fma(x3, s13); s14 = g1.fma(x4, s14);
                            s20 = g2.fma(x0, s20); s21 = g2.fma(x1, s21); s22 = g2.fma(x2, s22); s23 = g2.fma(x3, s23); s24 = g2.fma(x4, s24);
                            s30 = g3.fma(x0, s30); s31 = g3.fma(x1, s31); s32 = g3.fma(x2, s32); s33 = g3.fma(x3, s33); s34 = g3.fma(x4, s34);
                            }
                        }
                        int d = dwOff + ((o * channels + c) * kh + p) * kw;
                        s00.intoArray(tile, 0 * V); s01.intoArray(tile, 1 * V); s02.intoArray(tile, 2 * V); s03.intoArray(tile, 3 * V); s04.intoArray(tile, 4 * V);
                        s10.intoArray(tile, 5 * V); s11.intoArray(tile, 6 * V); s12.intoArray(tile, 7 * V); s13.intoArray(tile, 8 * V); s14.intoArray(tile, 9 * V);
                        s20.intoArray(tile, 10 * V); s21.intoArray(tile, 11 * V); s22.intoArray(tile, 12 * V); s23.intoArray(tile, 13 * V); s24.intoArray(tile, 14 * V);
                        s30.intoArray(tile, 15 * V); s31.intoArray(tile, 16 * V); s32.intoArray(tile, 17 * V); s33.intoArray(tile, 18 * V); s34.intoArray(tile, 19 * V);
                        addLaneSums(tile, 4, 5, dw, d, step);
                    }
                }
            }
            // Two channels left (LeNet's first layer has 6): the 2 x 5 tile, not one accumulator chain per weight.
            o = weightGradientTwoChannelsFiveTaps(o, gy, gyOff, gyStride, gyImageStride, outputs, in, inOff, channelStride,
                    inImageStride, rowWidth, channels, kh, positions, images, dw, dwOff, tile);
        }
        for (; o + 4 <= outputs; o += 4) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                        for (int img = 0; img < images; img++) {
                            int g = gyOff + img * gyImageStride + o * gyStride;
                            int x = inOff + img * inImageStride + c * channelStride + p * rowWidth + q;
                            for (int pos = 0; pos < positions; pos += V) {
                                FloatVector xv = FloatVector.fromArray(S, in, x + pos);
                                s0 = FloatVector.fromArray(S, gy, g + pos).fma(xv, s0);
                                s1 = FloatVector.fromArray(S, gy, g + gyStride + pos).fma(xv, s1);
                                s2 = FloatVector.fromArray(S, gy, g + 2 * gyStride + pos).fma(xv, s2);
                                s3 = FloatVector.fromArray(S, gy, g + 3 * gyStride + pos).fma(xv, s3);
                            }
                        }
                        int d = dwOff + ((o * channels + c) * kh + p) * kw + q, step = channels * kh * kw;
                        s0.intoArray(tile, 0); s1.intoArray(tile, V); s2.intoArray(tile, 2 * V); s3.intoArray(tile, 3 * V);
                        addLaneSums(tile, 4, 1, dw, d, step);
                    }
                }
            }
        }
        for (; o < outputs; o++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        FloatVector s0 = FloatVector.zero(S);
                        for (int img = 0; img < images; img++) {
                            int g = gyOff + img * gyImageStride + o * gyStride;
                            int x = inOff + img * inImageStride + c * channelStride + p * rowWidth + q;
                            for (int pos = 0; pos < positions; pos += V) {
                                s0 = FloatVector.fromArray(S, gy, g + pos).fma(FloatVector.fromArray(S, in, x + pos), s0);
                            }
                        }
                        s0.intoArray(tile, 0);
                        addLaneSums(tile, 1, 1, dw, dwOff + ((o * channels + c) * kh + p) * kw + q, 0);
                    }
                }
            }
        }
    }

    /**
     * The 5-wide weight gradient for 16 vector registers: 2 output channels x 5 taps (10
     * accumulators); per position vector 2 loads of dy, then each shifted input in turn behind a
     * compiler fence (no instruction on x86) so that one is live at a time. Starts at output
     * channel {@code from} (with 32 registers: the pairs the 4-channel tile leaves); returns the
     * first output channel it did not do (the caller's loops take the rest).
     */
    private static int weightGradientTwoChannelsFiveTaps(int from, float[] gy, int gyOff, int gyStride, int gyImageStride, int outputs,
                                                         float[] in, int inOff, int channelStride, int inImageStride,
                                                         int rowWidth, int channels, int kh, int positions, int images,
                                                         float[] dw, int dwOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        int kw = 5, step = channels * kh * kw, o = from;
        for (; o + 2 <= outputs; o += 2) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < kh; p++) {
                    FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s04 = z, s10 = z, s11 = z, s12 = z, s13 = z, s14 = z;
                    for (int img = 0; img < images; img++) {
                        int g = gyOff + img * gyImageStride + o * gyStride;
                        int x = inOff + img * inImageStride + c * channelStride + p * rowWidth;
                        for (int pos = 0; pos < positions; pos += V) {
                            FloatVector g0 = FloatVector.fromArray(S, gy, g + pos);
                            FloatVector g1 = FloatVector.fromArray(S, gy, g + gyStride + pos);
                            FloatVector xq = FloatVector.fromArray(S, in, x + pos);
                            s00 = g0.fma(xq, s00); s10 = g1.fma(xq, s10);
                            VarHandle.loadLoadFence();
                            xq = FloatVector.fromArray(S, in, x + pos + 1);
                            s01 = g0.fma(xq, s01); s11 = g1.fma(xq, s11);
                            VarHandle.loadLoadFence();
                            xq = FloatVector.fromArray(S, in, x + pos + 2);
                            s02 = g0.fma(xq, s02); s12 = g1.fma(xq, s12);
                            VarHandle.loadLoadFence();
                            xq = FloatVector.fromArray(S, in, x + pos + 3);
                            s03 = g0.fma(xq, s03); s13 = g1.fma(xq, s13);
                            VarHandle.loadLoadFence();
                            xq = FloatVector.fromArray(S, in, x + pos + 4);
                            s04 = g0.fma(xq, s04); s14 = g1.fma(xq, s14);
                        }
                    }
                    int d = dwOff + ((o * channels + c) * kh + p) * kw;
                    s00.intoArray(tile, 0); s01.intoArray(tile, V); s02.intoArray(tile, 2 * V); s03.intoArray(tile, 3 * V); s04.intoArray(tile, 4 * V);
                    s10.intoArray(tile, 5 * V); s11.intoArray(tile, 6 * V); s12.intoArray(tile, 7 * V); s13.intoArray(tile, 8 * V); s14.intoArray(tile, 9 * V);
                    addLaneSums(tile, 2, 5, dw, d, step);
                }
            }
        }
        return o;
    }

    /**
     * {@code dw[d + r * step + q] += } the lanes' sum ({@link VectorArrayKernels#sumLanes}) of row
     * {@code r * taps + q} of {@code tile}, for {@code r < rows, q < taps}. The weight gradient's
     * tiles store their accumulators and sum them here rather than call {@code sumLanes} in place:
     * its loops are too large for C2 to inline {@code sumLanes} there ({@code NodeCountInliningCutoff}),
     * and each call then boxed its vector on the heap (12% of LeNet's step, issue 25). Here it
     * inlines. The sums and their order are the same, so are the bits.
     */
    private static void addLaneSums(float[] tile, int rows, int taps, float[] dw, int d, int step) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < taps; q++) {
                dw[d + r * step + q] += VectorArrayKernels.sumLanes(FloatVector.fromArray(S, tile, (r * taps + q) * V));
            }
        }
    }
}
