package io.gradus.kernels.gemm;

/**
 * The only architecture-aware piece of the SGEMM: an {@code MR x NR} register tile.
 *
 * <p>Contract (the packed-panel layout of KERNELS.md): {@code a[aOff + p*MR + i]} holds
 * {@code alpha * A(i, p)} and {@code b[bOff + p*NR + j]} holds {@code B(p, j)}, for
 * {@code p < kc}, {@code i < MR}, {@code j < NR}. The kernel computes, for every {@code i < MR},
 * {@code j < NR}:
 * <pre>  C[cOff + i*ldc + j] = beta * C[cOff + i*ldc + j] + sum_p a(i, p) * b(p, j)</pre>
 * and when {@code beta == 0} it does not read C at all (so NaN in C does not propagate). Partial
 * tiles never reach a micro-kernel: the driver lets it write a full tile into a scratch buffer.
 *
 * <p>The panels are {@code float[]}, not 64-byte aligned {@code MemorySegment}s: the segment
 * version of the 12-row kernel was tried and C2 gave up on it (0.7 GFLOPS: the unrolled body with
 * segment accessors exceeds its inlining budget), while the 8-row one gained nothing measurable.
 */
public interface SgemmMicroKernel {

    /** Block sizes tuned for this kernel. */
    GemmBlocking blocking();

    /** A name that says what it is, e.g. {@code "Sgemm8x32 (Vector API, 512-bit)"}. */
    String name();

    void compute(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta);

    /**
     * The inner loop of packing B ({@code Packing.packB}): copies {@code rows} rows of {@code NR}
     * floats, {@code ldb} apart in {@code b} from {@code src}, to consecutive rows of a packed B
     * micro-panel from {@code dst[dstOff]}:
     * <pre>  dst[dstOff + p*NR + j] = b[src + p*ldb + j]    for p &lt; rows, j &lt; NR</pre>
     * A row is 32-128 bytes, so {@code System.arraycopy} (this default) spends more on each call
     * than on the copy; a vector kernel overrides it with {@code NR / VLEN} loads and stores per row,
     * as BLIS pairs each micro-kernel with packing kernels of its own width (KERNELS.md, on
     * packing). Only full-width rows come here: the last, partial panel is the packing's.
     */
    default void packRowsOfB(int rows, float[] b, int src, int ldb, float[] dst, int dstOff) {
        int nr = blocking().nr();
        for (int p = 0; p < rows; p++, src += ldb, dstOff += nr) {
            System.arraycopy(b, src, dst, dstOff, nr);
        }
    }
}
