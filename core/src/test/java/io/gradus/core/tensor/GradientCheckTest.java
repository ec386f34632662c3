package io.gradus.core.tensor;

import io.gradus.core.nn.Functional;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every differentiable operation of {@link Tensor} and of the layers ({@link Functional}) against
 * central finite differences.
 *
 * <p>For each case the loss is {@code L = sum(op(inputs) * W)} with fixed random weights W, so
 * every output element matters. Each input element is moved by {@code +-H}; the difference
 * {@code (L+ - L-) / 2H} is summed in double precision from the float32 outputs (outputs the move
 * did not change cancel exactly), and must match the gradient that {@link Tensor#backward()}
 * accumulated within {@code TOL * max(1, |fd|)} (truncation, O(H^2)) plus the rounding of the
 * outputs that did change: {@code ULPS} units in the last place of each, times its weight, over
 * {@code 2H}. (The loss used to be a float32 sum: its own rounding, about 1e-2 for the convolution
 * cases, was of the order of the tolerance, and the test passed or failed by the summation order of
 * the machine's vector width.) Inputs are kept at least 0.2 away from 0 so that kinks (relu, abs)
 * and ties (max) stay more than H away.
 */
class GradientCheckTest {

    static final float H = 1e-2f;
    static final double TOL = 1e-2;
    /**
     * Rounding allowed in each changed output, in units in the last place: its final rounding and
     * a few more for the float32 sums inside the operation (fan-in up to 50 here), whose order
     * depends on the vector width.
     */
    static final double ULPS = 4;

    /**
     * One case: input shapes and the operation. Inputs are +-[0.2, 1.2), or [0.2, 1.2) when
     * {@code positive}, or for {@code spread} a shuffle of +-0.1, +-0.2, ... (no two closer than
     * 0.1 unless of opposite sign: a maximum never changes hands within +-H).
     */
    record Case(String signature, int[][] shapes, boolean positive, boolean spread, Function<Tensor[], Tensor> op) {}

    static final List<Case> REGISTRY = new ArrayList<>();

    static void register(String signature, int[][] shapes, Function<Tensor[], Tensor> op) {
        REGISTRY.add(new Case(signature, shapes, false, false, op));
    }

    static void registerSpread(String signature, int[][] shapes, Function<Tensor[], Tensor> op) {
        REGISTRY.add(new Case(signature, shapes, false, true, op));
    }

    static void registerPositive(String signature, int[][] shapes, Function<Tensor[], Tensor> op) {
        REGISTRY.add(new Case(signature, shapes, true, false, op));
    }

    static int[][] s(int[]... shapes) {
        return shapes;
    }

    static int[] d(int... dims) {
        return dims;
    }

    static {
        register("add(Tensor)", s(d(2, 3), d(2, 3)), t -> t[0].add(t[1]));
        register("add(Tensor)", s(d(2, 3, 4), d(4)), t -> t[0].add(t[1]));          // bias broadcast
        register("add(Tensor)", s(d(3, 1), d(1, 4)), t -> t[0].add(t[1]));          // both broadcast
        register("sub(Tensor)", s(d(2, 3), d(2, 1)), t -> t[0].sub(t[1]));
        register("mul(Tensor)", s(d(2, 3), d(2, 3)), t -> t[0].mul(t[1]));
        register("mul(Tensor)", s(d(4, 3), d(3)), t -> t[0].mul(t[1]));
        registerPositive("div(Tensor)", s(d(2, 3), d(1, 3)), t -> t[0].div(t[1]));
        register("add(float)", s(d(5)), t -> t[0].add(0.7f));
        register("sub(float)", s(d(5)), t -> t[0].sub(0.7f));
        register("mul(float)", s(d(2, 2)), t -> t[0].mul(-1.5f));
        register("div(float)", s(d(2, 2)), t -> t[0].div(4f));
        register("neg()", s(d(3)), t -> t[0].neg());
        register("exp()", s(d(2, 3)), t -> t[0].exp());
        registerPositive("log()", s(d(2, 3)), t -> t[0].log());
        register("tanh()", s(d(2, 3)), t -> t[0].tanh());
        register("sigmoid()", s(d(2, 3)), t -> t[0].sigmoid());
        register("relu()", s(d(2, 3)), t -> t[0].relu());
        registerPositive("sqrt()", s(d(2, 3)), t -> t[0].sqrt());
        register("square()", s(d(2, 3)), t -> t[0].square());
        register("abs()", s(d(2, 3)), t -> t[0].abs());
        register("sign()", s(d(2, 3)), t -> t[0].sign().add(t[0]));               // zero gradient of sign
        register("sum()", s(d(2, 3)), t -> t[0].sum());
        register("mean()", s(d(2, 3)), t -> t[0].mean());
        register("sum(int,boolean)", s(d(2, 3, 4)), t -> t[0].sum(1, false));
        register("sum(int,boolean)", s(d(2, 3, 4)), t -> t[0].sum(-1, true));
        register("mean(int,boolean)", s(d(3, 4)), t -> t[0].mean(0, false));
        registerSpread("max(int,boolean)", s(d(3, 4)), t -> t[0].max(1, false));
        registerSpread("max(int,boolean)", s(d(2, 3, 2)), t -> t[0].max(0, true));
        register("matmul(Tensor)", s(d(3, 4), d(4, 2)), t -> t[0].matmul(t[1]));
        register("matmul(Tensor)", s(d(2, 3, 4), d(2, 4, 5)), t -> t[0].matmul(t[1]));
        register("matmul(Tensor)", s(d(2, 3, 4), d(4, 5)), t -> t[0].matmul(t[1]));
        register("matmul(Tensor)", s(d(4, 3), d(5, 4)), t -> t[0].transpose().matmul(t[1].transpose())); // transposed views
        register("reshape(int[])", s(d(2, 6)), t -> t[0].reshape(3, -1).mul(t[0].reshape(3, 4)));
        register("row(int)", s(d(3, 4)), t -> t[0].row(1));
        register("slice(int,int)", s(d(4, 2)), t -> t[0].slice(1, 3));
        register("transpose()", s(d(2, 3)), t -> t[0].transpose().mul(Tensor.arange(6).reshape(3, 2)));
        register("contiguous()", s(d(2, 3)), t -> t[0].transpose().contiguous());
        // the layers' operations (io.gradus.core.nn.Functional)
        register("conv2d(Tensor,Tensor,Tensor,int,int)", s(d(2, 2, 5, 5), d(3, 2, 3, 3), d(3)),
                t -> Functional.conv2d(t[0], t[1], t[2], 1, 1));
        register("conv2d(Tensor,Tensor,Tensor,int,int)", s(d(1, 2, 6, 5), d(2, 2, 2, 3)),
                t -> Functional.conv2d(t[0], t[1], null, 2, 0));
        // 5-wide kernels take the 4 x 5 weight-gradient tile; 5 output channels, a block of 4 and one more.
        register("conv2d(Tensor,Tensor,Tensor,int,int)", s(d(2, 2, 7, 6), d(5, 2, 5, 5), d(5)),
                t -> Functional.conv2d(t[0], t[1], t[2], 1, 2));
        // Rows of the direct convolution's planes share their padding (DirectConv2d.Planes): a padding
        // wider than the kernel widens the rows to the outputs, and a 2 x 3 kernel pads its rows and
        // columns (by 1 and 2) differently in the input gradient's full correlation.
        register("conv2d(Tensor,Tensor,Tensor,int,int)", s(d(1, 2, 4, 3), d(2, 2, 2, 2), d(2)),
                t -> Functional.conv2d(t[0], t[1], t[2], 1, 3));
        register("conv2d(Tensor,Tensor,Tensor,int,int)", s(d(2, 1, 5, 6), d(3, 1, 2, 3)),
                t -> Functional.conv2d(t[0], t[1], null, 1, 0));
        // The fused ReLU's outputs are sums, which the input spread cannot keep away from the kink:
        // a bias shifted by +30 keeps every output positive here; LayersTest compares the fused op
        // with conv2d(...).relu() on mixed signs.
        register("conv2dRelu(Tensor,Tensor,Tensor,int,int)", s(d(2, 2, 7, 6), d(5, 2, 5, 5), d(5)),
                t -> Functional.conv2dRelu(t[0], t[1], t[2].add(30f), 1, 2));
        register("conv2dRelu(Tensor,Tensor,Tensor,int,int)", s(d(1, 2, 6, 5), d(2, 2, 2, 3), d(2)),
                t -> Functional.conv2dRelu(t[0], t[1], t[2].add(30f), 2, 0));
        register("conv2dReluPool2(Tensor,Tensor,Tensor,int)", s(d(2, 2, 7, 6), d(5, 2, 5, 5), d(5)),
                t -> Functional.conv2dReluPool2(t[0], t[1], t[2].add(30f), 2));
        registerSpread("maxPool2d(Tensor,int,int)", s(d(1, 2, 4, 4)), t -> Functional.maxPool2d(t[0], 2, 2));
        registerSpread("maxPool2d(Tensor,int,int)", s(d(2, 1, 5, 5)), t -> Functional.maxPool2d(t[0], 3, 1));
        register("avgPool2d(Tensor,int,int)", s(d(1, 2, 4, 4)), t -> Functional.avgPool2d(t[0], 2, 2));
        register("avgPool2d(Tensor,int,int)", s(d(2, 1, 5, 5)), t -> Functional.avgPool2d(t[0], 3, 1));
        Tensor labels = Tensor.of(new float[] {0, 4, 2, 2});
        register("softmaxCrossEntropy(Tensor,Tensor)", s(d(4, 5)), t -> Functional.softmaxCrossEntropy(t[0].mul(3f), labels));
    }

    /** Public instance methods returning Tensor that are not differentiable by design. */
    static final Set<String> NOT_DIFFERENTIABLE = Set.of("gt(Tensor)", "lt(Tensor)", "eq(Tensor)", "gt(float)",
            "lt(float)", "eq(float)", "argmax(int,boolean)", "detach()", "attachGrad()", "attachGrad(Tensor)", "grad()");

    static String signature(Method m) {
        return m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",")) + ")";
    }

    @Test
    void everyDifferentiableOperationIsInTheRegistry() {
        Set<String> ops = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Tensor.class) {
                ops.add(signature(m));
            }
        }
        for (Method m : Functional.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Tensor.class) {
                ops.add(signature(m));
            }
        }
        ops.removeAll(NOT_DIFFERENTIABLE);
        Set<String> registered = REGISTRY.stream().map(Case::signature).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(ops);
        missing.removeAll(registered);
        assertEquals(Set.of(), missing, "differentiable operations without a gradient check");
        Set<String> unknown = new TreeSet<>(registered);
        unknown.removeAll(ops);
        assertEquals(Set.of(), unknown, "registry entries naming no public operation");
    }

    @TestFactory
    List<DynamicTest> gradientsMatchCentralDifferences() {
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Case c : REGISTRY) {
            int k = counts.merge(c.signature(), 1, Integer::sum);
            tests.add(DynamicTest.dynamicTest(c.signature() + " #" + k, () -> check(c)));
        }
        return tests;
    }

    static Tensor[] inputs(Case c, long seed) {
        Random r = new Random(seed);
        Tensor[] in = new Tensor[c.shapes().length];
        for (int i = 0; i < in.length; i++) {
            int n = Arrays.stream(c.shapes()[i]).reduce(1, (a, b) -> a * b);
            float[] v = new float[n];
            if (c.spread()) {
                List<Integer> steps = new ArrayList<>();
                for (int j = 1; j <= n; j++) steps.add(j);
                java.util.Collections.shuffle(steps, r);
                for (int j = 0; j < n; j++) v[j] = (r.nextBoolean() ? 0.1f : -0.1f) * steps.get(j);
                in[i] = Tensor.of(v, c.shapes()[i]);
                continue;
            }
            for (int j = 0; j < n; j++) {
                float u = r.nextFloat();
                v[j] = c.positive() ? 0.2f + u : (r.nextBoolean() ? 1 : -1) * (0.2f + u);
            }
            in[i] = Tensor.of(v, c.shapes()[i]);
        }
        return in;
    }

    static float[] outputs(Case c, Tensor[] in) {
        return c.op().apply(in).contiguous().toArray();
    }

    static void check(Case c) {
        Tensor[] in = inputs(c, c.signature().hashCode());
        float[] unmoved = outputs(c, in);
        Tensor weights = Tensor.uniform(17, -1f, 1f, c.op().apply(in).shape());
        float[] w = weights.contiguous().toArray();
        for (Tensor t : in) t.attachGrad();
        Tensor l;
        try (var tape = Autograd.record()) {
            l = c.op().apply(in).mul(weights).sum();
        }
        l.backward();
        for (int i = 0; i < in.length; i++) {
            float[] values = in[i].storage();
            Tensor grad = in[i].grad();
            for (int j = 0; j < values.length; j++) {
                float saved = values[j];
                values[j] = saved + H;
                float[] plus = outputs(c, in);
                values[j] = saved - H;
                float[] minus = outputs(c, in);
                values[j] = saved;
                double difference = 0, rounding = 0;
                for (int k = 0; k < w.length; k++) {
                    if (plus[k] == unmoved[k] && minus[k] == unmoved[k]) continue; // cancels exactly
                    difference += ((double) plus[k] - minus[k]) * w[k];
                    rounding += ULPS * (Math.ulp(plus[k]) + Math.ulp(minus[k])) * Math.abs(w[k]);
                }
                double fd = difference / (2.0 * H);
                double ad = grad.storage()[j];
                double tolerance = TOL * Math.max(1, Math.abs(fd)) + rounding / (2.0 * H);
                assertEquals(fd, ad, tolerance, c.signature() + ": d L / d input" + i + "[" + j + "]");
            }
        }
    }

    @Test
    void gradientsAccumulateUntilZeroedAndDetachStopsThem() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}).attachGrad();
        for (int round = 0; round < 2; round++) {
            try (var tape = Autograd.record()) {
                Tensor l = w.square().sum();
                l.backward();
            }
        }
        assertArrayEquals(new float[] {4, 8, 12}, w.grad().toArray(), "two backward passes add up");
        w.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, w.grad().toArray());
        Tensor l;
        try (var tape = Autograd.record()) {
            l = w.mul(w.detach()).sum();
        }
        l.backward();
        assertArrayEquals(new float[] {1, 2, 3}, w.grad().toArray(), "no gradient through the detached factor");
        Tensor outside = w.square().sum();
        var e = assertThrows(IllegalStateException.class, outside::backward);
        assertTrue(e.getMessage().startsWith("backward: the result was not recorded"), e.getMessage());
        Tensor vector;
        try (var tape = Autograd.record()) {
            vector = w.square();
        }
        var e2 = assertThrows(IllegalArgumentException.class, vector::backward);
        assertEquals("backward: the result has shape [3], expected a single element (a scalar loss)", e2.getMessage());
    }
}
