package io.gradus.gpu;

import io.gradus.kernels.gemm.Gemm;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The device SGEMM against the CPU SGEMM, on the selected device (pocl in CI) and on the host device. */
class DeviceBlasTest {

    static final DeviceContext DEVICE = DeviceContext.open(DeviceProbe.selected());
    static final DeviceContext HOST = DeviceContext.open(GpuDevice.host());

    @AfterAll
    static void close() {
        DEVICE.close();
        HOST.close();
    }

    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = 2 * r.nextFloat() - 1;
        return x;
    }

    /** Every transpose, alpha and beta (0 with NaN in C: never read), shapes around the 128 x 128 block and odd ones. */
    @Test
    void matchesTheCpuSgemmOnManyShapes() {
        Random r = new Random(5);
        int[][] shapes = {{1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {17, 13, 29}, {127, 129, 15}, {128, 128, 16}, {130, 257, 33},
                {64, 300, 1}, {3, 5, 0}};
        for (DeviceContext ctx : List.of(DEVICE, HOST)) {
          for (DeviceBlas.Variant variant : DeviceBlas.Variant.values()) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                for (int mode = 0; mode < 4; mode++) {
                    boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0;
                    float alpha = mode == 3 ? -0.5f : 1.25f, beta = mode % 2 == 0 ? 0f : 0.75f;
                    int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                    int aOff = 3, bOff = 1, cOff = 2;
                    float[] a = random(r, aOff + (ta ? k : m) * lda), b = random(r, bOff + (tb ? n : k) * ldb);
                    float[] c = random(r, cOff + m * ldc);
                    if (beta == 0) java.util.Arrays.fill(c, cOff, c.length, Float.NaN);
                    float[] want = c.clone();
                    Gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
                    try (DeviceArray da = ctx.upload(a); DeviceArray db = ctx.upload(b); DeviceArray dc = ctx.upload(c)) {
                        DeviceBlas.sgemm(variant, ta, tb, m, n, k, alpha, da, aOff, lda, db, bOff, ldb, beta, dc, cOff, ldc);
                        float[] got = dc.download();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < ldc; j++) {
                                int idx = cOff + i * ldc + j;
                                if (j >= n) {
                                    assertEquals(Float.floatToRawIntBits(c[idx]), Float.floatToRawIntBits(got[idx]), "outside C");
                                    continue;
                                }
                                assertEquals(want[idx], got[idx], 1e-5f * (k + 2), ctx + " " + variant + " " + m + "x" + n + "x" + k
                                        + " ta=" + ta + " tb=" + tb + " at " + i + "," + j);
                            }
                        }
                    }
                }
            }
          }
        }
    }

    /** The two kernels add the same terms in the same order: their results are equal to the bit. */
    @Test
    void theTwoVariantsAgreeToTheBit() {
        Random r = new Random(11);
        int m = 130, n = 257, k = 33;
        for (int mode = 0; mode < 4; mode++) {
            boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0;
            float[] a = random(r, m * k), b = random(r, k * n);
            try (DeviceArray da = DEVICE.upload(a); DeviceArray db = DEVICE.upload(b); DeviceArray c1 = DEVICE.allocate(m * n);
                 DeviceArray c2 = DEVICE.allocate(m * n)) {
                DeviceBlas.sgemm(DeviceBlas.Variant.TILED, ta, tb, m, n, k, 1f, da, 0, ta ? m : k, db, 0, tb ? k : n, 0f, c1, 0, n);
                DeviceBlas.sgemm(DeviceBlas.Variant.COALESCED, ta, tb, m, n, k, 1f, da, 0, ta ? m : k, db, 0, tb ? k : n, 0f, c2, 0, n);
                assertArrayEquals(c1.download(), c2.download(), "ta=" + ta + " tb=" + tb);
            }
        }
        assertEquals(DeviceBlas.Variant.TILED, DeviceBlas.Variant.fromProperty(), "the default, with -Dgradus.sgemm unset");
    }

    /** A big odd product checked by residual: C t against alpha A (B t) in double, O(n^2), no reference GEMM. */
    @Test
    void aLargeOddProductPassesTheResidualCheck() {
        int m = 4097, n = 513, k = 1025;
        Random r = new Random(9);
        float[] a = random(r, m * k), b = random(r, k * n);
        try (DeviceArray da = DEVICE.upload(a); DeviceArray db = DEVICE.upload(b); DeviceArray dc = DEVICE.allocate(m * n)) {
            DeviceBlas.sgemm(false, false, m, n, k, 1f, da, 0, k, db, 0, n, 0f, dc, 0, n);
            float[] c = dc.download();
            double[] t = new double[n];
            for (int j = 0; j < n; j++) t[j] = r.nextGaussian();
            double[] bt = new double[k];
            for (int p = 0; p < k; p++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += b[p * n + j] * t[j];
                bt[p] = s;
            }
            double worst = 0, scale = 0;
            for (int i = 0; i < m; i++) {
                double ct = 0, abt = 0;
                for (int j = 0; j < n; j++) ct += c[i * n + j] * t[j];
                for (int p = 0; p < k; p++) abt += a[i * k + p] * bt[p];
                worst = Math.max(worst, Math.abs(ct - abt));
                scale = Math.max(scale, Math.abs(abt));
            }
            // float32 sums of 1025 products of |x| <= 1, then 513 weighted by N(0, 1): a few 1e-3 at most.
            assertTrue(worst < 1e-5 * Math.sqrt(k) * Math.sqrt(n) * 20, "residual " + worst + " (scale " + scale + ")");
        }
    }

    @Test
    void badShapesAreRefusedWithTheirSizes() {
        try (DeviceArray a = HOST.allocate(10); DeviceArray b = HOST.allocate(10); DeviceArray c = HOST.allocate(10)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceBlas.sgemm(false, false, 4, 3, 3, 1f, a, 0, 3, b, 0, 3, 0f, c, 0, 3));
            assertEquals("A: a 4 x 3 matrix with leading dimension 3 at offset 0 needs 12 floats, the device array has 10", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceBlas.sgemm(false, false, 2, 3, 3, 1f, a, 0, 2, b, 0, 3, 0f, c, 0, 3));
            assertEquals("A: leading dimension 2 is smaller than its row length 3", e.getMessage());
        }
    }
}
