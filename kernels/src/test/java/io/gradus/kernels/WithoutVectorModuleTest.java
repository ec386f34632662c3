package io.gradus.kernels;

import io.gradus.kernels.internal.SimdSupport;

import io.gradus.kernels.gemm.Gemm;
import io.gradus.kernels.gemm.ScalarSgemmMicroKernel;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs only in the Surefire execution {@code without-vector-module}, a JVM started without
 * {@code --add-modules jdk.incubator.vector}: Gradus must fall back to the scalar kernels and still
 * compute correct results.
 */
@Tag("without-vector-module")
class WithoutVectorModuleTest {

    @Test
    void fallsBackToScalarKernelsAndStillComputes() {
        assertTrue(ModuleLayer.boot().findModule(SimdSupport.VECTOR_MODULE).isEmpty(),
                "this test must run in a JVM without the vector module");
        assertEquals(SimdSupport.Choice.SCALAR_NO_MODULE, SimdSupport.choice());
        assertEquals("scalar", ArrayKernels.get().name());
        assertTrue(SimdSupport.sgemmMicroKernel() instanceof ScalarSgemmMicroKernel, SimdSupport.sgemmMicroKernel().name());

        int m = 37, n = 41, k = 53;
        Random r = new Random(3);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                assertEquals(s, c[i * n + j], 1e-4);
            }
        }
        assertEquals(3f, ArrayKernels.get().dot(new float[] {1, 1, 1}, 0, new float[] {1, 1, 1}, 0, 3));
    }
}
