package io.gradus.optim.algorithms;

import io.gradus.gpu.internal.HostArrays;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.JavaKernel;
import io.gradus.optim.Step;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How an {@link UpdateKernel} runs on a device: argument checks, the launch of its Aparapi
 * translation ({@link JavaKernel}) with the device arrays bound to its fields by name, and the host
 * device's fallback to the CPU kernels.
 *
 * <p>Floating point: {@link JavaKernel}'s prelude switches contraction off, so that
 * {@code a * b + c} rounds twice as in Java, and the context builds with correctly rounded division
 * and square root where the device supports it. The translation then performs the Java body's
 * operations in the same order; results agree with the CPU to the last bit on such a device (pocl:
 * tested for every catalog variant), and within the parity tests' tolerance elsewhere.
 */
final class DeviceRules {
    private DeviceRules() {}

    /** Work-items per work-group of the update kernels (a multiple of every GPU's warp or wavefront). */
    static final int GROUP = 256;

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
     * One update on device arrays: on an OpenCL device one launch of the rule's kernel over
     * {@code [off, off + len)}; on the host device the CPU kernel on the arrays' Java storage.
     */
    static void launch(KernelOptimizer rule, Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        check(p, g, state, rule.stateArrays(), off, len);
        if (!p.context().isOpenCL()) {
            onHost(rule, step, p, g, state, off, len);
            return;
        }
        if (len == 0) return;
        UpdateKernel kernel = rule.kernel(step);
        kernel.off = off;
        kernel.n = len;
        if (kernel.stateFields().size() != rule.stateArrays()) {
            throw new IllegalStateException(rule.name() + ": its kernel names " + kernel.stateFields() + " as state, expected "
                    + rule.stateArrays() + " arrays");
        }
        JavaKernel translated = JavaKernel.of(kernel.getClass());
        translated.launch(p.context(), kernel, len, GROUP, buffers(translated, kernel, p, g, state));
    }

    /**
     * {@code p}, {@code g} and the state arrays by the kernel's field names. An array field the
     * instance does not name (one its variant does not use, as Adam's {@code vmax} without AMSGrad)
     * is bound to {@code p}: the translation still takes it, and the variant never touches it.
     */
    static Map<String, Object> buffers(JavaKernel translated, UpdateKernel kernel, DeviceArray p, DeviceArray g, DeviceArray[] state) {
        Map<String, Object> buffers = new HashMap<>();
        List<String> names = kernel.stateFields();
        for (int k = 0; k < names.size(); k++) buffers.put(names.get(k), state[k]);
        buffers.put("p", p);
        buffers.put("g", g);
        for (JavaKernel.Argument a : translated.arguments()) {
            if (a.kind() == JavaKernel.Kind.ARRAY) buffers.putIfAbsent(a.name(), p);
        }
        return buffers;
    }

    /** On the host device: the CPU kernel on the arrays' Java storage. */
    private static void onHost(KernelOptimizer rule, Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        float[][] s = new float[rule.stateArrays()][];
        for (int i = 0; i < s.length; i++) s[i] = HostArrays.of(state[i]);
        rule.update(step, HostArrays.of(p), HostArrays.of(g), s, off, len);
    }
}
