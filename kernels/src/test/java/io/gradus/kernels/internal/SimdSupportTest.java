package io.gradus.kernels.internal;


import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.gemm.ScalarSgemmMicroKernel;
import org.junit.jupiter.api.Test;

import static io.gradus.kernels.internal.SimdSupport.Choice.*;
import static org.junit.jupiter.api.Assertions.*;

class SimdSupportTest {

    @Test
    void decisionRule() {
        assertEquals(VECTOR, SimdSupport.choose(true, null));
        assertEquals(VECTOR, SimdSupport.choose(true, "true"));
        assertEquals(SCALAR_BY_PROPERTY, SimdSupport.choose(true, "false"));
        assertEquals(SCALAR_BY_PROPERTY, SimdSupport.choose(true, " FALSE "));
        assertEquals(SCALAR_NO_MODULE, SimdSupport.choose(false, null));
        assertEquals(SCALAR_BY_PROPERTY, SimdSupport.choose(false, "false"));
        assertTrue(SCALAR_NO_MODULE.description().contains("--add-modules jdk.incubator.vector"));
    }

    @Test
    void thisJvmUsesTheVectorKernelsUnlessTold() {
        // Surefire's default execution resolves the module (see kernels/pom.xml).
        SimdSupport.Choice expected = SimdSupport.choose(true, System.getProperty(SimdSupport.PROPERTY));
        assertEquals(expected, SimdSupport.choice());
        if (expected == VECTOR) {
            assertTrue(ArrayKernels.get().name().startsWith("vector"), ArrayKernels.get().name());
            assertFalse(SimdSupport.sgemmMicroKernel() instanceof ScalarSgemmMicroKernel, SimdSupport.sgemmMicroKernel().name());
        }
    }
}
