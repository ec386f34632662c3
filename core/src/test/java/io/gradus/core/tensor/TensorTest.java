package io.gradus.core.tensor;

import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {

    static float[] randomValues(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 2f * r.nextFloat() - 1f;
        return v;
    }

    /**
     * Packing matrices that are not contiguous (the blocked copy): a transpose whose sides are not
     * multiples of the 32 x 32 block and a row slice of one, against element-by-element reads; and
     * a copy into a transposed destination.
     */
    @Test
    void contiguousCopiesOfTransposedAndSlicedMatricesMatchTheirElements() {
        Tensor m = Tensor.of(randomValues(21, 70 * 45), 70, 45);
        for (Tensor view : new Tensor[] {m.transpose(), m.transpose().slice(3, 40)}) {
            assertFalse(view.isContiguous());
            Tensor packed = view.contiguous();
            assertTrue(packed.isContiguous());
            assertArrayEquals(view.shape(), packed.shape());
            float[] flat = packed.toArray();
            int cols = view.dim(1);
            for (int i = 0; i < view.dim(0); i++)
                for (int j = 0; j < cols; j++) assertEquals(view.get(i, j), flat[i * cols + j], "(" + i + ", " + j + ")");
        }
        Tensor into = Tensor.zeros(45, 70).transpose();
        into.copyFrom(m);
        for (int i = 0; i < 70; i++) for (int j = 0; j < 45; j++) assertEquals(m.get(i, j), into.get(i, j), "(" + i + ", " + j + ")");
    }

    @Test
    void factoriesAndAccessors() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(6f, t.get(1, 2));
        assertEquals(6, Tensor.zeros(2, 3).size());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7f, 2).toArray());
        assertArrayEquals(Tensor.normal(5, 0, 1, 10).toArray(), Tensor.normal(5, 0, 1, 10).toArray(), "seeded");
        float[] u = Tensor.uniform(3, -2, 2, 1000).toArray();
        for (float v : u) assertTrue(v >= -2 && v < 2);
        assertEquals(3f, Tensor.scalar(3f).item());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertEquals("of: 5 values do not fill shape [2, 3]", e.getMessage());
    }

    @Test
    void viewsShareStorage() {
        Tensor t = Tensor.arange(12).reshape(3, -1);
        assertArrayEquals(new int[] {3, 4}, t.shape());
        Tensor row = t.row(1);
        row.set(-1f, 2);
        assertEquals(-1f, t.get(1, 2), "row is a view");
        Tensor s = t.slice(1, 3);
        assertArrayEquals(new int[] {2, 4}, s.shape());
        assertEquals(-1f, s.get(0, 2));
        Tensor tt = t.transpose();
        assertArrayEquals(new int[] {4, 3}, tt.shape());
        assertEquals(t.get(2, 1), tt.get(1, 2));
        assertFalse(tt.isContiguous());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, -1, 10, 3, 7, 11}, tt.toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, 2));
        assertEquals("reshape: [3, 4] (12 elements) cannot become [5, 2]", e.getMessage());
    }

    @Test
    void broadcastingArithmeticMatchesNaiveLoops() {
        Tensor a = Tensor.of(randomValues(1, 24), 2, 3, 4);
        Tensor bias = Tensor.of(randomValues(2, 4), 4);
        Tensor col = Tensor.of(randomValues(3, 3), 3, 1);
        Tensor sum = a.add(bias), prod = a.mul(col), diff = bias.sub(a), quot = a.div(col.add(3f));
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) {
            assertEquals(a.get(i, j, k) + bias.get(k), sum.get(i, j, k));
            assertEquals(a.get(i, j, k) * col.get(j, 0), prod.get(i, j, k));
            assertEquals(bias.get(k) - a.get(i, j, k), diff.get(i, j, k));
            assertEquals(a.get(i, j, k) / (col.get(j, 0) + 3f), quot.get(i, j, k));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(3)));
        assertEquals("add: shapes [2, 3, 4] and [3] do not broadcast: dimension 2 is 4 vs 3", e.getMessage());
        assertArrayEquals(new float[] {0, 1, 0}, Tensor.of(new float[] {1, 5, 2}).gt(Tensor.of(new float[] {2, 2, 2})).toArray());
        assertArrayEquals(new float[] {0, 0, 1}, Tensor.of(new float[] {1, 5, 2}).eq(2f).toArray());
    }

    @Test
    void mapsMatchJavaMath() {
        float[] v = randomValues(4, 50);
        Tensor x = Tensor.of(v);
        Tensor pos = x.abs().add(0.1f);
        for (int i = 0; i < v.length; i++) {
            assertEquals((float) Math.exp(v[i]), x.exp().get(i), 2 * Math.ulp((float) Math.exp(v[i])));
            assertEquals((float) Math.log(pos.get(i)), pos.log().get(i));
            assertEquals((float) Math.tanh(v[i]), x.tanh().get(i));
            assertEquals((float) (1 / (1 + Math.exp(-v[i]))), x.sigmoid().get(i));
            assertEquals(Math.max(v[i], 0f), x.relu().get(i));
            assertEquals((float) Math.sqrt(pos.get(i)), pos.sqrt().get(i));
            assertEquals(v[i] * v[i], x.square().get(i));
            assertEquals(Math.signum(v[i]), x.sign().get(i));
        }
    }

    @Test
    void reductionsMatchNaiveLoops() {
        Tensor a = Tensor.of(randomValues(5, 24), 2, 3, 4);
        Tensor s1 = a.sum(1, false), m2 = a.max(2, true), am = a.argmax(0, false);
        assertArrayEquals(new int[] {2, 4}, s1.shape());
        assertArrayEquals(new int[] {2, 3, 1}, m2.shape());
        double total = 0;
        for (int i = 0; i < 2; i++) for (int k = 0; k < 4; k++) {
            float s = 0;
            for (int j = 0; j < 3; j++) s += a.get(i, j, k);
            assertEquals(s, s1.get(i, k), 1e-6);
        }
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < 4; k++) { m = Math.max(m, a.get(i, j, k)); total += a.get(i, j, k); }
            assertEquals(m, m2.get(i, j, 0));
            for (int k = 0; k < 4; k++) assertEquals(a.get(0, j, k) >= a.get(1, j, k) ? 0f : 1f, am.get(j, k));
        }
        assertEquals(total, a.sum().item(), 1e-5);
        assertEquals(total / 24, a.mean().item(), 1e-6);
        assertEquals(a.sum(-1, false).get(1, 2), a.sum(2, false).get(1, 2));
    }

    @Test
    void matmulMatchesNaiveLoopsIncludingTransposedViewsAndBatches() {
        Tensor a = Tensor.of(randomValues(6, 3 * 4), 3, 4);
        Tensor b = Tensor.of(randomValues(7, 4 * 5), 4, 5);
        Tensor c = a.matmul(b);
        Tensor viaTransposes = b.transpose().matmul(a.transpose()).transpose();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) {
            double s = 0;
            for (int p = 0; p < 4; p++) s += (double) a.get(i, p) * b.get(p, j);
            assertEquals(s, c.get(i, j), 1e-5);
            assertEquals(s, viaTransposes.get(i, j), 1e-5);
        }
        Tensor batch = Tensor.of(randomValues(8, 2 * 3 * 4), 2, 3, 4);
        Tensor bb = Tensor.of(randomValues(9, 2 * 4 * 5), 2, 4, 5);
        Tensor c3 = batch.matmul(bb), c3shared = batch.matmul(b);
        for (int q = 0; q < 2; q++) for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) {
            double s = 0, t = 0;
            for (int p = 0; p < 4; p++) {
                s += (double) batch.get(q, i, p) * bb.get(q, p, j);
                t += (double) batch.get(q, i, p) * b.get(p, j);
            }
            assertEquals(s, c3.get(q, i, j), 1e-5);
            assertEquals(t, c3shared.get(q, i, j), 1e-5);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
        assertEquals("matmul: [3, 4] x [5, 2]: inner dimensions 4 and 5 differ", e.getMessage());
    }

    @Test
    void printsLikeNumpy() {
        assertEquals("[[0. 1. 2.]\n [3. 4. 5.]]", Tensor.arange(6).reshape(2, 3).toString());
        assertEquals("[0.5 -1.25]", Tensor.of(new float[] {0.5f, -1.25f}).toString());
        assertEquals("[[[0. 1.]\n  [2. 3.]]\n\n [[4. 5.]\n  [6. 7.]]]", Tensor.arange(8).reshape(2, 2, 2).toString());
        assertEquals("2.5", Tensor.scalar(2.5f).toString());
        assertEquals("[0. 1. 2. ... 1997. 1998. 1999.]", Tensor.arange(2000).toString());
    }
}
