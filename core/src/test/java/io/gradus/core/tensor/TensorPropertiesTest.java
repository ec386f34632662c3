package io.gradus.core.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property-based tests of Tensor (reliability issue): random shapes of rank 1 to 4 (sizes that are
 * and are not multiples of the vector width), strided views from a transpose, partners whose shapes
 * broadcast (dimensions set to 1, leading dimensions dropped, on either side), all drawn from one
 * seeded generator; elementwise arithmetic equals a naive loop over broadcast indices exactly, and
 * the axis reductions (sum, mean, max, argmax, with and without keepDims) equal naive loops (sums to
 * float rounding). {@code -Dgradus.properties.seed=S} replays another draw.
 */
class TensorPropertiesTest {

    static final long SEED = Long.getLong("gradus.properties.seed", 20261130L);
    static final int CASES = Integer.getInteger("gradus.properties.cases", 150);

    static int[] randomShape(SplittableRandom r) {
        int rank = 1 + r.nextInt(4);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = r.nextInt(5) == 0 ? 1 + r.nextInt(40) : 1 + r.nextInt(6);
        return s;
    }

    /** A tensor of {@code shape}; half the time a transposed view of a contiguous one (strided). */
    static Tensor randomTensor(SplittableRandom r, int[] shape, float shift) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * r.nextDouble() - 1) + shift;
        if (shape.length >= 2 && r.nextBoolean()) {
            int[] swapped = shape.clone();
            swapped[shape.length - 1] = shape[shape.length - 2];
            swapped[shape.length - 2] = shape[shape.length - 1];
            return Tensor.of(v, swapped).transpose();
        }
        return Tensor.of(v, shape);
    }

    /** A shape that broadcasts against {@code s}: some dimensions 1, maybe fewer leading axes. */
    static int[] broadcastPartner(SplittableRandom r, int[] s) {
        int drop = r.nextInt(s.length);
        int[] p = Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < p.length; i++) if (r.nextInt(3) == 0) p[i] = 1;
        return p;
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** The element of {@code t} that broadcasting pairs with output index {@code out}. */
    static float broadcastGet(Tensor t, int[] out) {
        int[] s = t.shape();
        int[] idx = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            int o = out[out.length - s.length + d];
            idx[d] = s[d] == 1 ? 0 : o;
        }
        return t.get(idx);
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    @TestFactory
    List<DynamicTest> broadcastingArithmeticEqualsNaiveLoops() {
        SplittableRandom r = new SplittableRandom(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            int[] sa = randomShape(r);
            int[] sb = broadcastPartner(r, sa);
            boolean swap = r.nextBoolean();
            long seed = r.nextLong();
            String name = Arrays.toString(swap ? sb : sa) + " op " + Arrays.toString(swap ? sa : sb) + " seed " + SEED + " case " + c;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                SplittableRandom v = new SplittableRandom(seed);
                Tensor a0 = randomTensor(v, sa, 0), b0 = randomTensor(v, sb, 3); // b away from 0 for div
                Tensor x = swap ? b0 : a0, y = swap ? a0 : b0;
                List<BiFunction<Tensor, Tensor, Tensor>> ops = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div);
                String[] names = {"add", "sub", "mul", "div"};
                for (int o = 0; o < ops.size(); o++) {
                    Tensor got = ops.get(o).apply(x, y);
                    assertArrayEquals(sa, got.shape(), names[o] + " shape");
                    for (int f = 0; f < size(sa); f++) {
                        int[] idx = unravel(f, sa);
                        float p = broadcastGet(x, idx), q = broadcastGet(y, idx);
                        float want = switch (o) { case 0 -> p + q; case 1 -> p - q; case 2 -> p * q; default -> p / q; };
                        assertEquals(want, got.get(idx), names[o] + " at " + Arrays.toString(idx));
                    }
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> axisReductionsEqualNaiveLoops() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        List<DynamicTest> tests = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            int[] shape = randomShape(r);
            int axis = r.nextInt(shape.length);
            boolean keep = r.nextBoolean();
            long seed = r.nextLong();
            tests.add(DynamicTest.dynamicTest(Arrays.toString(shape) + " axis " + axis + " keepDims " + keep + " seed " + SEED + " case " + c, () -> {
                Tensor t = randomTensor(new SplittableRandom(seed), shape, 0);
                Tensor sum = t.sum(axis, keep), mean = t.mean(axis, keep), max = t.max(axis, keep), arg = t.argmax(axis, keep);
                int[] reduced = shape.clone();
                reduced[axis] = 1;
                for (int f = 0; f < size(reduced); f++) {
                    int[] idx = unravel(f, reduced);
                    double s = 0, abs = 0;
                    float m = Float.NEGATIVE_INFINITY;
                    int am = 0;
                    for (int k = 0; k < shape[axis]; k++) {
                        idx[axis] = k;
                        float e = t.get(idx);
                        s += e;
                        abs += Math.abs(e);
                        if (e > m) { m = e; am = k; }
                    }
                    idx[axis] = 0;
                    int[] out = keep ? idx : dropAxis(idx, axis);
                    double tol = 1e-6 * (abs + 1) * shape[axis];
                    assertEquals(s, sum.get(out), tol, "sum at " + Arrays.toString(out));
                    assertEquals(s / shape[axis], mean.get(out), tol / shape[axis] + 1e-7, "mean at " + Arrays.toString(out));
                    assertEquals(m, max.get(out), "max at " + Arrays.toString(out));
                    assertEquals(am, arg.get(out), "argmax (the first maximum) at " + Arrays.toString(out));
                }
            }));
        }
        return tests;
    }

    static int[] dropAxis(int[] idx, int axis) {
        int[] out = new int[idx.length - 1];
        for (int d = 0, j = 0; d < idx.length; d++) if (d != axis) out[j++] = idx[d];
        return out;
    }
}
