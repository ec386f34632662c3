package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceKernel;
import io.gradus.optim.Step;

/**
 * What the units' OpenCL kernels share: the OpenCL C helpers (the twins of {@link Rules}' and
 * {@link Lanes}' helpers), argument checks, and the host device's fallback to the CPU kernels.
 *
 * <p>Floating point: the sources switch contraction off ({@code #pragma OPENCL FP_CONTRACT OFF}),
 * so that {@code a * b + c} rounds twice as in Java, and the context builds them with correctly
 * rounded division and square root where the device supports it. A kernel then performs the CPU
 * kernel's operations in the same order; results agree with the CPU to the last bit on such a
 * device, and within the parity tests' tolerance elsewhere.
 */
final class DeviceRules {
    private DeviceRules() {}

    static final String PRELUDE = """
            #pragma OPENCL FP_CONTRACT OFF
            /* clip(scale g, -clip, clip) + wd p, as Rules.gradient: the clip and the decay skipped at 0. */
            inline float gradient(float g, float p, float scale, float clip, float wd) {
                float gi = g * scale;
                if (clip > 0.0f) gi = fmax(-clip, fmin(clip, gi));
                return wd == 0.0f ? gi : gi + wd * p;
            }
            /* sqrt(var + eps) (the book) or sqrt(var) + eps (PyTorch). */
            inline float denominator(float var, float eps, int epsInside) {
                return epsInside ? sqrt(var + eps) : sqrt(var) + eps;
            }
            """;

    /** Work-items per work-group of the update kernels (a multiple of every GPU's warp or wavefront). */
    static final int GROUP = 256;

    /** The kernel {@code name} of a unit's OpenCL source, built once per context. */
    static DeviceKernel kernel(DeviceContext ctx, String source, String name) {
        return ctx.kernel(PRELUDE + source, name);
    }

    /** Checks the device slices and state arrays of one update. */
    static void check(DeviceArray p, DeviceArray g, DeviceArray[] state, int states, int off, int len) {
        if (p == null || g == null) throw new IllegalArgumentException("p = " + p + ", g = " + g + ": expected device arrays");
        if (g.context() != p.context()) throw new IllegalArgumentException("g: expected an array of p's context " + p.context());
        range("p", p, off, len);
        range("g", g, off, len);
        if (state == null || state.length < states) {
            throw new IllegalArgumentException("state: " + (state == null ? "null" : state.length + " arrays") + ", expected " + states);
        }
        for (int i = 0; i < states; i++) {
            if (state[i] == null || state[i].context() != p.context()) {
                throw new IllegalArgumentException("state[" + i + "]: expected an array of p's context " + p.context());
            }
            range("state[" + i + "]", state[i], off, len);
        }
    }

    private static void range(String name, DeviceArray a, int off, int len) {
        if (off < 0 || len < 0 || (long) off + len > a.length()) {
            throw new IndexOutOfBoundsException(name + ": range [" + off + ", " + ((long) off + len) + ") is outside " + a);
        }
    }

    /**
     * The start of every unit's {@code updateDevice}: checks the arrays against the unit's state
     * count; on the host device runs the CPU kernel on the arrays' Java storage and returns false;
     * returns true where the caller is to launch its OpenCL kernel.
     */
    static boolean checkedForOpenCL(Algorithm a, Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        check(p, g, state, a.stateArrays(), off, len);
        if (p.context().isOpenCL()) return true;
        onHost(a, step, p, g, state, off, len);
        return false;
    }

    /** On the host device: the CPU kernel on the arrays' Java storage. */
    private static void onHost(Algorithm a, Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        float[][] s = new float[a.stateArrays()][];
        for (int i = 0; i < s.length; i++) s[i] = state[i].host();
        a.update(step, p.host(), g.host(), s, off, len);
    }
}
