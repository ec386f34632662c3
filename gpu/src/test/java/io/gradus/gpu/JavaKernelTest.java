package io.gradus.gpu;

import com.aparapi.Kernel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Java kernel bodies translated by Aparapi and run in Gradus's context: the arguments read from the
 * translation, the device's results against the same body run in Java (to the bit on pocl, where
 * division and square root are correctly rounded), local memory and barriers, and the errors for
 * what cannot be translated or bound.
 */
class JavaKernelTest {

    static final DeviceContext DEVICE = DeviceContext.open(DeviceProbe.selected());

    @AfterAll
    static void close() {
        DEVICE.close();
    }

    /** y <- y + a x / (sqrt(|x|) + eps), clipped to [-c, c]: a helper, Kernel's math, a ternary. */
    static final class Scaled extends Kernel {
        float[] x, y;
        float a, eps, c;
        int n;

        float clipped(float v) {
            return max(-c, min(c, v));
        }

        void apply(int i) {
            float v = 0f;
            v = y[i] + a * x[i] / (sqrt(abs(x[i])) + eps);
            y[i] = c > 0f ? clipped(v) : v;
        }

        @Override
        public void run() {
            int i = getGlobalId();
            if (i < n) apply(i);
        }
    }

    /** One sum of x per work-group, by a tree in local memory. */
    static final class GroupSums extends Kernel {
        float[] x, sums;
        @Local
        float[] scratch;
        int n;

        @Override
        public void run() {
            int lid = 0, size = 0, i = 0, stride = 0;
            lid = getLocalId();
            size = getLocalSize();
            i = getGlobalId();
            scratch[lid] = i < n ? x[i] : 0f;
            localBarrier();
            for (stride = size / 2; stride > 0; stride >>= 1) {
                if (lid < stride) scratch[lid] = scratch[lid] + scratch[lid + stride];
                localBarrier();
            }
            if (lid == 0) sums[getGroupId()] = scratch[0];
        }
    }

    /** Calls a method on a List: an interface call, which Aparapi does not translate. */
    static final class CallsAList extends Kernel {
        float[] x;
        List<Float> values;

        float first() {
            return values.get(0);
        }

        @Override
        public void run() {
            x[getGlobalId()] = first();
        }
    }

    /** Where OpenCL is required (CI installs pocl) its absence fails; elsewhere the device tests are skipped. */
    static void requireOpenCL() {
        if (DeviceTest.openCLRequired()) assertTrue(DEVICE.isOpenCL(), "expected an OpenCL device, got " + DEVICE.device().describe());
        Assumptions.assumeTrue(DEVICE.isOpenCL(), "no OpenCL device here");
    }

    static boolean pocl() {
        return DEVICE.isOpenCL() && DEVICE.device().platform().contains("Portable Computing Language");
    }

    @Test
    void theTranslationNamesTheFieldsItTakesAndHasTheHelpersAsFunctions() {
        JavaKernel k = JavaKernel.of(Scaled.class);
        assertSame(k, JavaKernel.of(Scaled.class), "translated once per class");
        assertTrue(k.source().startsWith(JavaKernel.PRELUDE), k.source());
        assertTrue(k.source().contains("__kernel void run("), k.source());
        assertTrue(k.source().contains("fmax") && k.source().contains("fmin") && k.source().contains("fabs"), k.source());
        assertTrue(k.source().contains("__clipped("), "the helper method becomes an OpenCL function:\n" + k.source());
        Map<String, JavaKernel.Kind> kinds = new java.util.HashMap<>();
        for (JavaKernel.Argument a : k.arguments()) kinds.put(a.name(), a.kind());
        assertEquals(Map.of("x", JavaKernel.Kind.ARRAY, "y", JavaKernel.Kind.ARRAY, "a", JavaKernel.Kind.FLOAT,
                "eps", JavaKernel.Kind.FLOAT, "c", JavaKernel.Kind.FLOAT, "n", JavaKernel.Kind.INT,
                "passid", JavaKernel.Kind.PASS_ID), kinds);
        assertEquals(JavaKernel.Kind.LOCAL, JavaKernel.of(GroupSums.class).arguments().stream()
                .filter(a -> a.name().equals("scratch")).findFirst().orElseThrow().kind());
    }

    @Test
    void theDeviceGivesTheJavaBodysResult() {
        requireOpenCL();
        int n = 10_007;
        Random r = new Random(3);
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian();
        }
        for (float clip : new float[] {0f, 0.75f}) {
            Scaled body = new Scaled();
            body.a = 0.3f;
            body.eps = 1e-3f;
            body.c = clip;
            body.n = n;
            try (DeviceArray dx = DEVICE.upload(x); DeviceArray dy = DEVICE.upload(y)) {
                JavaKernel.of(Scaled.class).launch(DEVICE, body, n, 64, Map.of("x", dx, "y", dy));
                float[] got = dy.download();
                body.x = x;
                body.y = y.clone();
                for (int i = 0; i < n; i++) body.apply(i);
                for (int i = 0; i < n; i++) {
                    if (pocl()) {
                        assertEquals(Float.floatToIntBits(body.y[i]), Float.floatToIntBits(got[i]),
                                "y[" + i + "] clip " + clip + ": " + body.y[i] + " in Java, " + got[i] + " on " + DEVICE.device().name());
                    } else {
                        assertEquals(body.y[i], got[i], 1e-6 * (1 + Math.abs(body.y[i])), "y[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void localMemoryAndBarriersWork() {
        requireOpenCL();
        int n = 1000, group = 64, groups = (n + group - 1) / group;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 7 - 3;
        GroupSums body = new GroupSums();
        body.n = n;
        try (DeviceArray dx = DEVICE.upload(x); DeviceArray sums = DEVICE.allocate(groups)) {
            JavaKernel.of(GroupSums.class).launch(DEVICE, body, n, group,
                    Map.of("x", dx, "sums", sums, "scratch", new DeviceKernel.Local(4L * group)));
            float[] got = sums.download();
            for (int q = 0; q < groups; q++) {
                float want = 0;
                for (int i = q * group; i < Math.min(n, (q + 1) * group); i++) want += x[i];
                assertEquals(want, got[q], "group " + q); // small integers: exact in any order
            }
        }
    }

    /**
     * pocl loads LLVM, which replaces the JVM's handlers of SIGSEGV and others; with them gone the
     * next safepoint poll in compiled code ended the JVM (the device check crashed on a cold pocl
     * cache). After a device was queried, a context opened and a kernel built and launched, the
     * JVM's handlers must be back.
     */
    @Test
    void theJvmsSignalHandlersSurviveTheOpenCLCompiler() {
        requireOpenCL();
        Scaled body = new Scaled();
        body.n = 3;
        try (DeviceArray dx = DEVICE.allocate(3); DeviceArray dy = DEVICE.allocate(3)) {
            JavaKernel.of(Scaled.class).launch(DEVICE, body, 3, 0, Map.of("x", dx, "y", dy));
            DEVICE.finish();
        }
        assertTrue(SignalHandlers.jvmHandlersInPlace(), "a handler the JVM installed was replaced and not restored");
    }

    @Test
    void aBodyAparapiCannotTranslateIsNamedWithItsMethod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaKernel.of(CallsAList.class));
        assertTrue(e.getMessage().contains(CallsAList.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("CallsAList.first"), "names the method: " + e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("invokeinterface"), "names the construct: " + e.getMessage());
    }

    @Test
    void aMissingOrWrongBufferIsNamed() {
        requireOpenCL();
        Scaled body = new Scaled();
        body.n = 4;
        try (DeviceArray dx = DEVICE.allocate(4)) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> JavaKernel.of(Scaled.class).launch(DEVICE, body, 4, 0, Map.of("x", dx)));
            assertTrue(missing.getMessage().contains("field y"), missing.getMessage());
            IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class,
                    () -> JavaKernel.of(Scaled.class).launch(DEVICE, body, 4, 0, Map.of("x", dx, "y", new DeviceKernel.Local(16))));
            assertTrue(wrongKind.getMessage().contains("field y") && wrongKind.getMessage().contains("DeviceArray"), wrongKind.getMessage());
        }
        IllegalArgumentException wrongBody = assertThrows(IllegalArgumentException.class,
                () -> JavaKernel.of(Scaled.class).launch(DEVICE, new GroupSums(), 4, 0, Map.of()));
        assertTrue(wrongBody.getMessage().contains(Scaled.class.getName()), wrongBody.getMessage());
    }
}
