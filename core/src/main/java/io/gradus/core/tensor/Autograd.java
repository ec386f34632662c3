package io.gradus.core.tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tape of section 2.5 (and 11.x's training loops): inside {@link #record()} every operation
 * on a tensor that needs a gradient remembers its inputs and how to pass a gradient back to them;
 * {@link Tensor#backward()} then walks that graph from a scalar back to the leaves that called
 * {@link Tensor#attachGrad()}, whose {@link Tensor#grad()} accumulates until zeroed.
 *
 * <pre>{@code
 * w.attachGrad();
 * try (var tape = Autograd.record()) {
 *     loss = net(x, w).sub(y).square().mean();
 * }
 * loss.backward();   // w.grad() now holds d loss / d w
 * }</pre>
 * Recording is per thread.
 */
public final class Autograd {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    /** A recording scope; close it (try-with-resources) to stop recording. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
            DEPTH.get()[0]++;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DEPTH.get()[0]--;
            }
        }
    }

    /** Starts recording on this thread until the returned scope is closed. */
    public static Scope record() {
        return new Scope();
    }

    /** Whether operations on this thread are being recorded. */
    public static boolean isRecording() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * How an operation's output came to be: its inputs, and the function from the gradient of
     * the output to the gradients of the inputs (null where an input needs none).
     */
    record Node(String op, Tensor[] inputs, Function<Tensor, Tensor[]> backward) {}

    /**
     * Records an operation defined outside this package (a layer's convolution, a loss): when
     * recording and some input needs a gradient, {@code out} remembers its inputs and
     * {@code backward}, which maps the gradient of {@code out} to one gradient per input (null
     * where none is needed). Returns {@code out}.
     */
    public static Tensor op(Tensor out, String name, Function<Tensor, Tensor[]> backward, Tensor... inputs) {
        return recordOp(out, name, backward, inputs);
    }

    /** Attaches a node to {@code out} when recording and some input needs a gradient. */
    static Tensor recordOp(Tensor out, String op, Function<Tensor, Tensor[]> backward, Tensor... inputs) {
        if (!isRecording()) return out;
        boolean any = false;
        for (Tensor t : inputs) any |= t.requiresGrad;
        if (!any) return out;
        out.requiresGrad = true;
        out.node = new Node(op, inputs, backward);
        return out;
    }

    /** Back-propagates from {@code root} (a tensor of one element), seeding its gradient with 1. */
    static void backward(Tensor root) {
        if (root.size() != 1) {
            throw new IllegalArgumentException("backward: the result has shape " + java.util.Arrays.toString(root.shape())
                    + ", expected a single element (a scalar loss)");
        }
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: the result was not recorded from any tensor with attachGrad()"
                    + " inside Autograd.record()");
        }
        List<Tensor> order = new ArrayList<>();
        topologicalOrder(root, new IdentityHashMap<>(), order);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, Tensor.ones(root.shape()));
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Tensor g = grads.remove(t);
            if (g == null) continue;
            if (t.node == null) {
                t.accumulateGrad(g);
                continue;
            }
            Tensor[] inputGrads = t.node.backward().apply(g);
            Tensor[] inputs = t.node.inputs();
            for (int k = 0; k < inputs.length; k++) {
                Tensor in = inputs[k];
                if (!in.requiresGrad || inputGrads[k] == null) continue;
                Tensor prev = grads.get(in);
                grads.put(in, prev == null ? inputGrads[k] : prev.add(inputGrads[k]));
            }
        }
    }

    private static void topologicalOrder(Tensor t, Map<Tensor, Boolean> seen, List<Tensor> order) {
        // Iterative DFS: a long chain of operations must not overflow the stack.
        record Frame(Tensor t, int next) {}
        java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
        stack.push(new Frame(t, 0));
        seen.put(t, true);
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            Tensor[] inputs = f.t().node == null ? new Tensor[0] : f.t().node.inputs();
            int k = f.next();
            while (k < inputs.length && (!inputs[k].requiresGrad || seen.containsKey(inputs[k]))) k++;
            if (k < inputs.length) {
                stack.push(new Frame(f.t(), k + 1));
                seen.put(inputs[k], true);
                stack.push(new Frame(inputs[k], 0));
            } else {
                order.add(f.t());
            }
        }
    }
}
