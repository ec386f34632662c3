package io.gradus.core.tensor;

import io.gradus.kernels.gemm.Gemm;
import java.util.Arrays;

/** Matrix products on tensors through the kernels' SGEMM. */
final class MatMul {
    private MatMul() {}

    /** A matrix as SGEMM sees it: storage, offset, leading dimension, and whether it is stored transposed. */
    private record Operand(float[] data, int offset, int ld, boolean transposed) {}

    /** The last two axes of {@code t} (from {@code offset}) as an SGEMM operand, copying only if neither layout fits. */
    private static Operand operand(Tensor t, int offset) {
        int r = t.rank();
        int rows = t.shape[r - 2], cols = t.shape[r - 1];
        int sr = t.strides[r - 2], sc = t.strides[r - 1];
        if (sc == 1 && sr >= Math.max(1, cols)) return new Operand(t.data, offset, sr, false);
        if (sr == 1 && sc >= Math.max(1, rows)) return new Operand(t.data, offset, sc, true);
        return null;
    }

    private static void gemm(Tensor a, int aOff, Tensor b, int bOff, Tensor c, int cOff, int m, int n, int k) {
        Operand oa = operand(a, aOff), ob = operand(b, bOff);
        Gemm.sgemm(oa.transposed(), ob.transposed(), m, n, k, 1f, oa.data(), oa.offset(), oa.ld(),
                ob.data(), ob.offset(), ob.ld(), 0f, c.data, cOff, n);
    }

    private static Tensor usable(Tensor t) {
        return operand(t, t.offset) != null ? t : t.dense();
    }

    static Tensor forward(Tensor a0, Tensor b0) {
        if (a0.rank() < 2 || a0.rank() > 3 || b0.rank() < 2 || b0.rank() > 3 || (a0.rank() == 2 && b0.rank() == 3)) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(a0.shape) + " x " + Arrays.toString(b0.shape)
                    + ": expected [m, k] x [k, n], [b, m, k] x [b, k, n] or [b, m, k] x [k, n]");
        }
        int m = a0.shape[a0.rank() - 2], k = a0.shape[a0.rank() - 1];
        int k2 = b0.shape[b0.rank() - 2], n = b0.shape[b0.rank() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(a0.shape) + " x " + Arrays.toString(b0.shape)
                    + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        Tensor a = usable(a0), b = usable(b0);
        if (a.rank() == 2) {
            Tensor c = Tensor.zeros(m, n);
            gemm(a, a.offset, b, b.offset, c, 0, m, n, k);
            return c;
        }
        int batch = a.shape[0];
        if (b.rank() == 3 && b.shape[0] != batch) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(a0.shape) + " x " + Arrays.toString(b0.shape)
                    + ": batch sizes " + batch + " and " + b.shape[0] + " differ");
        }
        Tensor c = Tensor.zeros(batch, m, n);
        for (int i = 0; i < batch; i++) {
            int bOff = b.rank() == 3 ? b.offset + i * b.strides[0] : b.offset;
            gemm(a, a.offset + i * a.strides[0], b, bOff, c, i * m * n, m, n, k);
        }
        return c;
    }

    /** Gradients of {@code C = A B}: {@code dA = G B^T}, {@code dB = A^T G} (summed over a shared B's batch). */
    static Tensor[] backward(Tensor a, Tensor b, boolean needA, boolean needB, Tensor g) {
        Tensor da = needA ? g.matmul(b.transpose()) : null;
        Tensor db;
        if (!needB) {
            db = null;
        } else if (a.rank() == 3 && b.rank() == 2) {
            Tensor a2 = a.packed().reshape(-1, a.shape[2]);
            Tensor g2 = g.packed().reshape(-1, g.shape[2]);
            db = a2.transpose().matmul(g2);
        } else {
            db = a.transpose().matmul(g);
        }
        return new Tensor[] {da, db};
    }
}
