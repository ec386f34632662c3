package io.gradus.optim;

import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceProbe;
import io.gradus.gpu.GpuDevice;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.algorithms.AlgorithmPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every variant of the catalog on the device (pocl in CI, the GPU on a GPU machine) and on the host
 * device: its OpenCL kernel against its CPU kernel and its double-precision reference, ten steps,
 * state included, on lengths 0, 1, 17, 1000, 4099 (and 2^20 + 3 for each algorithm's default
 * variant, two steps), with the gradient scaled and
 * clipped. Against the CPU's scalar kernel (the same Java body the device runs translated): to the
 * bit on pocl and on the host device, whose division and square root are correctly rounded (LAMB's
 * trust ratio aside: its norms are summed in another order on the device); 2e-6 relative (plus
 * 1e-7 absolute) on other devices. Against the reference as in {@link OptimizerCatalogTest}.
 */
@Tag("device") // in the default test run only: the width runs test the CPU side, this the device side
class DeviceParityTest {

    static final DeviceContext DEVICE = DeviceContext.open(DeviceProbe.selected());
    static final DeviceContext HOST = DeviceContext.open(GpuDevice.host());

    @AfterAll
    static void close() {
        DEVICE.close();
        HOST.close();
    }

    @TestFactory
    List<DynamicTest> everyDeviceKernelFollowsTheCpuKernelAndTheReference() {
        if (System.getenv("CI") != null) {
            assertTrue(DEVICE.isOpenCL(), "CI installs pocl: expected an OpenCL device, got " + DEVICE.device().describe());
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : OptimizerCatalog.entries()) {
            for (Algorithm a : e.variants()) {
                for (DeviceContext ctx : List.of(DEVICE, HOST)) {
                    boolean big = a == e.algorithm(); // the 2^20 + 3 length for each default variant
                    tests.add(DynamicTest.dynamicTest(a + " on " + ctx.device().name(), () -> parity(a, ctx, big)));
                }
            }
        }
        return tests;
    }

    /** Whether the translated kernels must give the CPU's bits on {@code ctx}: pocl and the host device. */
    static boolean bitExact(Algorithm a, DeviceContext ctx) {
        return !(a instanceof io.gradus.optim.algorithms.LayerwiseAlgorithm)
                && (!ctx.isOpenCL() || ctx.device().platform().contains("Portable Computing Language"));
    }

    static void parity(Algorithm a, DeviceContext ctx, boolean withBigLength) {
        boolean exact = bitExact(a, ctx);
        for (int n : withBigLength ? new int[] {0, 1, 17, 1000, 4099, (1 << 20) + 3} : new int[] {0, 1, 17, 1000, 4099}) {
            boolean big = n > 5000;
            int off = 2, total = off + n + 1;
            Random r = new Random(n * 31L + a.toString().hashCode());
            float[] p = new float[total];
            for (int i = 0; i < total; i++) p[i] = (float) r.nextGaussian();
            float[][] s = new float[a.stateArrays()][total];
            DeviceArray dp = ctx.upload(p), dg = ctx.allocate(total);
            DeviceArray[] ds = new DeviceArray[s.length];
            for (int k = 0; k < s.length; k++) ds[k] = ctx.allocate(total);
            try {
                for (int t = 1; t <= (big ? 2 : 10); t++) {
                    Step step = new Step(t, 0.01 * t, 0.5, t % 2 == 0 ? 0.8 : 0);
                    float[] g = new float[total];
                    for (int i = 0; i < total; i++) g[i] = (float) r.nextGaussian();
                    double[] wantP = new double[total];
                    double[][] wantS = new double[s.length][total];
                    if (!big) {
                        double[] x = new double[n], gs = new double[n];
                        double[][] st = new double[n][s.length];
                        for (int i = 0; i < n; i++) {
                            x[i] = p[off + i];
                            gs[i] = g[off + i];
                            for (int k = 0; k < s.length; k++) st[i][k] = s[k][off + i];
                        }
                        a.referenceSlice(step, x, gs, st);
                        for (int i = 0; i < n; i++) {
                            wantP[off + i] = x[i];
                            for (int k = 0; k < s.length; k++) wantS[k][off + i] = st[i][k];
                        }
                    }
                    float[][] stateBefore = java.util.Arrays.stream(s).map(float[]::clone).toArray(float[][]::new);
                    dg.upload(g);
                    a.updateDevice(step, dp, dg, ds, off, n);
                    AlgorithmPaths.scalar(a, step, p, g, s, off, n);
                    float[] gotP = dp.download();
                    assertEquals(p[0], gotP[0], "outside the slice");
                    assertEquals(p[total - 1], gotP[total - 1], "outside the slice");
                    for (int i = off; i < off + n; i++) {
                        if (exact) assertEquals(Float.floatToIntBits(p[i]), Float.floatToIntBits(gotP[i]),
                                a + " p[" + i + "] step " + t + " n " + n + ": " + p[i] + " on the CPU, " + gotP[i] + " on the device");
                        else assertEquals(p[i], gotP[i], 1e-7 + 2e-6 * Math.abs(p[i]), a + " p[" + i + "] step " + t + " n " + n);
                        if (!big) assertEquals(wantP[i], p[i], 1e-6 + 1e-5 * Math.abs(wantP[i]), a + " reference p[" + i + "]");
                    }
                    for (int k = 0; k < s.length; k++) {
                        float[] gotS = ds[k].download();
                        for (int i = off; i < off + n; i++) {
                            // relative to the larger of the new and the old value (a momentum buffer can cancel)
                            double scale = Math.max(Math.abs(s[k][i]), Math.abs(stateBefore[k][i]));
                            if (exact) assertEquals(Float.floatToIntBits(s[k][i]), Float.floatToIntBits(gotS[i]), a + " state " + k + "[" + i + "]");
                            else assertEquals(s[k][i], gotS[i], 1e-7 + 2e-6 * scale, a + " state " + k + "[" + i + "]");
                            if (!big) assertEquals(wantS[k][i], s[k][i], 1e-6 + 1e-5 * scale, a + " reference state");
                        }
                        // keep the CPU and the device on the same state, so that the next step compares one step's rounding
                        ds[k].upload(s[k]);
                    }
                    dp.upload(p);
                }
            } finally {
                dp.close();
                dg.close();
                for (DeviceArray d : ds) d.close();
            }
        }
    }
}
