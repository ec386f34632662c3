package io.gradus.gpu;

import io.gradus.kernels.gemm.Gemm;

/**
 * Matrix products on {@link DeviceArray}s: row-major {@code C = alpha op(A) op(B) + beta C} with
 * BLAS's argument order (offsets and leading dimensions in floats), as {@link Gemm#sgemm} on the
 * CPU. On the host device it is that CPU SGEMM on the arrays' Java storage.
 *
 * <h2>The OpenCL kernel</h2>
 * Each work-group of 16 x 16 work-items computes a 128 x 128 block of C; each work-item an 8 x 8
 * sub-tile held in registers, its rows {@code ty + 16 r} and columns {@code tx + 16 c} (strided, so
 * that neighbouring work-items store neighbouring columns and read neighbouring local-memory
 * words). The k dimension is walked in slices of 16: the group copies a 128 x 16 slice of op(A)
 * and a 16 x 128 slice of op(B) into local memory (8 floats each per work-item, the transposes
 * resolved in this copy, zeros past the matrix edges), meets at a barrier, and every work-item
 * does 16 x 64 multiply-adds from registers. Edge blocks are the same code: loads past the edge
 * read zero, stores past it are skipped; {@code beta == 0} never reads C. The shape follows the
 * register-blocked kernel measured on an H200 (8 x 8 per item, 128 x 128 per group: 26 TFLOPS at
 * n = 8192 written with Aparapi); this one is written in OpenCL C directly.
 */
public final class DeviceBlas {
    private DeviceBlas() {}

    /** Rows and columns of C per work-group. */
    static final int TILE = 128;
    /** Work-items per work-group side. */
    static final int GROUP_SIDE = 16;

    static final String SOURCE = """
            #define TILE 128
            #define SIDE 16
            #define PER 8
            #define KT 16
            /* C = alpha acc + beta C over the work-item's 8 x 8 sub-tile, skipping what lies past the
               matrix; beta == 0 never reads C (both kernels end so) */
            #define STORE_TILE() \
                for (int r = 0; r < PER; r++) { \
                    int row = row0 + ty + SIDE * r; \
                    if (row >= m) continue; \
                    for (int c = 0; c < PER; c++) { \
                        int col = col0 + tx + SIDE * c; \
                        if (col >= n) continue; \
                        int idx = cOff + row * ldc + col; \
                        C[idx] = beta == 0.0f ? alpha * acc[r][c] : alpha * acc[r][c] + beta * C[idx]; \
                    } \
                }
            __kernel __attribute__((reqd_work_group_size(SIDE, SIDE, 1)))
            void sgemm(const int transA, const int transB, const int m, const int n, const int k, const float alpha,
                       __global const float* A, const int aOff, const int lda,
                       __global const float* B, const int bOff, const int ldb, const float beta,
                       __global float* C, const int cOff, const int ldc) {
                __local float As[KT][TILE];
                __local float Bs[KT][TILE];
                int tx = get_local_id(0), ty = get_local_id(1);
                int col0 = get_group_id(0) * TILE, row0 = get_group_id(1) * TILE;
                int lid = ty * SIDE + tx;
                float acc[PER][PER];
                for (int r = 0; r < PER; r++) for (int c = 0; c < PER; c++) acc[r][c] = 0.0f;
                for (int p0 = 0; p0 < k; p0 += KT) {
                    /* 2048 elements of each slice, 8 per work-item */
                    for (int e = lid; e < KT * TILE; e += SIDE * SIDE) {
                        int pa = e / TILE, ia = e % TILE;          /* As[pa][ia] = op(A)(row0 + ia, p0 + pa) */
                        int row = row0 + ia, p = p0 + pa;
                        float va = 0.0f;
                        if (row < m && p < k) va = transA ? A[aOff + p * lda + row] : A[aOff + row * lda + p];
                        As[pa][ia] = va;
                        int jb = e % TILE, pb = e / TILE;          /* Bs[pb][jb] = op(B)(p0 + pb, col0 + jb) */
                        int col = col0 + jb, q = p0 + pb;
                        float vb = 0.0f;
                        if (col < n && q < k) vb = transB ? B[bOff + col * ldb + q] : B[bOff + q * ldb + col];
                        Bs[pb][jb] = vb;
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                    for (int p = 0; p < KT; p++) {
                        float a[PER], b[PER];
                        for (int r = 0; r < PER; r++) a[r] = As[p][ty + SIDE * r];
                        for (int c = 0; c < PER; c++) b[c] = Bs[p][tx + SIDE * c];
                        for (int r = 0; r < PER; r++)
                            for (int c = 0; c < PER; c++) acc[r][c] = fma(a[r], b[c], acc[r][c]);
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                STORE_TILE();
            }
            /* The same blocking, with every global load coalesced whatever the transposes: a slice of
               op(A) is read along A's rows when A is not transposed (consecutive work-items, consecutive
               p) and along its columns when it is; likewise op(B). The local tiles are padded by one
               column so that the column-wise stores do not meet in one bank; the register loops are
               unrolled so acc, a and b stay in registers. */
            __kernel __attribute__((reqd_work_group_size(SIDE, SIDE, 1)))
            void sgemm_coalesced(const int transA, const int transB, const int m, const int n, const int k, const float alpha,
                       __global const float* A, const int aOff, const int lda,
                       __global const float* B, const int bOff, const int ldb, const float beta,
                       __global float* C, const int cOff, const int ldc) {
                __local float As[KT][TILE + 1];
                __local float Bs[KT][TILE + 1];
                int tx = get_local_id(0), ty = get_local_id(1);
                int col0 = get_group_id(0) * TILE, row0 = get_group_id(1) * TILE;
                int lid = ty * SIDE + tx;
                float acc[PER][PER];
                #pragma unroll
                for (int r = 0; r < PER; r++)
                    #pragma unroll
                    for (int c = 0; c < PER; c++) acc[r][c] = 0.0f;
                for (int p0 = 0; p0 < k; p0 += KT) {
                    for (int e = lid; e < KT * TILE; e += SIDE * SIDE) {
                        /* op(A)(row0 + ia, p0 + pa): A[row][p] (p fastest) or, transposed, A[p][row] (row fastest) */
                        int pa = transA ? e / TILE : e % KT, ia = transA ? e % TILE : e / KT;
                        int row = row0 + ia, p = p0 + pa;
                        float va = 0.0f;
                        if (row < m && p < k) va = transA ? A[aOff + p * lda + row] : A[aOff + row * lda + p];
                        As[pa][ia] = va;
                        /* op(B)(p0 + pb, col0 + jb): B[q][col] (col fastest) or, transposed, B[col][q] (q fastest) */
                        int pb = transB ? e % KT : e / TILE, jb = transB ? e / KT : e % TILE;
                        int col = col0 + jb, q = p0 + pb;
                        float vb = 0.0f;
                        if (col < n && q < k) vb = transB ? B[bOff + col * ldb + q] : B[bOff + q * ldb + col];
                        Bs[pb][jb] = vb;
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                    #pragma unroll
                    for (int p = 0; p < KT; p++) {
                        float a[PER], b[PER];
                        #pragma unroll
                        for (int r = 0; r < PER; r++) a[r] = As[p][ty + SIDE * r];
                        #pragma unroll
                        for (int c = 0; c < PER; c++) b[c] = Bs[p][tx + SIDE * c];
                        #pragma unroll
                        for (int r = 0; r < PER; r++)
                            #pragma unroll
                            for (int c = 0; c < PER; c++) acc[r][c] = fma(a[r], b[c], acc[r][c]);
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                STORE_TILE();
            }
            """;

    /**
     * The two OpenCL SGEMM kernels: {@link #TILED}, the first (loads along op(A)'s rows, strided in
     * memory when A is not transposed), and {@link #COALESCED}, the same blocking with loads that
     * follow memory for every transpose, padded local tiles and unrolled register loops. Both give
     * the same sums in the same order. The default is {@code -Dgradus.sgemm=tiled|coalesced}, else
     * TILED until a GPU run measures the two side by side (DeviceCheck does).
     */
    public enum Variant {
        TILED("sgemm"), COALESCED("sgemm_coalesced");

        private final String kernel;

        Variant(String kernel) {
            this.kernel = kernel;
        }

        /** The variant {@code -Dgradus.sgemm} names, TILED when unset. */
        public static Variant fromProperty() {
            String v = System.getProperty("gradus.sgemm", "tiled").trim();
            for (Variant x : values()) if (x.name().equalsIgnoreCase(v)) return x;
            throw new IllegalArgumentException("-Dgradus.sgemm = " + v + ": expected tiled or coalesced");
        }
    }

    private static final class DefaultVariant {
        static final Variant VALUE = Variant.fromProperty();
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on the device, where {@code op(X)} is X or its
     * transpose; op(A) is m x k, op(B) is k x n, C is m x n, all row-major with leading dimensions
     * {@code lda}, {@code ldb}, {@code ldc}. When {@code beta == 0} C is not read. Returns once the
     * launch is queued.
     *
     * @throws IllegalArgumentException on a negative size, a leading dimension smaller than the
     *                                  stored row, arrays too short, or arrays of different contexts
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             DeviceArray a, int aOff, int lda, DeviceArray b, int bOff, int ldb,
                             float beta, DeviceArray c, int cOff, int ldc) {
        sgemm(DefaultVariant.VALUE, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #sgemm(boolean, boolean, int, int, int, float, DeviceArray, int, int, DeviceArray, int, int, float, DeviceArray, int, int)} with the kernel {@code variant}. */
    public static void sgemm(Variant variant, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             DeviceArray a, int aOff, int lda, DeviceArray b, int bOff, int ldb,
                             float beta, DeviceArray c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("m = " + m + ", n = " + n + ", k = " + k + ": expected >= 0");
        DeviceContext ctx = a.context();
        if (b.context() != ctx || c.context() != ctx) {
            throw new IllegalArgumentException("A, B and C: expected arrays of one context");
        }
        matrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        matrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        matrix("C", c, cOff, m, n, ldc);
        if (m == 0 || n == 0) return;
        if (!ctx.isOpenCL()) {
            Gemm.sgemm(transA, transB, m, n, k, alpha, a.host(), aOff, lda, b.host(), bOff, ldb, beta, c.host(), cOff, ldc);
            return;
        }
        int groupsX = (n + TILE - 1) / TILE, groupsY = (m + TILE - 1) / TILE;
        ctx.kernel(SOURCE, variant.kernel).launch2d(groupsX * GROUP_SIDE, groupsY * GROUP_SIDE, GROUP_SIDE, GROUP_SIDE,
                transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** A rows x cols matrix with leading dimension ld at offset off must fit in the array. */
    static void matrix(String name, DeviceArray x, int off, int rows, int cols, int ld) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " is smaller than its row length " + cols);
        }
        if (off < 0) throw new IllegalArgumentException(name + ": offset " + off + " is negative");
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (end > x.length()) {
            throw new IllegalArgumentException(name + ": a " + rows + " x " + cols + " matrix with leading dimension " + ld
                    + " at offset " + off + " needs " + end + " floats, the device array has " + x.length());
        }
    }
}
