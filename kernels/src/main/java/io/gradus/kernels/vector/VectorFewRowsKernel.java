package io.gradus.kernels.vector;

import io.gradus.kernels.gemm.FewRowsKernel;
import io.gradus.kernels.gemm.ScalarFewRowsKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FewRowsKernel} with a 4 x (4 vectors) tile of FMA accumulators (4 x 64 floats with AVX-512):
 * each step p loads four vectors of row p of B and broadcasts four values of A for sixteen FMAs.
 * Column blocks narrower than the tile go to the scalar kernel.
 */
public final class VectorFewRowsKernel implements FewRowsKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    public static final VectorFewRowsKernel INSTANCE = new VectorFewRowsKernel();

    private VectorFewRowsKernel() {}

    @Override
    public int columns() {
        return 4 * V;
    }

    @Override
    public void compute(int k, int cols, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, int j0, boolean accumulate) {
        if (cols != 4 * V) {
            ScalarFewRowsKernel.INSTANCE.compute(k, cols, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, j0, accumulate);
            return;
        }
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int p = 0; p < k; p++) {
            int bi = bOff + p * ldb + j0;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        int r0 = cOff + j0, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        store(c00, c, r0, alpha, accumulate); store(c01, c, r0 + V, alpha, accumulate);
        store(c02, c, r0 + 2 * V, alpha, accumulate); store(c03, c, r0 + 3 * V, alpha, accumulate);
        store(c10, c, r1, alpha, accumulate); store(c11, c, r1 + V, alpha, accumulate);
        store(c12, c, r1 + 2 * V, alpha, accumulate); store(c13, c, r1 + 3 * V, alpha, accumulate);
        store(c20, c, r2, alpha, accumulate); store(c21, c, r2 + V, alpha, accumulate);
        store(c22, c, r2 + 2 * V, alpha, accumulate); store(c23, c, r2 + 3 * V, alpha, accumulate);
        store(c30, c, r3, alpha, accumulate); store(c31, c, r3 + V, alpha, accumulate);
        store(c32, c, r3 + 2 * V, alpha, accumulate); store(c33, c, r3 + 3 * V, alpha, accumulate);
    }

    private static void store(FloatVector acc, float[] c, int at, float alpha, boolean accumulate) {
        FloatVector v = acc.mul(alpha);
        if (accumulate) v = v.add(FloatVector.fromArray(S, c, at));
        v.intoArray(c, at);
    }
}
