package io.gradus.optim.algorithms;

import io.gradus.gpu.DeviceArray;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Step;

/**
 * An optimizer whose update is one {@link UpdateKernel}: the rule written once in Java, which the
 * {@link io.gradus.optim.Trainer} runs as it is on the CPU and translated to OpenCL C on a device. Every built-in {@link Algorithm} is one; an application's own rule
 * (a rule the catalog lacks) becomes one by implementing {@link #kernel}:
 *
 * <pre>{@code
 * // signSGD with momentum (Bernstein et al. 2018, "Signum"): m <- beta m + (1 - beta) g';  x <- x - eta sign(m)
 * public static final class SignumKernel extends UpdateKernel {
 *     float[] m;
 *     float beta, rest;
 *     public SignumKernel() { super("m"); }
 *     public void apply(int i) {
 *         float mi = beta * m[i] + rest * gradient(i);
 *         m[i] = mi;
 *         p[i] = p[i] - lr * (mi > 0f ? 1f : mi < 0f ? -1f : 0f);
 *     }
 * }
 * record Signum(double beta) implements KernelOptimizer {
 *     public String name() { return "signum"; }
 *     public int stateArrays() { return 1; }
 *     public UpdateKernel kernel(Step step) {
 *         SignumKernel k = new SignumKernel();
 *         k.setStep(step, 0);                  // from a subclass or the kernel's own package
 *         k.beta = (float) beta;
 *         k.rest = (float) (1 - beta);         // rounded once from double
 *         return k;
 *     }
 * }
 * }</pre>
 *
 * (The project's {@code samples/custom-rule} runs such a rule on both Trainers.)
 */
public interface KernelOptimizer extends Optimizer {

    /**
     * A new kernel for one call of one step: the step's values and the rule's hyperparameters as the
     * kernel's float fields, each computed in double and rounded once. Called once per call of
     * {@link #update} (from several threads at once on disjoint slices), so it must not keep state.
     */
    UpdateKernel kernel(Step step);

    /** The kernel's state field names ({@link UpdateKernel#stateFields()}): {@code m, v} for Adam. */
    @Override
    default java.util.List<String> stateNames() {
        java.util.List<String> fields = kernel(Step.of(1, 0)).stateFields();
        return fields.size() == stateArrays() ? fields : Optimizer.super.stateNames();
    }

    /** The kernel's body over {@code [off, off + len)} on the CPU. */
    @Override
    default void update(Step step, float[] p, float[] g, float[][] state, int off, int len) {
        Rules.check(p, g, state, stateArrays(), off, len);
        kernel(step).bind(p, g, state).applyAll(off, len);
    }

    /**
     * The same update on device arrays of one context: one launch of the kernel's translation over
     * {@code [off, off + len)} (on the host device, the CPU's {@link #update} on the arrays' storage).
     * Returns at once; the context's queue runs it in order.
     */
    default void updateDevice(Step step, DeviceArray p, DeviceArray g, DeviceArray[] state, int off, int len) {
        DeviceRules.launch(this, step, p, g, state, off, len);
    }
}
