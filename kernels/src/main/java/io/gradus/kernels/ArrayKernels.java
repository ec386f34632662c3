package io.gradus.kernels;

import io.gradus.kernels.internal.SimdSupport;

/**
 * Elementwise and reduction primitives on {@code (float[] array, int offset)} slices of a given
 * length, BLAS style: no objects, no allocation, every argument checked.
 *
 * <p>Two implementations exist: {@link ScalarArrayKernels} (plain loops, the reference and the
 * fallback) and {@code io.gradus.kernels.vector.VectorArrayKernels} (the Vector API). {@link #get()}
 * returns the one chosen once at start-up by {@code SimdSupport}.
 *
 * <p>Elementwise results are bit-identical between the two implementations (except {@link #exp},
 * which may differ by an ulp); reductions (sum, dot, norms) add in a different order and agree to
 * rounding. Output slices may alias input slices exactly ({@code out == a} and {@code outOff == aOff}).
 *
 * <p>Vector width. Elementwise kernels give the same bits at every width (512, 256 or 128 bits, or
 * scalar). A reduction's summation order follows the vector width (one partial sum per lane, lanes
 * added by a fixed halving tree), so a sum or dot product may differ in its last bits between an
 * AVX-512 machine, an AVX2 machine and NEON; the tests bound the difference against a double-precision
 * sum ({@code ArrayKernelsTest}, run at all four widths). On one machine a result never depends
 * on the thread count or on the call.
 */
public interface ArrayKernels {

    /** The implementation chosen at start-up (see {@code SimdSupport}). */
    static ArrayKernels get() {
        return SimdSupport.arrayKernels();
    }

    /** A short name of the implementation, e.g. {@code "vector(512-bit, element-wise 256-bit)"} or {@code "scalar"}. */
    String name();

    /** {@code x[i] = value}. */
    void fill(float[] x, int xOff, float value, int n);

    /** {@code dst[i] = src[i]}. */
    void copy(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** {@code x[i] *= alpha} (BLAS {@code sscal}). */
    void scale(float alpha, float[] x, int xOff, int n);

    /** {@code y[i] += alpha * x[i]} (BLAS {@code saxpy}). */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code out[i] = a[i] + b[i]}. */
    void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] - b[i]}. */
    void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] * b[i]}. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] / b[i]}. */
    void div(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] + s}. */
    void add(float[] a, int aOff, float s, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] - s}. */
    void sub(float[] a, int aOff, float s, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] * s}. */
    void mul(float[] a, int aOff, float s, float[] out, int outOff, int n);

    /** {@code out[i] = a[i] / s}. */
    void div(float[] a, int aOff, float s, float[] out, int outOff, int n);

    /** {@code out[i] = fma(a[i], b[i], c[i])}: one rounding, as {@link Math#fma(float, float, float)}. */
    void fma(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] out, int outOff, int n);

    /** {@code sum_i x[i] * y[i]} (BLAS {@code sdot}). */
    float dot(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code sum_i x[xOff + i*incX] * y[yOff + i*incY]}; strides are at least 1. */
    float dot(float[] x, int xOff, int incX, float[] y, int yOff, int incY, int n);

    /**
     * All pairwise dot products of {@code m} rows of A with {@code n} rows of B, each of length
     * {@code len}: {@code out[outOff + i*n + j] = sum_p a[aOff + i*lda + p] * b[bOff + j*ldb + p]}.
     * The vector implementation keeps a block of rows in registers so each loaded element serves
     * several products.
     */
    void dots(int m, int n, int len, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float[] out, int outOff);

    /** {@code sum_i x[i]}; 0 for an empty slice. */
    float sum(float[] x, int xOff, int n);

    /** {@code sum_i x[i]^2}; 0 for an empty slice. */
    float sumOfSquares(float[] x, int xOff, int n);

    /**
     * Elements per chunk of a long reduction (a parallel task on the CPU, a work-group on a device):
     * the one chunk size of Gradus's sums of squares and of the optimizer's parallel passes.
     */
    int REDUCTION_CHUNK = 1 << 16;

    /**
     * A long sum of squares from its chunks' float partial sums ({@link #sumOfSquares} of each chunk
     * of {@link #REDUCTION_CHUNK}, or a device's reduction of it): the partials added in chunk order
     * in double, so the result depends neither on the thread count nor on the order the chunks were
     * computed in. A partial that overflowed float (or that holds a genuine infinity) is replaced by
     * {@code exactChunk(c)}, that chunk summed again in double; NaN stays NaN.
     */
    static double addChunkPartials(float[] partials, java.util.function.IntToDoubleFunction exactChunk) {
        double s = 0;
        for (int c = 0; c < partials.length; c++) s += Float.isInfinite(partials[c]) ? exactChunk.applyAsDouble(c) : partials[c];
        return s;
    }

    /**
     * The Euclidean norm {@code sqrt(sum_i x[i]^2)}. Accumulated in float; adequate for the
     * gradients and parameters of chapter 11 (it overflows only past about 1.8e19 in norm).
     */
    float norm2(float[] x, int xOff, int n);

    /**
     * The largest element, with {@link Math#max(float, float)} semantics: NaN if any element is NaN.
     *
     * @throws IllegalArgumentException if {@code n == 0} (the maximum of nothing is undefined)
     */
    float max(float[] x, int xOff, int n);

    /**
     * The index (relative to {@code xOff}) of the first largest element; as NumPy, the first NaN
     * wins if there is one.
     *
     * @throws IllegalArgumentException if {@code n == 0}
     */
    int argmax(float[] x, int xOff, int n);

    /** {@code out[i] = max(x[i], 0)} (NaN stays NaN). */
    void relu(float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * The backward pass of ReLU: {@code gradIn[i] = x[i] > 0 ? gradOut[i] : 0}, where {@code x} is
     * the ReLU's input.
     */
    void reluBackward(float[] x, int xOff, float[] gradOut, int gOff, float[] gradIn, int giOff, int n);

    /** {@code out[i] = exp(x[i])}, within an ulp or so of {@link Math#exp(double)} rounded to float. */
    void exp(float[] x, int xOff, float[] out, int outOff, int n);
}
