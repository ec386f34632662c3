package io.gradus.optim;

import io.gradus.optim.algorithms.Adam;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.algorithms.AlgorithmPaths;
import io.gradus.optim.algorithms.Momentum;
import io.gradus.optim.algorithms.RmsProp;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every unit of the catalog, every variant: the scalar kernel against the double-precision
 * reference over ten steps (state included), the vector kernel against the scalar one bit for bit,
 * on lengths 0, 1, 17 (not a multiple of any vector width), 1000 and 4099 at an offset, with the
 * gradient scaled and clipped as the Trainer asks. Like PyTorch's foreach-against-for-loop tests.
 */
class OptimizerCatalogTest {

    /** Steps: plain; rescaled by 1/8; rescaled and clipped at 0.3 (most coordinates are clipped). */
    static final List<Step> STEP_KINDS = List.of(Step.of(1, 0.01), new Step(1, 0.02, 0.125, 0), new Step(1, 0.02, 0.5, 0.3));

    static Step at(Step kind, long t) {
        return new Step(t, kind.lr(), kind.gradScale(), kind.clipValue());
    }

    static List<Algorithm> variants() {
        return OptimizerCatalog.entries().stream().flatMap(e -> e.variants().stream()).toList();
    }

    @Test
    void everyUnitIsInTheCatalogAndEveryEntryIsNamedByItsDefault() throws IOException, URISyntaxException {
        Set<String> units = new TreeSet<>();
        URL unit = Algorithm.class.getResource("Algorithm.class"); // the main classes' directory (the tests have one of the same package)
        try (Stream<Path> files = Files.list(Path.of(unit.toURI()).getParent())) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$")) continue;
                try {
                    Class<?> c = Class.forName(Algorithm.class.getPackageName() + "." + file.replace(".class", ""));
                    if (Algorithm.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                        units.add(c.getSimpleName());
                    }
                } catch (ClassNotFoundException e) {
                    fail(file + ": " + e);
                }
            }
        }
        Set<String> catalogued = variants().stream().map(a -> a.getClass().getSimpleName()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(units, catalogued, "every algorithm unit needs a catalog line");
        Set<String> names = new TreeSet<>();
        for (var e : OptimizerCatalog.entries()) {
            assertEquals(e.name(), e.algorithm().name(), "an entry is named by its default variant");
            assertTrue(names.add(e.name()), "entry " + e.name() + " twice");
        }
    }

    @TestFactory
    List<DynamicTest> scalarKernelsFollowTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Algorithm a : variants()) {
            for (Step kind : STEP_KINDS) {
                tests.add(DynamicTest.dynamicTest(a + " " + kind, () -> againstReference(a, kind)));
            }
        }
        return tests;
    }

    static void againstReference(Algorithm a, Step kind) {
        // Seeded by the variant's text: a record's hashCode includes its enum fields' identity hashes
        // (WeightDecay.Kind), which change from one JVM to the next, so the inputs did too and Lion's
        // sign flipped near zero in one run of CI out of several.
        for (int n : new int[] {0, 1, 17, 1000, 4099}) againstReference(a, kind, 3, n, n + a.toString().hashCode());
    }

    /** Ten steps of the scalar kernel on {@code n} coordinates at {@code off} against the double reference. */
    static void againstReference(Algorithm a, Step kind, int off, int n, long seed) {
        {
            Random r = new Random(seed);
            float[] p = new float[off + n + 2];
            for (int i = 0; i < p.length; i++) p[i] = (float) r.nextGaussian();
            float[][] s = new float[a.stateArrays()][off + n + 2];
            for (int t = 1; t <= 10; t++) {
                Step step = at(kind, t);
                float[] g = new float[p.length];
                for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
                double[] wantP = new double[p.length], slackP = new double[p.length];
                double[][] wantS = new double[s.length][p.length], slackS = new double[s.length][p.length];
                // The float kernel forms g' = g scale + lambda x with one rounding, which matters where
                // the two terms cancel (g' tiny) and the rule divides by about |g'| + eps (RMSProp's
                // momentum buffer): the reference at g' moved by a few of those ulps bounds its effect.
                double[] x = new double[n], gs = new double[n], moved = new double[n], xMoved = new double[n];
                double[][] st = new double[n][s.length], stMoved = new double[n][s.length];
                for (int i = 0; i < n; i++) {
                    x[i] = xMoved[i] = p[off + i];
                    gs[i] = g[off + i];
                    double ulps = 4 * Math.max(Math.ulp((float) (g[off + i] * step.gradScale())), Math.ulp((float) (a.weightDecay().coupledRate() * p[off + i])));
                    moved[i] = g[off + i] + ulps / step.gradScale();
                    for (int k = 0; k < s.length; k++) st[i][k] = stMoved[i][k] = s[k][off + i];
                }
                a.referenceSlice(step, x, gs, st);
                a.referenceSlice(step, xMoved, moved, stMoved);
                for (int i = 0; i < n; i++) {
                    wantP[off + i] = x[i];
                    slackP[off + i] = Math.abs(xMoved[i] - x[i]);
                    for (int k = 0; k < s.length; k++) {
                        wantS[k][off + i] = st[i][k];
                        slackS[k][off + i] = Math.abs(stMoved[i][k] - st[i][k]);
                    }
                }
                float[] before = p.clone();
                float[][] stateBefore = Arrays.stream(s).map(float[]::clone).toArray(float[][]::new);
                AlgorithmPaths.scalar(a, step, p, g, s, off, n);
                if (off > 0) assertEquals(before[off - 1], p[off - 1], "outside the slice");
                assertEquals(before[off + n], p[off + n], "outside the slice");
                for (int i = off; i < off + n; i++) {
                    assertEquals(wantP[i], p[i], 1e-6 + 1e-5 * Math.abs(wantP[i]) + slackP[i], a + " p[" + i + "] step " + t);
                    for (int k = 0; k < s.length; k++) {
                        // relative to the larger of the new and the old value: a momentum buffer can cancel
                        // (0.9 b + g / sqrt(s) near 0), and then carries the rounding of its old size
                        double scale = Math.max(Math.abs(wantS[k][i]), Math.abs(stateBefore[k][i]));
                        assertEquals(wantS[k][i], s[k][i], 1e-6 + 1e-5 * scale + slackS[k][i], a + " state " + k + "[" + i + "] step " + t);
                    }
                }
            }
        }
    }

    @TestFactory
    List<DynamicTest> vectorKernelsMatchTheScalarOnesBitForBit() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Algorithm a : variants()) {
            tests.add(DynamicTest.dynamicTest(a.toString(), () -> {
                for (Step kind : STEP_KINDS) {
                    for (int n : new int[] {0, 1, 17, 1000, 4099}) vectorMatchesScalar(a, kind, 5, n, n);
                }
            }));
        }
        return tests;
    }

    /** Five steps of the vector and the scalar kernel on {@code n} coordinates at {@code off}: equal bit for bit. */
    static void vectorMatchesScalar(Algorithm a, Step kind, int off, int n, long seed) {
        Random r = new Random(seed);
        float[] p1 = new float[off + n];
        for (int i = 0; i < p1.length; i++) p1[i] = (float) r.nextGaussian();
        float[] p2 = p1.clone();
        float[][] s1 = new float[a.stateArrays()][off + n], s2 = new float[a.stateArrays()][off + n];
        for (int t = 1; t <= 5; t++) {
            float[] g = new float[off + n];
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            float[] gCopy = g.clone();
            AlgorithmPaths.scalar(a, at(kind, t), p1, g, s1, off, n);
            AlgorithmPaths.vector(a, at(kind, t), p2, g, s2, off, n);
            assertArrayEquals(gCopy, g, "the gradient is never written");
        }
        assertArrayEquals(p1, p2, a + " n=" + n + " off=" + off + " " + kind);
        for (int k = 0; k < s1.length; k++) assertArrayEquals(s1[k], s2[k], a + " state " + k);
    }

    @Test
    void hyperparametersAreValidatedAndNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam().withBetas(1.0, 0.999));
        assertEquals("beta1 = 1.0: expected 0 <= beta1 < 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adagrad().withEps(0));
        assertEquals("eps = 0.0: expected a finite value > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd().withWeightDecay(WeightDecay.coupled(Double.NaN)));
        assertEquals("weight decay lambda = NaN: expected a finite value >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.lion().withWeightDecay(WeightDecay.coupled(0.1)));
        assertEquals("lion: weightDecay = coupled(0.1), expected decoupled weight decay or none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd().withWeightDecay(WeightDecay.decoupled(0.1)));
        assertEquals("sgd: weightDecay = decoupled(0.1), expected coupled (L2 in the gradient) weight decay or none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.momentum().withMomentum(-0.1));
        assertEquals("momentum = -0.1: expected 0 <= momentum < 1", e.getMessage());
        Adam adam = Optimizers.adam().withBetas(0.9, 0.99).withWeightDecay(WeightDecay.coupled(1e-4));
        assertEquals(new Adam(0.9, 0.99, 1e-6, WeightDecay.coupled(1e-4), false), adam);
        assertEquals(List.of("beta1", "beta2", "eps", "weightDecay", "decoupled", "amsgrad"), List.copyOf(adam.hyperparameters().keySet()));
        assertEquals(0.99, adam.hyperparameters().get("beta2"));
        assertEquals("adamw", Optimizers.adamW().name());
        assertEquals(WeightDecay.decoupled(0.01), Optimizers.adamW().weightDecay());
        assertEquals("amsgrad", Optimizers.amsgrad().name());
        assertEquals("nesterov", Optimizers.nesterov().name());
        assertEquals(new Momentum(0.9, 0, WeightDecay.none(), true), Optimizers.nesterov());
        assertEquals("rmsprop-centered", Optimizers.centeredRmsprop().name());
        assertEquals(2, Optimizers.rmsprop().withCentered(true).stateArrays());
    }

    @Test
    void bytesPerParameterCountEveryArrayAStepTouches() {
        assertEquals(12, Optimizers.sgd().bytesPerParameter());
        assertEquals(20, Optimizers.momentum().bytesPerParameter());
        assertEquals(28, Optimizers.adam().bytesPerParameter());
        assertEquals(36, Optimizers.amsgrad().bytesPerParameter());
        assertEquals(20, Optimizers.lion().bytesPerParameter());
        assertEquals(40, Optimizers.lamb().bytesPerParameter(), "24 in pass one, 16 in pass two");
    }
}
