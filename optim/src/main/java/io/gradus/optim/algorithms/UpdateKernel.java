package io.gradus.optim.algorithms;

import com.aparapi.Kernel;
import io.gradus.optim.Step;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The float32 update of one coordinate, written once in Java: the body every implementation of a
 * rule runs. The CPU's scalar path calls {@link #apply} over its slice; the device runs the same
 * body translated to OpenCL C by Aparapi ({@link io.gradus.gpu.JavaKernel}), one work-item per
 * coordinate; the Vector API kernels of the built-in rules read the same per-step constants from it.
 *
 * <p>A subclass (one per rule: the built-in rules' nested {@code Rule} classes, or an application's
 * own, run through a {@link KernelOptimizer}) declares
 * <ul>
 *   <li>its state arrays as {@code float[]} fields, named to the constructor in the order of the
 *       Trainer's state arrays (for example {@code m, v});</li>
 *   <li>its per-step constants as {@code float} and {@code int} fields, set by the optimizer's
 *       {@link KernelOptimizer#kernel(Step)}: computed there in double and rounded to float once
 *       ({@code (float) (1 - beta)}, never {@code 1f - (float) beta});</li>
 *   <li>{@link #apply}: reads {@code p[i]}, the gradient through {@link #gradient(int)} (the Trainer's
 *       rescale, clip and coupled weight decay), its state at {@code i}, and writes them back.</li>
 * </ul>
 * What a body may use is what Aparapi translates: see {@link io.gradus.gpu.JavaKernel} (float and
 * int arithmetic, float[] fields, the class's own methods, {@code Kernel}'s math such as
 * {@link #sqrt(float)} and {@link #max(float, float)}; every local declared at the top of its method).
 * Kernel instances hold one call's arrays: make one per call ({@link KernelOptimizer#kernel} does),
 * never share one between threads.
 */
public abstract class UpdateKernel extends Kernel {

    /** The parameters, written in place. */
    protected float[] p;
    /** The raw gradient (read only: {@link #gradient(int)} gives the coordinate the rule uses). */
    protected float[] g;
    /** The first coordinate of the launch and the number of coordinates (the device's range). */
    protected int off, n;
    /** The step's learning rate, gradient scale and per-coordinate clip bound (0: none), as floats. */
    protected float lr, scale, clip;
    /** The rule's coupled L2 weight decay {@code lambda} in {@code g' = g + lambda x} (0: none). */
    protected float wd;

    private final String[] stateFields;

    /**
     * @param stateFields the names of the {@code float[]} state fields this instance uses, in the
     *                    Trainer's state-array order (a variant may use fewer: RMSProp's {@code m}
     *                    only when centered; the fields it leaves out stay unbound)
     */
    protected UpdateKernel(String... stateFields) {
        this.stateFields = stateFields.clone();
    }

    /** The names of the state fields, in the Trainer's state-array order. */
    public final List<String> stateFields() {
        return List.of(stateFields);
    }

    /**
     * Sets {@link #lr}, {@link #scale} and {@link #clip} from {@code step}, and the coupled decay
     * {@link #wd} (0 for none); returns this kernel.
     */
    public final UpdateKernel setStep(Step step, double coupledWeightDecay) {
        lr = (float) step.lr();
        scale = (float) step.gradScale();
        clip = (float) step.clipValue();
        wd = (float) coupledWeightDecay;
        return this;
    }

    /**
     * {@code clip(scale g_i, -clip, clip) + wd p_i} in float32: {@link Step#gradient} as the rule sees
     * it (the clip skipped at 0; the decay skipped at 0, as the vector kernels skip it).
     */
    protected float gradient(int i) {
        float gi = g[i] * scale;
        if (clip > 0f) gi = max(-clip, min(clip, gi));
        return wd == 0f ? gi : gi + wd * p[i];
    }

    /** {@code sqrt(var + eps)} (the book, {@code epsInside != 0}) or {@code sqrt(var) + eps} (PyTorch). */
    protected float denominator(float var, float eps, int epsInside) {
        return epsInside != 0 ? sqrt(var + eps) : sqrt(var) + eps;
    }

    /** {@code 1, -1} or {@code 0} by the sign of {@code x}; 0 for zero and NaN (OpenCL's {@code sign}, the vector kernels' blend). */
    protected float sign(float x) {
        return x > 0f ? 1f : (x < 0f ? -1f : 0f);
    }

    /** The update of coordinate {@code i}: parameters and state in place. */
    public abstract void apply(int i);

    /** The device's entry point: work-item {@code k} updates coordinate {@code off + k}; items past {@code n} do nothing. */
    @Override
    public void run() {
        int k = getGlobalId();
        if (k < n) apply(off + k);
    }

    /**
     * Binds the CPU arrays of one call: {@code p}, {@code g} and the state arrays to the fields named
     * by {@link #stateFields()}, in order. Returns this kernel.
     */
    public final UpdateKernel bind(float[] p, float[] g, float[][] state) {
        this.p = p;
        this.g = g;
        for (int k = 0; k < stateFields.length && k < state.length; k++) {
            Field f = stateField(stateFields[k]);
            try {
                f.set(this, state[k]);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(getClass().getName() + ": cannot set state field " + f.getName(), e);
            }
        }
        return this;
    }

    /**
     * The Vector API loop over the longest prefix of {@code [off, off + len)} made of whole vectors,
     * with this kernel's constants and the arrays given (the built-in rules' kernels; each delegates
     * to its unit's {@code Simd} class, loaded only when the module is present); returns where the
     * scalar tail starts. None here: an application's rule returns {@code off} and runs as Java.
     */
    int vectorLoop(float[] p, float[] g, float[][] state, int off, int len) {
        return off;
    }

    /** {@link #apply} over {@code [off, off + len)} on the CPU, after {@link #bind}. */
    public final void applyAll(int off, int len) {
        for (int i = off; i < off + len; i++) apply(i);
    }

    /** The fields of each kernel class by name, found at their first bind and made writable. */
    private static final Map<Class<?>, Map<String, Field>> FIELDS = new ConcurrentHashMap<>();

    private Field stateField(String name) {
        return FIELDS.computeIfAbsent(getClass(), type -> new ConcurrentHashMap<>()).computeIfAbsent(name, n -> field(getClass(), n));
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != UpdateKernel.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                if (f.getType() != float[].class) {
                    throw new IllegalArgumentException(type.getName() + ": state field " + name + " is a " + f.getType().getSimpleName()
                            + ", expected float[]");
                }
                if (!f.trySetAccessible()) {
                    throw new IllegalArgumentException(type.getName() + ": state field " + name + " is not writable by io.gradus.optim;"
                            + " open the package " + c.getPackageName() + " to io.gradus.optim and io.gradus.gpu");
                }
                return f;
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new IllegalArgumentException(type.getName() + ": no float[] field " + name + " for the state array named to its constructor");
    }
}
